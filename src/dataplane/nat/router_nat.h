// RouterNat: what a router's L3 gateway does to IPv4 packets crossing between its
// tenant networks and the external network, on the gateway host (or on a VM's own
// host for its floating IP when that host reaches the external network).
//
//   outbound(config, l3)  a packet leaving for the external network:
//     source is a floating IP's fixed address -> source becomes the floating IP (1:1)
//     else SNAT on  -> tracked in the router's zone; a new connection gets its own
//                      port (or echo id) on the router's external address
//     else          -> unchanged (no SNAT: the outside routes the tenant's prefixes)
//   inbound(config, l3)   a packet arriving from the external network:
//     destination is a floating IP       -> destination becomes the fixed address
//     destination is the external address -> a tracked reply or related ICMP error is
//                      translated back; an echo request for the router itself is the
//                      router's to answer; anything else has no binding and is dropped
//
// Floating IPs are stateless one-to-one rewrites (ICMP errors quoting them included):
// the VM's own host tracks its connections for its security groups, so a second
// tracker here would add cost and no protection. SNAT must be stateful: replies
// find their inside address only through the connection.
//
// The config is immutable (published in the forwarding table); the tracker and the
// translator belong to the worker that owns the router's zone. Not translated:
// IPv6 (Neutron does not NAT it), fragments (no ports to map; counted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/core/counters.h"
#include "dataplane/nat/snat_translator.h"

namespace overcast::dataplane::nat {

struct RouterNatConfig {
  conntrack::Zone zone = 0;  // the router's gateway zone in the worker's tracker
  uint32_t external_ip = 0;  // host order; 0: no external address
  bool enable_snat = true;
  std::unordered_map<uint32_t, uint32_t> floating_by_fixed;  // host order both
  std::unordered_map<uint32_t, uint32_t> fixed_by_floating;

  // Adds a floating IP; false when either address is already used by another.
  bool add_floating_ip(uint32_t floating, uint32_t fixed);
  // True for the addresses this router answers ARP for on the external network.
  bool owns_external(uint32_t address) const {
    return (external_ip != 0 && address == external_ip) || fixed_by_floating.count(address) != 0;
  }
};

class RouterNat {
 public:
  enum class Verdict : uint8_t {
    kForward,   // translated (or left alone as the config says): route it on
    kToRouter,  // addressed to the router's external address itself (echo request)
    kDrop,      // counted in counters() under the reason
  };
  enum Count : size_t {
    kFloatingOut, kFloatingIn, kSnatOut, kSnatIn, kUnchanged, kRouterLocal,
    kNoBinding, kInvalid, kExhausted, kMalformed, kFragment, kRewriteFailed,
  };

  RouterNat(conntrack::ConnTracker& tracker, SnatTranslator& snat) : tracker_(tracker), snat_(snat) {}

  Verdict outbound(const RouterNatConfig& config, uint8_t* l3, size_t length, uint64_t now_ms);
  Verdict inbound(const RouterNatConfig& config, uint8_t* l3, size_t length, uint64_t now_ms);

  const CounterSet& counters() const { return counters_; }

 private:
  Verdict drop(Count reason) {
    counters_.add(reason, 1);
    return Verdict::kDrop;
  }
  Verdict forward(Count what) {
    counters_.add(what, 1);
    return Verdict::kForward;
  }
  Verdict floating_out(uint8_t* l3, size_t length, uint32_t floating, bool icmp_error);
  Verdict floating_in(uint8_t* l3, size_t length, uint32_t fixed, bool icmp_error);

  conntrack::ConnTracker& tracker_;
  SnatTranslator& snat_;
  CounterSet counters_{"floating_out", "floating_in", "snat_out", "snat_in", "unchanged", "router_local",
                       "no_binding", "invalid", "exhausted", "malformed", "fragment", "rewrite_failed"};
};

}  // namespace overcast::dataplane::nat

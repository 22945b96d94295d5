// Why the data plane dropped a packet. Every drop has exactly one reason; the
// names are what counters_json() reports under "drops".
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "dataplane/core/counters.h"

namespace overcast::dataplane {

enum class DropReason : uint8_t {
  kRunt,            // shorter than the headers it must carry
  kUnknownPort,     // received on a slot, or for a VNI, the table does not have
  kPortDown,        // from or to a port that is administratively down
  kSamePort,        // unicast back to the port it came in on
  kTooBig,          // larger than the segment MTU + Ethernet header
  kBadFlags,        // tunnel header flags/reserved bits not as we send them
  kUnknownVtep,     // tunnel packet from an address not in known_vteps, or not a VTEP of its VNI
  kUnknownVni,      // tunnel packet (or frame to encapsulate) for a VNI not on this host
  kNotLocal,        // tunnel unicast to a MAC that is not on a local port
  kNoFloodTarget,   // BUM frame with nowhere to go
  kNoBuffer,        // replication copy needed a buffer and the pool was empty
  kNoHeadroom,      // no room to prepend the tunnel header
  kPortGone,        // output slot no longer has a port
  kBadOffload,      // offload metadata (virtio header, GSO/GRO layout) that does not fit the frame
  kSpoofed,         // port security: a VM sent from an address not its own, or as a DHCP server/router
  kDhcp,            // a DHCP request taken by the responder and not answered (unknown MAC, malformed, silent)
  kNotRoutable,     // sent to a router MAC: not IPv4, a bad IPv4 header, or to the router and not an echo request
  kNoRoute,         // router: no route to the destination (ICMP net unreachable sent)
  kNoNeighbor,      // router: the next hop's MAC is not known (ICMP host unreachable sent)
  kTtlExpired,      // router: TTL would reach 0 (ICMP time exceeded sent)
  kUnknownVlan,     // uplink frame untagged or tagged with no provider network of that VLAN here
  kTaggedFrame,     // a frame already VLAN-tagged where a provider network's frames must not be (never double-tag)
  kSecurityGroup,   // security groups: no rule allows it, invalid conntrack state, malformed IP, non-IP
  kConntrackFull,   // security groups: a new connection with no room in the tracker or the port's zone
  kNat,             // L3 gateway: NAT refused it (no binding from outside, ports exhausted, malformed, fragment)
  kCount,
};

inline constexpr std::array<std::string_view, static_cast<size_t>(DropReason::kCount)> kDropReasonNames = {
    "runt",        "unknown_port", "port_down",    "same_port",       "too_big",   "bad_flags",  "unknown_vtep",
    "unknown_vni", "not_local",    "no_flood_target", "no_buffer", "no_headroom", "port_gone",
    "bad_offload", "spoofed", "dhcp", "not_routable", "no_route", "no_neighbor", "ttl_expired", "unknown_vlan", "tagged_frame",
    "security_group", "conntrack_full", "nat",
};

inline std::string_view drop_reason_name(DropReason r) { return kDropReasonNames[static_cast<size_t>(r)]; }

// Drops by reason, one instance per worker (single writer).
class DropCounters {
 public:
  void count(DropReason r, uint64_t n = 1) { counters_[static_cast<size_t>(r)].add(n); }
  uint64_t value(DropReason r) const { return counters_[static_cast<size_t>(r)].value(); }

 private:
  std::array<Counter, static_cast<size_t>(DropReason::kCount)> counters_;
};

}  // namespace overcast::dataplane

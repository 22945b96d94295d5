// RouterStage: the distributed router, on the VM's own host (east-west).
//
// A frame from a VM port whose destination MAC is a router interface MAC of its own
// segment (Segment::router_ports) is routed by that router; routers of other tenants
// are never consulted, since the lookup starts from the segment the frame came in on.
// IPv4: echo requests to the router's own addresses are answered; otherwise longest
// prefix match in the router's table, TTL decremented (ICMP time exceeded at expiry),
// the next hop's MAC taken from the egress segment's ARP table (unknown: ICMP host
// unreachable), source MAC = the egress interface's, and the frame goes on to L2 in the
// egress segment (meta.vni changed): local delivery or VXLAN with that network's VNI.
//
// A destination only the default route of a router with an external gateway covers is
// the external gateway's: on a host that does not serve it, the frame goes unchanged
// (still to the router's MAC, TTL untouched: the gateway host routes it) by VXLAN on
// the ingress VNI to the active gateway host (meta.remote_vtep = gateway_vtep). On the
// active gateway host itself it goes, unchanged, to the gateway stage (NAT and out of the
// uplink: gateway_stage.h), and so does, on any host, a frame from a local port whose
// source has a floating IP this host NATs itself (ExternalGateway::local_fixed_ips). With no gateway host alive it is a no_route drop with ICMP
// net unreachable. A frame that came by the tunnel is never sent back into it (two hosts
// that disagree for a moment about who serves the gateway must not bounce it): no_route.
//
// Input:  frames from VM ports after classify (meta.vni, meta.in_port set), and frames
//         from the tunnel to a router MAC (meta.in_port = kNoPort: on the gateway host).
// Output: `l2`         — frames not for a router, and routed frames;
//         `replies`    — echo replies and ICMP errors, back to meta.in_port (none for
//                        frames from the tunnel: their sender is not on this host);
//         `to_gateway` — frames for the external gateway, meta.remote_vtep set (to tunnel tx);
//         `external`   — frames for the external gateway served here (to the gateway stage).
// Drops:  not_routable (to a router MAC but not untagged IPv4, a bad IPv4 header, or to
//         the router and not an echo request), no_route, no_neighbor, ttl_expired.
// Counters (stage "router"): in, passed, routed, echo_replies, icmp_errors, dropped, to_gateway,
//         to_external.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class RouterStage {
 public:
  static constexpr const char* kName = "router";
  enum : size_t { kIn, kPassed, kRouted, kEchoReplies, kIcmpErrors, kDropped, kToGateway, kToExternal };

  void process(StageContext& ctx, Batch& in, BatchQueue& l2, BatchQueue& replies, BatchQueue& to_gateway,
               BatchQueue& external);
  const CounterSet& counters() const { return counters_; }

 private:
  enum class Verdict : uint8_t { kRouted, kEchoReply, kToGateway, kToExternal, kDropped };
  Verdict route(StageContext& ctx, Packet* p, const route::RouterPort& ingress, BatchQueue& replies);
  // Sends the ICMP error `type`/`code` about the frame `p` holds back to its port (its
  // own buffer is untouched: the caller drops it).
  void send_icmp_error(StageContext& ctx, const Packet* p, const route::RouterInterface& from, uint8_t type,
                       uint8_t code, BatchQueue& replies);

  CounterSet counters_{"in",      "passed",     "routed",     "echo_replies",
                       "icmp_errors", "dropped", "to_gateway", "to_external"};
  uint64_t icmp_errors_ = 0;  // per batch
};

}  // namespace overcast::dataplane

// Pipeline: one worker's graph of stages, wired in one place.
//
//   VM port rx ─► port_security ─► dhcp ─┬─► (reply) ──────────────────────────────► local_delivery ─► port tx
//                 (SpoofFilter)          └─► (not DHCP) ─► sg_egress ─► classify ─► ...
//
//   every "local_delivery" below is really  sg_ingress ─► local_delivery: frames for a
//   local port meet its security groups' ingress rules (and its conntrack zone) first.
//
//   classify ─┬─► router (dst MAC = a router interface of the segment: routed ─► l2_forward in
//             │           the egress segment; echo replies, ICMP errors ─► local_delivery)
//             ├─► arp_responder ─┬─► (reply) ─────────────► local_delivery ─► port tx
//                           │                  └─► (not answered) ─┐
//                           └─────────────────────────────────────►l2_forward ─┬─► local_delivery
//                                                                              ├─► path_mtu ─► encap ─► tunnel tx
//                                                                              └─► flood ─┬─► local_delivery
//                                                                                         └─► path_mtu ─► encap ─► tunnel tx
//   (path_mtu also sends ICMP "too big" replies to local_delivery)
//   tunnel rx ─► tunnel_gro ─► decap ─┬─► local_delivery
//                                     └─► flood (local ports only) ─► local_delivery
//
//   provider networks (flat/vlan, dataplane/provider/): flood ─► uplink_tx (802.1Q tag) ─► local_delivery
//   to the uplink's slot; uplink rx ─► uplink_rx (tag selects the network) ─┬─► local_delivery
//                                                                         ├─► flood (local ports only)
//                                                                         └─► gateway_in (below)
//
//   L3 gateway (on the host serving a router's external gateway, stages/gateway_stage.h):
//     router (external route, served here) ─┐
//     tunnel rx ─► decap (to a router MAC) ─► router ─► gateway_out (TTL, NAT, next hop) ─► uplink_tx
//     uplink_rx (ARP, to a router's external MAC) ─► gateway_in ─┬─► (NAT back, routed) ─► l2_forward
//                                                                ├─► (ARP replies, echo replies) ─► uplink_tx
//                                                                └─► (ARP broadcasts) ─► flood
//     with several workers, gateway_out runs on the worker polling the uplink (others hand
//     frames to it, as sg_ingress does for ports).
//
// Stages push into BatchQueues; a queue that fills up drains into its next stage,
// and process_*() drains all of them in graph order before returning. Every packet
// handed in is, on return, sent or dropped with a counted reason.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "dataplane/core/batch_queue.h"
#include "dataplane/encap/tunnel_encapsulation.h"
#include "dataplane/offload/tunnel_gro.h"
#include "dataplane/provider/uplink_rx_stage.h"
#include "dataplane/provider/uplink_tx_stage.h"
#include "dataplane/stages/arp_responder_stage.h"
#include "dataplane/stages/classify_stage.h"
#include "dataplane/stages/dhcp_stage.h"
#include "dataplane/stages/flood_stage.h"
#include "dataplane/stages/gateway_stage.h"
#include "dataplane/stages/l2_forward_stage.h"
#include "dataplane/stages/local_delivery_stage.h"
#include "dataplane/stages/path_mtu_stage.h"
#include "dataplane/stages/port_security_stage.h"
#include "dataplane/stages/router_stage.h"
#include "dataplane/stages/security_group_stage.h"

namespace overcast::dataplane {

// Where encapsulated packets leave: the UDP tunnel in production, a capture in tests.
class TunnelSink {
 public:
  virtual ~TunnelSink() = default;
  // Takes ownership of every packet (returned to `pool`); leaves `batch` empty.
  virtual void tx_burst(PacketPool& pool, Batch& batch) = 0;
};

class Pipeline {
 public:
  Pipeline(PacketPool& pool, DropCounters& drops, std::unique_ptr<TunnelEncapsulation> encapsulation,
           TunnelSink& tunnel, PortTxLocks* tx_locks = nullptr, const SecurityGroupConfig& security_groups = {});
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The snapshot the next batches are processed against (valid until the next call).
  void set_table(const ForwardingTable* table);
  // Frames read from VM ports, meta.in_port set.
  void process_port_rx(Batch& rx);
  // Datagram payloads read from the tunnel, meta.remote_vtep set.
  void process_tunnel_rx(Batch& rx);
  // Frames read from a provider uplink port, meta.in_port set to its slot.
  void process_uplink_rx(Batch& rx);
  // Frames another worker handed over for a local port of this worker (meta.out_port
  // set): its security groups' ingress half, then local delivery; or, with
  // meta.for_gateway, for the external gateway whose uplink this worker polls.
  void process_handed_ingress(Batch& rx);

  // Periodic work between batches (conntrack expiry, the gateway's announcements); the
  // worker calls it every loop turn.
  void housekeeping();

  void add_counters(nlohmann::json& stages) const;

 private:
  void drain_all();

  StageContext ctx_;
  std::unique_ptr<TunnelEncapsulation> encapsulation_;
  TunnelSink& tunnel_;
  TunnelGro gro_;
  const ForwardingTable* prepared_for_ = nullptr;
  uint64_t prepared_version_ = 0;

  PortSecurityStage port_security_;
  DhcpStage dhcp_;
  ClassifyStage classify_;
  ArpResponderStage arp_responder_;
  L2ForwardStage l2_forward_;
  FloodStage flood_;
  LocalDeliveryStage local_delivery_;
  PathMtuStage path_mtu_;
  RouterStage router_;
  UplinkRxStage uplink_rx_;
  UplinkTxStage uplink_tx_;
  SecurityGroupStage security_groups_;
  GatewayStage gateway_;

  BatchQueue dhcp_q_;      // VM frames that passed port security
  BatchQueue classify_q_;  // VM frames that are not answered by DHCP
  BatchQueue decap_q_;  // tunnel datagrams, one frame each
  BatchQueue arp_q_;
  BatchQueue router_q_;  // VM frames that are not ARP: routed if sent to a router
  BatchQueue gateway_in_q_;   // from the external segment's uplink, for a router's gateway
  BatchQueue gateway_out_q_;  // leaving by a router's external gateway served here
  BatchQueue l2_q_;
  BatchQueue flood_q_;
  BatchQueue remote_q_;  // to make fit the MTU
  BatchQueue encap_q_;   // to encapsulate
  BatchQueue tunnel_q_;  // encapsulated, to send
  BatchQueue uplink_q_;  // provider networks' frames, to tag for the uplink
  BatchQueue local_q_;        // to local ports: through the security groups' ingress rules
  BatchQueue sg_egress_q_;    // VM frames to the security groups' egress rules
  BatchQueue deliver_q_;      // to local ports, filtered
};

}  // namespace overcast::dataplane

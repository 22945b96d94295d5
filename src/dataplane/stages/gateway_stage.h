// GatewayStage: a router's L3 gateway on the host serving it (the active gateway host):
// NAT between the tenant's networks and the external network, and the router's
// presence on the external segment (ARP).
//
//   outbound (process_outbound): frames the router stage found leaving by the external
//     gateway (still addressed to the router's interface MAC, meta.vni = the tenant's
//     network: from a local VM, or by VXLAN from the VM's own host). TTL - 1, then
//     RouterNat::outbound (floating IP 1:1, else SNAT to the router's external address),
//     the next hop's MAC from the neighbour cache (on a miss: one ARP request from the
//     router's external address, and the frame waits for the answer, as a host's
//     unresolved queue does: at most 4 per next hop and 256 in all, 3 s, then no_neighbor),
//     source MAC = the
//     router's external MAC, meta.vni = the external segment ─► `uplink` (uplink_tx).
//   inbound (process_inbound): frames from the external segment's uplink that are
//     broadcast ARP or addressed to a router's external MAC. ARP: a request for an address a router
//     owns there (its external IP, its floating IPs) is answered out of the uplink, its
//     asker learned; other senders refresh the cache only if asked about (see
//     gateway/neighbour_cache.h); broadcasts then go on to `flood` (local ports of the
//     segment). IPv4: RouterNat::inbound; an echo request to the router's address is
//     answered back out; a translated packet is routed in the router (LPM, TTL - 1, MACs
//     from the egress segment's ARP table) ─► `l2` in the tenant's network (local, or
//     VXLAN to the VM's host).
//
// Threading: the NAT state (tracker, SNAT ports, neighbour cache) of a router lives on
// one worker: the one polling the external segment's uplink (slot % worker_count), where
// inbound frames arrive anyway. Outbound frames reaching another worker are handed to it
// (worker/ingress_handoff.h, meta.for_gateway, meta.out_port = the uplink slot). The
// tracker is this stage's own, apart from the security groups' (whose zones are port
// slots), with one zone per router, assigned here and kept while the router is served
// here, so two tenants' identical 10.0.0.0/24 never meet. prepare() (a new table) ends
// the connections of routers no longer served here and queues gratuitous ARP for every
// address newly served (failover: the segment's switches and hosts must move to this
// host's uplink), sent by housekeeping().
//
// Not done here: ICMP errors towards the tenant (TTL expiry on the gateway is a counted
// drop), IPv6 (not NATed, as in Neutron), fragments (RouterNat drops and counts them).
//
// Drops: nat (RouterNat refused: see stage "router_nat"), no_route, no_neighbor,
//        ttl_expired, not_routable (not IPv4, bad header), bad_offload, no_buffer.
// Counters: stage "gateway" (below), "router_nat", "snat", "snat_ports",
//        "gateway_conntrack" (with a "connections" gauge), "neighbours".
#pragma once

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/gateway/neighbour_cache.h"
#include "dataplane/gateway/unresolved_queue.h"
#include "dataplane/nat/router_nat.h"
#include "dataplane/nat/snat_port_allocator.h"
#include "dataplane/nat/snat_translator.h"
#include "dataplane/stages/security_group_stage.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

struct GatewayConfig {
  uint32_t conntrack_max = 65536;  // NATed connections this worker's gateway tracker holds
  gateway::NeighbourCacheConfig neighbours;
  uint64_t expiry_interval_ms = 100;
  size_t expiry_budget = 4096;
  size_t worker_index = 0;
  size_t worker_count = 1;
  IngressHandoffSink* handoff = nullptr;  // several workers: outbound frames to the uplink's owner
};

class GatewayStage {
 public:
  static constexpr const char* kName = "gateway";
  enum : size_t {
    kOutIn, kOutForwarded, kHandedOff, kInIn, kInRouted, kEchoReplies, kArpIn, kArpReplies, kArpRequests,
    kAnnouncements, kDropped, kZonesFlushed, kHeld, kReleased,
  };

  explicit GatewayStage(const GatewayConfig& config);
  ~GatewayStage();
  GatewayStage(const GatewayStage&) = delete;
  GatewayStage& operator=(const GatewayStage&) = delete;

  // Worker thread, when it first sees a new table.
  void prepare(const ForwardingTable& table);
  void process_outbound(StageContext& ctx, Batch& in, BatchQueue& uplink);
  void process_inbound(StageContext& ctx, Batch& in, BatchQueue& l2, BatchQueue& uplink, BatchQueue& flood);
  // Tracker expiry and queued gratuitous ARP; the worker calls it every loop turn.
  void housekeeping(StageContext& ctx, uint64_t now_ms, BatchQueue& uplink);

  void add_counters(nlohmann::json& stages) const;
  const CounterSet& counters() const { return counters_; }

 private:
  struct Served {
    nat::RouterNatConfig nat;  // the table's, with this worker's zone for the router
  };
  struct Announcement {
    uint32_t vni;
    MacAddress mac;
    uint32_t ip;
  };

  bool owns(PortSlot slot) const { return config_.worker_count <= 1 || slot % config_.worker_count == config_.worker_index; }
  conntrack::Zone zone_for(const std::string& router_id);
  // One packet leaving: false when it was dropped (counted).
  bool outbound(StageContext& ctx, Packet* p, uint64_t now_ms, Batch& hand_off, BatchQueue& uplink);
  // False when it was dropped (counted), like inbound_ip.
  bool inbound_arp(StageContext& ctx, Packet* p, const Segment& segment, uint64_t now_ms, BatchQueue& uplink,
                   BatchQueue& flood);
  bool inbound_ip(StageContext& ctx, Packet* p, const gateway::RouterGateway& gateway, uint64_t now_ms,
                  BatchQueue& l2, BatchQueue& uplink);
  // A 60-byte ARP frame from `build` (gateway/arp_frames.h) out of segment `vni`'s uplink.
  // A packet waiting for its next hop's ARP answer (translated, MACs but the
  // destination's set, meta.vni = the external segment), or dropped when none may wait.
  bool hold(StageContext& ctx, Packet* p, uint32_t next_hop, uint64_t now_ms);
  void release(uint32_t ip, const MacAddress& mac, BatchQueue& uplink);

  template <class Build>
  bool send_arp(StageContext& ctx, uint32_t vni, BatchQueue& uplink, Build&& build);

  GatewayConfig config_;
  conntrack::ConnTracker tracker_;
  nat::SnatPortAllocator ports_;
  nat::SnatTranslator snat_;
  nat::RouterNat nat_;
  // One cache for every external segment this worker serves: next hops are looked up by
  // address only (two external networks with the same next-hop address on one gateway
  // host would share an entry).
  gateway::NeighbourCache neighbours_;

  // Rebuilt by prepare(): the gateways of the current table this worker serves.
  std::unordered_map<const gateway::RouterGateway*, Served> served_;
  std::unordered_map<std::string, conntrack::Zone> zones_;  // router id -> zone, while served
  conntrack::Zone next_zone_ = 1;
  std::vector<conntrack::Zone> free_zones_;
  std::set<std::pair<std::string, uint32_t>> announced_;  // (router id, address) served at the last prepare
  std::vector<Announcement> pending_announcements_;
  uint64_t next_expiry_ms_ = 0;
  std::atomic<uint64_t> connections_{0};
  gateway::UnresolvedQueue unresolved_;
  PacketPool* unresolved_pool_ = nullptr;  // the worker's (the only one this stage uses)

  CounterSet counters_{"out_in",        "out_forwarded", "handed_off",   "in_in",   "in_routed",
                       "echo_replies",  "arp_in",        "arp_replies",  "arp_requests",
                       "announcements", "dropped",       "zones_flushed", "held", "released"};
};

}  // namespace overcast::dataplane

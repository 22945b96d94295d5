#include "dataplane/stages/gateway_stage.h"

#include <cstring>

#include "dataplane/core/counters_json.h"
#include "dataplane/gateway/arp_frames.h"
#include "dataplane/offload/checksum_completion.h"
#include "dataplane/route/ipv4_router_ops.h"
#include "net/ethernet.h"
#include "net/ipv4.h"

namespace overcast::dataplane {

namespace {

constexpr size_t kEth = net::kEthernetHeaderSize;

conntrack::ConnTracker::Config tracker_config(const GatewayConfig& config) {
  conntrack::ConnTracker::Config out;
  out.capacity = config.conntrack_max;
  return out;
}

void set_macs(Packet* p, const MacAddress& dst, const MacAddress& src) {
  auto* eth = net::header_at<net::EthernetHeader>(p->data());
  std::memcpy(eth->dst, dst.bytes.data(), 6);
  std::memcpy(eth->src, src.bytes.data(), 6);
}

// The untagged IPv4 packet a frame holds, its header checksum checked (not on a GSO
// super-frame: its header is a template the segmenter rewrites); nullptr otherwise.
uint8_t* ipv4_of(Packet* p) {
  auto eth = net::parse_ethernet(p->data(), p->length());
  if (!eth || eth->ethertype != net::ethertype::kIpv4 || eth->l3_offset != kEth) return nullptr;
  const auto ip = net::parse_ipv4(p->data() + kEth, p->length() - kEth);
  if (!ip.header || (!p->meta.offload.is_gso() && !net::ipv4_checksum_ok(ip.header))) return nullptr;
  return p->data() + kEth;
}

uint32_t destination_of(const uint8_t* l3) {
  return net::header_at<net::Ipv4Header>(l3)->dst.host();
}

}  // namespace

GatewayStage::GatewayStage(const GatewayConfig& config)
    : config_(config),
      tracker_(tracker_config(config)),
      snat_(tracker_, ports_),
      nat_(tracker_, snat_),
      neighbours_(config.neighbours) {}

conntrack::Zone GatewayStage::zone_for(const std::string& router_id) {
  auto it = zones_.find(router_id);
  if (it != zones_.end()) return it->second;
  conntrack::Zone zone;
  if (!free_zones_.empty()) {
    zone = free_zones_.back();
    free_zones_.pop_back();
  } else {
    zone = next_zone_++;  // 65,535 routers served by one worker before wrapping: far beyond a host
  }
  zones_.emplace(router_id, zone);
  return zone;
}

void GatewayStage::prepare(const ForwardingTable& table) {
  served_.clear();
  std::set<std::string> routers;
  std::set<std::pair<std::string, uint32_t>> addresses;
  for (const auto& [vni, segment] : table.segments) {
    if (segment.gateways.empty() || !owns(segment.uplink)) continue;
    for (const auto& [mac, gateway] : segment.gateways) {
      const std::string& id = gateway->router->router_id;
      routers.insert(id);
      Served served{gateway->nat};
      served.nat.zone = zone_for(id);
      served_.emplace(gateway.get(), std::move(served));
      for (const auto& [ip, owner] : segment.gateway_addresses) {
        if (owner != mac) continue;
        if (!announced_.count({id, ip})) pending_announcements_.push_back({vni, mac, ip});
        addresses.insert({id, ip});
      }
    }
  }
  announced_ = std::move(addresses);
  // A router no longer served here: its connections end (their SNAT ports return), and
  // its zone is free for another router only once it is empty.
  for (auto it = zones_.begin(); it != zones_.end();) {
    if (routers.count(it->first)) {
      ++it;
      continue;
    }
    const conntrack::Zone zone = it->second;
    tracker_.end_if([zone](const conntrack::Connection& c) { return c.orig.zone == zone; });
    free_zones_.push_back(zone);
    counters_.add(kZonesFlushed, 1);
    it = zones_.erase(it);
  }
  if (served_.empty()) neighbours_.clear();
  connections_.store(tracker_.size(), std::memory_order_relaxed);
}

template <class Build>
bool GatewayStage::send_arp(StageContext& ctx, uint32_t vni, BatchQueue& uplink, Build&& build) {
  Packet* arp = ctx.pool->alloc();
  if (arp == nullptr) {
    ctx.drops->count(DropReason::kNoBuffer);
    return false;
  }
  const size_t length = build(arp->data(), arp->max_length());
  if (length == 0) {
    ctx.pool->free(arp);
    return false;
  }
  arp->set_length(static_cast<uint32_t>(length));
  arp->meta.vni = vni;
  uplink.push(arp);
  return true;
}

void GatewayStage::process_outbound(StageContext& ctx, Batch& in, BatchQueue& uplink) {
  const uint64_t now = SecurityGroupStage::now_ms();
  uint64_t forwarded = 0, dropped = 0;
  Batch hand_off;
  for (Packet* p : in) {
    p->meta.for_gateway = false;
    if (outbound(ctx, p, now, hand_off, uplink)) {
      ++forwarded;
    } else {
      ++dropped;
    }
    if (hand_off.full()) {
      counters_.add(kHandedOff, hand_off.size());
      config_.handoff->hand_off(hand_off);
    }
  }
  if (!hand_off.empty()) {
    counters_.add(kHandedOff, hand_off.size());
    config_.handoff->hand_off(hand_off);
  }
  counters_.add(kOutIn, in.size());
  counters_.add(kDropped, dropped);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
  in.clear();
}

bool GatewayStage::outbound(StageContext& ctx, Packet* p, uint64_t now_ms, Batch& hand_off, BatchQueue& uplink) {
  // The router stage sent it here: a router MAC of its segment, untagged IPv4.
  const Segment* segment = ctx.table->find_segment(p->meta.vni);
  auto port = segment ? segment->router_ports.find(net::header_at<net::EthernetHeader>(p->data())->dst_mac())
                      : decltype(segment->router_ports)::const_iterator{};
  if (segment == nullptr || port == segment->router_ports.end()) {
    ctx.drop(p, DropReason::kNoRoute);
    return false;
  }
  const route::RouterInstance& router = *port->second.router;
  const Segment* outside = router.external ? ctx.table->find_segment(router.external->vni) : nullptr;
  // The router's own gateway where it is served, else this host's for its floating IPs.
  const MacAddress ours = outside ? (router.external->served_here ? router.external->mac : router.external->local_mac)
                                  : MacAddress{};
  auto gateway = outside ? outside->gateways.find(ours) : decltype(outside->gateways)::const_iterator{};
  if (outside == nullptr || gateway == outside->gateways.end() || !outside->is_provider()) {
    ctx.drop(p, DropReason::kNoRoute);
    return false;
  }
  if (!owns(outside->uplink)) {
    if (config_.handoff == nullptr) {
      ctx.drop(p, DropReason::kNoRoute);
      return false;
    }
    p->meta.for_gateway = true;
    p->meta.out_port = outside->uplink;
    hand_off.push(p);
    return true;
  }
  auto served = served_.find(gateway->second.get());
  uint8_t* l3 = ipv4_of(p);
  if (served == served_.end() || l3 == nullptr) {
    ctx.drop(p, served == served_.end() ? DropReason::kNoRoute : DropReason::kNotRoutable);
    return false;
  }
  // NAT rewrites checksums incrementally: a checksum the VM left partial is finished
  // first (a GSO super-frame's is recomputed per segment at tx anyway).
  if (p->meta.offload.needs_csum && !p->meta.offload.is_gso()) {
    if (!complete_partial_checksum(p->data(), p->length(), p->meta.offload)) {
      ctx.drop(p, DropReason::kBadOffload);
      return false;
    }
    p->meta.offload.needs_csum = false;
  }
  const size_t l3_length = p->length() - kEth;
  switch (route::decrement_ttl(l3, l3_length)) {
    case route::TtlResult::kForward: break;
    case route::TtlResult::kExpired: ctx.drop(p, DropReason::kTtlExpired); return false;
    case route::TtlResult::kMalformed: ctx.drop(p, DropReason::kNotRoutable); return false;
  }
  if (nat_.outbound(served->second.nat, l3, l3_length, now_ms) != nat::RouterNat::Verdict::kForward) {
    ctx.drop(p, DropReason::kNat);
    return false;
  }
  const route::ExternalGateway& external = *router.external;
  const uint32_t destination = destination_of(l3);
  const uint32_t next_hop =
      route::Ipv4RouteTable::mask(destination, external.prefix_length) ==
              route::Ipv4RouteTable::mask(external.address, external.prefix_length)
          ? destination
          : external.next_hop;
  if (next_hop == 0) {
    ctx.drop(p, DropReason::kNoRoute);
    return false;
  }
  p->meta.vni = outside->vni;
  p->meta.in_port = kNoPort;
  const auto neighbour = neighbours_.find(next_hop, now_ms);
  if (!neighbour) {
    // Asked from an address this gateway owns: the router's external one where it is
    // served, else the floating IP the packet now leaves from (never the router's address
    // on a host that does not hold it: the segment would learn it at the wrong MAC).
    const uint32_t asker = external.served_here ? external.address : net::header_at<net::Ipv4Header>(l3)->src.host();
    if (neighbours_.should_request(next_hop, now_ms) &&
        send_arp(ctx, outside->vni, uplink, [&](uint8_t* out, size_t capacity) {
          return gateway::build_arp_request(out, capacity, ours, asker, next_hop);
        })) {
      counters_.add(kArpRequests, 1);
    }
    set_macs(p, MacAddress{}, ours);
    return hold(ctx, p, next_hop, now_ms);
  }
  set_macs(p, *neighbour, ours);
  uplink.push(p);
  counters_.add(kOutForwarded, 1);
  return true;
}

void GatewayStage::process_inbound(StageContext& ctx, Batch& in, BatchQueue& l2, BatchQueue& uplink,
                                   BatchQueue& flood) {
  const uint64_t now = SecurityGroupStage::now_ms();
  uint64_t dropped = 0;
  for (Packet* p : in) {
    const Segment* segment = ctx.table->find_segment(p->meta.vni);
    if (segment == nullptr) {
      ctx.drop(p, DropReason::kUnknownVni);
      ++dropped;
      continue;
    }
    const auto* eth = net::header_at<net::EthernetHeader>(p->data());
    if (eth->ethertype.host() == net::ethertype::kArp) {
      if (!inbound_arp(ctx, p, *segment, now, uplink, flood)) ++dropped;
      continue;
    }
    auto gateway = segment->gateways.find(eth->dst_mac());
    if (gateway == segment->gateways.end()) {  // uplink_rx only sends ARP and these
      ctx.drop(p, DropReason::kNotLocal);
      ++dropped;
      continue;
    }
    if (!inbound_ip(ctx, p, *gateway->second, now, l2, uplink)) ++dropped;
  }
  counters_.add(kInIn, in.size());
  counters_.add(kDropped, dropped);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
  in.clear();
}

bool GatewayStage::inbound_arp(StageContext& ctx, Packet* p, const Segment& segment, uint64_t now_ms,
                               BatchQueue& uplink, BatchQueue& flood) {
  counters_.add(kArpIn, 1);
  const auto sender = gateway::parse_arp_sender(p->data(), p->length());
  if (!sender) {
    ctx.drop(p, DropReason::kRunt);
    return false;
  }
  auto owned = sender->reply ? segment.gateway_addresses.end() : segment.gateway_addresses.find(sender->target_ip);
  if (owned != segment.gateway_addresses.end() && sender->ip != sender->target_ip) {
    if (neighbours_.learn_asker(sender->ip, sender->mac, now_ms)) release(sender->ip, sender->mac, uplink);
    const MacAddress our_mac = owned->second;
    const uint32_t our_ip = owned->first;
    if (send_arp(ctx, segment.vni, uplink, [&](uint8_t* out, size_t capacity) {
          return gateway::build_arp_reply(out, capacity, our_mac, our_ip, sender->mac, sender->ip);
        })) {
      counters_.add(kArpReplies, 1);
    }
  } else {
    if (neighbours_.learn(sender->ip, sender->mac, now_ms)) release(sender->ip, sender->mac, uplink);
  }
  // Local ports of the segment see the segment's broadcasts as before; a unicast ARP
  // to one of our MACs ends here.
  if (net::header_at<net::EthernetHeader>(p->data())->dst_mac().is_multicast()) {
    flood.push(p);
  } else {
    ctx.pool->free(p);
  }
  return true;
}

bool GatewayStage::inbound_ip(StageContext& ctx, Packet* p, const gateway::RouterGateway& gateway,
                              uint64_t now_ms, BatchQueue& l2, BatchQueue& uplink) {
  auto served = served_.find(&gateway);
  uint8_t* l3 = ipv4_of(p);
  if (served == served_.end() || l3 == nullptr) {
    ctx.drop(p, served == served_.end() ? DropReason::kNoRoute : DropReason::kNotRoutable);
    return false;
  }
  const size_t l3_length = p->length() - kEth;
  const route::RouterInstance& router = *gateway.router;
  switch (nat_.inbound(served->second.nat, l3, l3_length, now_ms)) {
    case nat::RouterNat::Verdict::kDrop:
      ctx.drop(p, DropReason::kNat);
      return false;
    case nat::RouterNat::Verdict::kToRouter: {
      if (!route::echo_reply_in_place(l3, l3_length)) {
        ctx.drop(p, DropReason::kNotRoutable);
        return false;
      }
      const auto* eth = net::header_at<net::EthernetHeader>(p->data());
      set_macs(p, eth->src_mac(), eth->dst_mac());  // from the MAC it was sent to
      uplink.push(p);
      counters_.add(kEchoReplies, 1);
      return true;
    }
    case nat::RouterNat::Verdict::kForward:
      break;
  }
  const uint32_t destination = destination_of(l3);
  const route::RouteTarget* target = router.routes.lookup(destination);
  if (target == nullptr || target->external || target->interface >= router.interfaces.size()) {
    ctx.drop(p, DropReason::kNoRoute);
    return false;
  }
  const route::RouterInterface& to = router.interfaces[target->interface];
  const Segment* egress = ctx.table->find_segment(to.vni);
  const uint32_t next_hop = target->connected ? destination : static_cast<uint32_t>(target->next_hop);
  auto neighbour = egress ? egress->arp.find(next_hop) : decltype(egress->arp)::const_iterator{};
  if (egress == nullptr || neighbour == egress->arp.end()) {
    ctx.drop(p, DropReason::kNoNeighbor);
    return false;
  }
  switch (route::decrement_ttl(l3, l3_length)) {
    case route::TtlResult::kForward: break;
    case route::TtlResult::kExpired: ctx.drop(p, DropReason::kTtlExpired); return false;
    case route::TtlResult::kMalformed: ctx.drop(p, DropReason::kNotRoutable); return false;
  }
  set_macs(p, neighbour->second, to.mac);
  p->meta.vni = to.vni;
  p->meta.in_port = kNoPort;
  p->meta.out_port = kNoPort;
  l2.push(p);
  counters_.add(kInRouted, 1);
  return true;
}

bool GatewayStage::hold(StageContext& ctx, Packet* p, uint32_t next_hop, uint64_t now_ms) {
  if (!unresolved_.hold(p, next_hop, now_ms)) {
    ctx.drop(p, DropReason::kNoNeighbor);
    return false;
  }
  unresolved_pool_ = ctx.pool;
  counters_.add(kHeld, 1);
  return true;
}

void GatewayStage::release(uint32_t ip, const MacAddress& mac, BatchQueue& uplink) {
  const size_t n = unresolved_.release(ip, [&](Packet* p) {
    std::memcpy(net::header_at<net::EthernetHeader>(p->data())->dst, mac.bytes.data(), 6);
    uplink.push(p);
  });
  counters_.add(kReleased, n);
  counters_.add(kOutForwarded, n);
}

GatewayStage::~GatewayStage() {
  if (unresolved_pool_ != nullptr) unresolved_.clear(*unresolved_pool_);
}

void GatewayStage::housekeeping(StageContext& ctx, uint64_t now_ms, BatchQueue& uplink) {
  if (unresolved_.size() > 0) {
    unresolved_.expire(now_ms, [&](Packet* p) { ctx.drop(p, DropReason::kNoNeighbor); });
  }
  for (const Announcement& a : pending_announcements_) {
    // The segment may be gone by now: then there is no uplink to announce on.
    if (ctx.table->find_segment(a.vni) == nullptr) continue;
    if (send_arp(ctx, a.vni, uplink, [&](uint8_t* out, size_t capacity) {
          return gateway::build_gratuitous_arp(out, capacity, a.mac, a.ip);
        })) {
      counters_.add(kAnnouncements, 1);
    }
  }
  pending_announcements_.clear();
  if (now_ms < next_expiry_ms_) return;
  next_expiry_ms_ = now_ms + config_.expiry_interval_ms;
  if (tracker_.size() == 0) return;
  tracker_.expire(now_ms, config_.expiry_budget);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
}

void GatewayStage::add_counters(nlohmann::json& stages) const {
  add_counter_set(stages, kName, counters_);
  add_counter_set(stages, "router_nat", nat_.counters());
  add_counter_set(stages, "snat", snat_.counters());
  add_counter_set(stages, "snat_ports", ports_.counters());
  add_counter_set(stages, "gateway_conntrack", tracker_.counters());
  add_counter_set(stages, "neighbours", neighbours_.counters());
  auto& gauge = stages["gateway_conntrack"]["connections"];
  const uint64_t other_workers = gauge.is_number_unsigned() ? gauge.get<uint64_t>() : 0;
  gauge = other_workers + connections_.load(std::memory_order_relaxed);
}

}  // namespace overcast::dataplane

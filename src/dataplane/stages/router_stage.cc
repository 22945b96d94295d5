#include "dataplane/stages/router_stage.h"

#include <cstring>

#include "dataplane/route/ipv4_router_ops.h"
#include "net/ethernet.h"
#include "net/ipv4.h"

namespace overcast::dataplane {

namespace {

constexpr size_t kEth = net::kEthernetHeaderSize;

void set_macs(Packet* p, const MacAddress& dst, const MacAddress& src) {
  auto* eth = net::header_at<net::EthernetHeader>(p->data());
  std::memcpy(eth->dst, dst.bytes.data(), 6);
  std::memcpy(eth->src, src.bytes.data(), 6);
}

}  // namespace

void RouterStage::process(StageContext& ctx, Batch& in, BatchQueue& l2, BatchQueue& replies,
                          BatchQueue& to_gateway, BatchQueue& external) {
  uint64_t n_passed = 0, n_routed = 0, n_echo = 0, n_dropped = 0, n_to_gateway = 0, n_to_external = 0;
  icmp_errors_ = 0;
  const Segment* segment = nullptr;  // consecutive frames are usually of one VNI
  for (Packet* p : in) {
    if (!segment || segment->vni != p->meta.vni) segment = ctx.table->find_segment(p->meta.vni);
    // Classify guaranteed a segment and a whole Ethernet header.
    if (!segment || segment->router_ports.empty()) {
      l2.push(p);
      ++n_passed;
      continue;
    }
    auto ingress = segment->router_ports.find(net::header_at<net::EthernetHeader>(p->data())->dst_mac());
    if (ingress == segment->router_ports.end()) {
      l2.push(p);
      ++n_passed;
      continue;
    }
    switch (route(ctx, p, ingress->second, replies)) {
      case Verdict::kRouted:
        l2.push(p);
        ++n_routed;
        break;
      case Verdict::kEchoReply:
        replies.push(p);
        ++n_echo;
        break;
      case Verdict::kToGateway:
        to_gateway.push(p);
        ++n_to_gateway;
        break;
      case Verdict::kToExternal:
        external.push(p);
        ++n_to_external;
        break;
      case Verdict::kDropped:
        ++n_dropped;
        break;
    }
  }
  counters_.add(kIn, in.size());
  counters_.add(kPassed, n_passed);
  counters_.add(kRouted, n_routed);
  counters_.add(kEchoReplies, n_echo);
  counters_.add(kIcmpErrors, icmp_errors_);
  counters_.add(kDropped, n_dropped);
  counters_.add(kToGateway, n_to_gateway);
  counters_.add(kToExternal, n_to_external);
  in.clear();
}

RouterStage::Verdict RouterStage::route(StageContext& ctx, Packet* p, const route::RouterPort& ingress,
                                        BatchQueue& replies) {
  const route::RouterInstance& router = *ingress.router;
  const route::RouterInterface& from = router.interfaces[ingress.interface];
  auto eth = net::parse_ethernet(p->data(), p->length());
  // VMs send untagged frames; IPv6 is not routed yet.
  if (!eth || eth->ethertype != net::ethertype::kIpv4 || eth->l3_offset != kEth) {
    ctx.drop(p, DropReason::kNotRoutable);
    return Verdict::kDropped;
  }
  uint8_t* l3 = p->data() + kEth;
  const size_t l3_length = p->length() - kEth;
  const auto ip = net::parse_ipv4(l3, l3_length);
  // RFC 1812 5.2.2: a router checks the header checksum. Not on TSO super-frames: their
  // headers are the guest kernel's template for segments, rebuilt at tunnel tx.
  if (!ip.header || (!p->meta.offload.is_gso() && !net::ipv4_checksum_ok(ip.header))) {
    ctx.drop(p, DropReason::kNotRoutable);
    return Verdict::kDropped;
  }
  const uint32_t destination = ip.header->dst.host();

  const bool from_tunnel = p->meta.in_port == kNoPort;
  if (router.interface_with_address(destination) != nullptr) {
    if (from_tunnel || !route::echo_reply_in_place(l3, l3_length)) {
      ctx.drop(p, DropReason::kNotRoutable);
      return Verdict::kDropped;
    }
    const MacAddress asker = net::header_at<net::EthernetHeader>(p->data())->src_mac();
    set_macs(p, asker, from.mac);
    p->meta.out_port = p->meta.in_port;
    return Verdict::kEchoReply;
  }

  const route::RouteTarget* target = router.routes.lookup(destination);
  if (target != nullptr && target->external && router.external) {
    if (router.external->served_here && router.external->vni != 0) return Verdict::kToExternal;
    // A floating IP this host NATs itself (DVR): out of this host's own uplink.
    if (!from_tunnel && router.external->vni != 0 && router.external->nats_locally(ip.header->src.host()))
      return Verdict::kToExternal;
    if (!router.external->served_here && router.external->gateway_vtep != 0 && !from_tunnel) {
      p->meta.remote_vtep = router.external->gateway_vtep;
      return Verdict::kToGateway;
    }
  }
  if (target == nullptr || target->external || target->interface >= router.interfaces.size()) {
    send_icmp_error(ctx, p, from, route::icmp_error::kUnreachable, 0, replies);
    ctx.drop(p, DropReason::kNoRoute);
    return Verdict::kDropped;
  }
  const route::RouterInterface& to = router.interfaces[target->interface];
  const Segment* egress = ctx.table->find_segment(to.vni);
  if (egress == nullptr) {
    ctx.drop(p, DropReason::kNoRoute);
    return Verdict::kDropped;
  }
  const uint32_t next_hop = target->connected ? destination : static_cast<uint32_t>(target->next_hop);
  auto neighbour = egress->arp.find(next_hop);
  if (neighbour == egress->arp.end()) {
    send_icmp_error(ctx, p, from, route::icmp_error::kUnreachable, 1, replies);
    ctx.drop(p, DropReason::kNoNeighbor);
    return Verdict::kDropped;
  }
  switch (route::decrement_ttl(l3, l3_length)) {
    case route::TtlResult::kForward:
      break;
    case route::TtlResult::kExpired:
      send_icmp_error(ctx, p, from, route::icmp_error::kTimeExceeded, 0, replies);
      ctx.drop(p, DropReason::kTtlExpired);
      return Verdict::kDropped;
    case route::TtlResult::kMalformed:
      ctx.drop(p, DropReason::kNotRoutable);
      return Verdict::kDropped;
  }
  set_macs(p, neighbour->second, to.mac);
  p->meta.vni = to.vni;
  return Verdict::kRouted;
}

void RouterStage::send_icmp_error(StageContext& ctx, const Packet* p, const route::RouterInterface& from,
                                  uint8_t type, uint8_t code, BatchQueue& replies) {
  // One error per original: flood copies never reach here (they are made after L2).
  // A frame from the tunnel gets none: its sender is on another host.
  if (p->meta.in_port == kNoPort) return;
  Packet* reply = ctx.pool->alloc();
  if (reply == nullptr) {
    ctx.drops->count(DropReason::kNoBuffer);
    return;
  }
  const size_t l3 = route::build_icmp_error(p->data() + kEth, p->length() - kEth, type, code, from.address,
                                            reply->data() + kEth, reply->max_length() - kEth);
  if (l3 == 0) {  // RFC 1812 forbids this one (about an ICMP error, a broadcast, ...)
    ctx.pool->free(reply);
    return;
  }
  reply->set_length(static_cast<uint32_t>(kEth + l3));
  auto* eth = net::header_at<net::EthernetHeader>(reply->data());
  const MacAddress sender = net::header_at<net::EthernetHeader>(p->data())->src_mac();
  std::memcpy(eth->dst, sender.bytes.data(), 6);
  std::memcpy(eth->src, from.mac.bytes.data(), 6);
  eth->ethertype = net::be16::from_host(net::ethertype::kIpv4);
  reply->meta.in_port = p->meta.in_port;
  reply->meta.out_port = p->meta.in_port;
  reply->meta.vni = p->meta.vni;
  replies.push(reply);
  ++icmp_errors_;
}

}  // namespace overcast::dataplane

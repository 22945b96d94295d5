#include "dataplane/provider/uplink_rx_stage.h"

#include "dataplane/provider/vlan_tag.h"
#include "net/ethernet.h"

namespace overcast::dataplane {

const Segment* UplinkRxStage::classify(const ForwardingTable& table, const PortEntry& uplink, Packet& p,
                                       DropReason& why) const {
  auto eth = net::parse_ethernet(p.data(), p.length());
  if (!eth) {
    why = DropReason::kRunt;
    return nullptr;
  }
  uint16_t vid = 0;
  if (eth->vlan_count > 0) {
    // Provider VLANs are 802.1Q C-tags; an S-tag outside is no network of ours.
    if (eth->header->ethertype.host() != net::ethertype::kVlan) {
      why = DropReason::kUnknownVlan;
      return nullptr;
    }
    vid = eth->outer_vid;
    if (vid == 0) {  // a priority tag (802.1p) carries no VLAN: drop, as untagged would need a rewrite
      why = DropReason::kUnknownVlan;
      return nullptr;
    }
  }
  auto it = uplink.uplink_vnis.find(vid);
  const Segment* segment = it == uplink.uplink_vnis.end() ? nullptr : table.find_segment(it->second);
  if (!segment) {
    why = DropReason::kUnknownVlan;
    return nullptr;
  }
  if (vid != 0) {
    pop_vlan_tag(p);  // parse_ethernet saw the whole tag
    if (eth->vlan_count > 1) {  // a VM never receives a tagged frame
      why = DropReason::kTaggedFrame;
      return nullptr;
    }
  }
  if (p.length() > segment->mtu + net::kEthernetHeaderSize) {
    why = DropReason::kTooBig;
    return nullptr;
  }
  return segment;
}

void UplinkRxStage::process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& flood,
                            BatchQueue& gateway) {
  uint64_t n_local = 0, n_flood = 0, n_dropped = 0, n_gateway = 0;
  for (Packet* p : in) {
    const PortEntry* uplink = ctx.table->find_port(p->meta.in_port);
    DropReason why = DropReason::kUnknownPort;
    const Segment* segment = uplink && uplink->uplink ? classify(*ctx.table, *uplink, *p, why) : nullptr;
    if (!segment) {
      ctx.drop(p, why);
      ++n_dropped;
      continue;
    }
    p->meta.vni = segment->vni;
    p->meta.in_port = kNoPort;  // from outside: flooded to local ports only, never back out
    const auto* eth = net::header_at<net::EthernetHeader>(p->data());
    const MacAddress dst = eth->dst_mac();
    // Unicast ARP for a local VM of the external network is not the gateway's: it
    // would end there (the gateway floods only broadcasts on).
    if (!segment->gateways.empty() &&
        ((eth->ethertype.host() == net::ethertype::kArp && dst.is_multicast()) || segment->gateways.count(dst))) {
      gateway.push(p);
      ++n_gateway;
      continue;
    }
    if (dst.is_multicast()) {
      flood.push(p);
      ++n_flood;
      continue;
    }
    auto to = segment->macs.find(dst);
    if (to == segment->macs.end() || to->second.kind != L2Destination::Kind::kLocalPort) {
      ctx.drop(p, DropReason::kNotLocal);
      ++n_dropped;
      continue;
    }
    p->meta.out_port = to->second.port;
    local.push(p);
    ++n_local;
  }
  counters_.add(kIn, in.size());
  counters_.add(kLocal, n_local);
  counters_.add(kFlood, n_flood);
  counters_.add(kDropped, n_dropped);
  counters_.add(kGateway, n_gateway);
  in.clear();
}

}  // namespace overcast::dataplane

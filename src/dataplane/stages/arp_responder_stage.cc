#include "dataplane/stages/arp_responder_stage.h"

#include <cstring>

#include "net/arp.h"
#include "net/ethernet.h"

namespace overcast::dataplane {

void ArpResponderStage::process(StageContext& ctx, Batch& in, BatchQueue& replies, BatchQueue& others) {
  uint64_t n_replied = 0, n_passed = 0, n_dropped = 0;
  for (Packet* p : in) {
    auto eth = net::parse_ethernet(p->data(), p->length());
    if (!eth) {
      ctx.drop(p, DropReason::kRunt);
      ++n_dropped;
      continue;
    }
    // ARP of another hardware/protocol type is not ours to judge: L2 carries it.
    net::ArpPacket* arp = const_cast<net::ArpPacket*>(
        net::parse_arp_ethernet_ipv4(p->data() + eth->l3_offset, p->length() - eth->l3_offset));
    if (!arp && p->length() - eth->l3_offset < sizeof(net::ArpPacket)) {
      ctx.drop(p, DropReason::kRunt);
      ++n_dropped;
      continue;
    }
    const Segment* segment = ctx.table->find_segment(p->meta.vni);
    const MacAddress* answer = nullptr;
    if (arp && segment && arp->operation.host() == net::arp::kOpRequest &&
        arp->sender_ip != arp->target_ip) {
      auto it = segment->arp.find(arp->target_ip.host());
      if (it != segment->arp.end() && it->second != MacAddress::from_bytes(arp->sender_mac)) {
        answer = &it->second;
      }
    }
    if (!answer) {
      others.push(p);
      ++n_passed;
      continue;
    }
    auto* ethernet = net::header_at<net::EthernetHeader>(p->data());
    std::memcpy(ethernet->dst, ethernet->src, 6);
    std::memcpy(ethernet->src, answer->bytes.data(), 6);
    net::make_arp_reply_in_place(arp, *answer);
    p->meta.out_port = p->meta.in_port;
    replies.push(p);
    ++n_replied;
  }
  counters_.add(kIn, in.size());
  counters_.add(kReplied, n_replied);
  counters_.add(kPassed, n_passed);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

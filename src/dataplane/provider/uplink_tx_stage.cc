#include "dataplane/provider/uplink_tx_stage.h"

#include "dataplane/provider/vlan_tag.h"
#include "net/ethernet.h"

namespace overcast::dataplane {

void UplinkTxStage::process(StageContext& ctx, Batch& in, BatchQueue& uplink) {
  uint64_t n_out = 0, n_dropped = 0;
  for (Packet* p : in) {
    const Segment* segment = ctx.table->find_segment(p->meta.vni);
    if (!segment || !segment->is_provider()) {
      ctx.drop(p, DropReason::kUnknownVni);
      ++n_dropped;
      continue;
    }
    // Classify guaranteed a full Ethernet header.
    if (net::is_vlan_tpid(net::header_at<net::EthernetHeader>(p->data())->ethertype.host())) {
      ctx.drop(p, DropReason::kTaggedFrame);
      ++n_dropped;
      continue;
    }
    if (segment->vlan != 0 && !push_vlan_tag(*p, segment->vlan)) {
      ctx.drop(p, DropReason::kNoHeadroom);
      ++n_dropped;
      continue;
    }
    p->meta.out_port = segment->uplink;
    uplink.push(p);
    ++n_out;
  }
  counters_.add(kIn, in.size());
  counters_.add(kOut, n_out);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

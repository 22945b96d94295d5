#include "dataplane/stages/classify_stage.h"

#include "net/ethernet.h"

namespace overcast::dataplane {

void ClassifyStage::process(StageContext& ctx, Batch& in, BatchQueue& arp, BatchQueue& l2) {
  uint64_t n_arp = 0, n_l2 = 0, n_dropped = 0;
  const ForwardingTable& table = *ctx.table;
  for (Packet* p : in) {
    const PortEntry* port = table.find_port(p->meta.in_port);
    if (!port || !table.find_segment(port->vni)) {
      ctx.drop(p, DropReason::kUnknownPort);
      ++n_dropped;
      continue;
    }
    if (!port->admin_up) {
      ctx.drop(p, DropReason::kPortDown);
      ++n_dropped;
      continue;
    }
    auto eth = net::parse_ethernet(p->data(), p->length());
    if (!eth) {
      ctx.drop(p, DropReason::kRunt);
      ++n_dropped;
      continue;
    }
    p->meta.vni = port->vni;
    if (eth->ethertype == net::ethertype::kArp) {
      arp.push(p);
      ++n_arp;
    } else {
      l2.push(p);
      ++n_l2;
    }
  }
  counters_.add(kIn, in.size());
  counters_.add(kArp, n_arp);
  counters_.add(kL2, n_l2);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

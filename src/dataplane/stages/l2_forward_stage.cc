#include "dataplane/stages/l2_forward_stage.h"

#include "net/ethernet.h"

namespace overcast::dataplane {

void L2ForwardStage::process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& remote,
                             BatchQueue& flood) {
  uint64_t n_local = 0, n_remote = 0, n_flood = 0, n_dropped = 0;
  const Segment* segment = nullptr;  // consecutive packets are usually of one VNI
  for (Packet* p : in) {
    if (!segment || segment->vni != p->meta.vni) segment = ctx.table->find_segment(p->meta.vni);
    if (!segment) {
      ctx.drop(p, DropReason::kUnknownVni);
      ++n_dropped;
      continue;
    }
    // Classify guaranteed a full Ethernet header.
    const auto* eth = net::header_at<net::EthernetHeader>(p->data());
    const MacAddress dst = eth->dst_mac();
    if (dst.is_multicast()) {
      flood.push(p);
      ++n_flood;
      continue;
    }
    auto it = segment->macs.find(dst);
    if (it == segment->macs.end()) {
      flood.push(p);
      ++n_flood;
      continue;
    }
    const L2Destination& to = it->second;
    if (to.kind == L2Destination::Kind::kRemoteVtep) {
      p->meta.remote_vtep = to.vtep;
      remote.push(p);
      ++n_remote;
    } else if (to.port == p->meta.in_port) {
      ctx.drop(p, DropReason::kSamePort);
      ++n_dropped;
    } else {
      p->meta.out_port = to.port;
      local.push(p);
      ++n_local;
    }
  }
  counters_.add(kIn, in.size());
  counters_.add(kLocal, n_local);
  counters_.add(kRemote, n_remote);
  counters_.add(kFlood, n_flood);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

#include "dataplane/stages/flood_stage.h"

#include "net/ethernet.h"

namespace overcast::dataplane {

void FloodStage::process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& remote, BatchQueue* uplink) {
  uint64_t n_local = 0, n_remote = 0, n_dropped = 0;
  for (Packet* p : in) {
    const Segment* segment = ctx.table->find_segment(p->meta.vni);
    if (!segment) {
      ctx.drop(p, DropReason::kUnknownVni);
      ++n_dropped;
      continue;
    }
    const PortSlot from = p->meta.in_port;
    const bool from_tunnel = from == kNoPort;
    // A port that is down or gone is no target: flooding it would only count drops.
    auto is_target = [&](PortSlot s) {
      if (s == from) return false;
      const PortEntry* port = ctx.table->find_port(s);
      return port && port->admin_up;
    };
    const bool to_uplink = !from_tunnel && segment->is_provider() && uplink != nullptr;
    // Unknown unicast on a provider network is for the physical segment, not a local port.
    const bool local_too = !to_uplink || net::header_at<net::EthernetHeader>(p->data())->dst_mac().is_multicast();
    size_t local_targets = 0;
    if (local_too) {
      for (PortSlot s : segment->local_ports) local_targets += is_target(s);
    }
    const size_t remote_targets = from_tunnel || segment->is_provider() ? 0 : segment->flood_vteps.size();
    size_t remaining = local_targets + remote_targets + (to_uplink ? 1 : 0);
    if (remaining == 0) {
      ctx.drop(p, DropReason::kNoFloodTarget);
      ++n_dropped;
      continue;
    }
    // Every target but the last gets a copy; the last one takes the original, so a
    // frame with one target costs no copy at all.
    auto next_buffer = [&]() -> Packet* {
      if (--remaining == 0) return p;
      Packet* copy = ctx.pool->alloc();
      if (copy && copy->copy_from(*p)) return copy;
      if (copy) ctx.pool->free(copy);
      ctx.drops->count(DropReason::kNoBuffer);
      ++n_dropped;
      return nullptr;
    };
    for (PortSlot s : segment->local_ports) {
      if (!local_too || !is_target(s)) continue;
      if (Packet* out = next_buffer()) {
        out->meta.out_port = s;
        local.push(out);
        ++n_local;
      }
    }
    for (size_t i = 0; i < remote_targets; ++i) {
      if (Packet* out = next_buffer()) {
        out->meta.remote_vtep = segment->flood_vteps[i];
        out->meta.replica = out != p;
        remote.push(out);
        ++n_remote;
      }
    }
    if (to_uplink) {
      if (Packet* out = next_buffer()) {
        uplink->push(out);
        ++n_remote;
      }
    }
  }
  counters_.add(kIn, in.size());
  counters_.add(kLocalCopies, n_local);
  counters_.add(kRemoteCopies, n_remote);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

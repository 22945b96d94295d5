// EncapStage<Codec>: frames bound for a remote VTEP get the tunnel header.
//
// Input:  frames with meta.vni and meta.remote_vtep set.
// Output: `tunnel` — header pushed in headroom; meta.flow_hash and
//         meta.outer_src_port (RFC 7348 §5 entropy, 49152–65535) set.
//         meta.tunnel_header = the header's size. A TCP super-frame (GSO) stays one
//         packet (tunnel tx cuts it).
// Drops:  too_big (frame longer than the segment MTU + 14: PathMtuStage before us
//         makes frames fit, so this only guards), unknown_vni (also a VNI too wide
//         for the header), no_headroom.
// Counters (stage "<codec>_encap"): in, out, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"
#include "net/ethernet.h"
#include "net/flow_hash.h"

namespace overcast::dataplane {

template <class Codec>
class EncapStage {
 public:
  static constexpr const char* kName = Codec::kEncapStageName;
  enum : size_t { kIn, kOut, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& tunnel) {
    uint64_t n_out = 0, n_dropped = 0;
    const Segment* segment = nullptr;
    for (Packet* p : in) {
      if (!segment || segment->vni != p->meta.vni) segment = ctx.table->find_segment(p->meta.vni);
      // A VNI wider than the header's field would go out as another network's.
      if (!segment || p->meta.vni > Codec::kMaxVni) {
        ctx.drop(p, DropReason::kUnknownVni);
        ++n_dropped;
        continue;
      }
      // PathMtuStage made frames fit; a GSO frame's segments are checked when cut.
      if (!p->meta.offload.is_gso() && p->length() > segment->mtu + net::kEthernetHeaderSize) {
        ctx.drop(p, DropReason::kTooBig);
        ++n_dropped;
        continue;
      }
      // Fragments made by PathMtuStage carry their datagram's hash: one flow, one socket.
      if (p->meta.flow_hash == 0) p->meta.flow_hash = net::flow_hash(p->data(), p->length());
      p->meta.outer_src_port = net::tunnel_source_port(p->meta.flow_hash);
      if (!Codec::push_header(*p, p->meta.vni)) {
        ctx.drop(p, DropReason::kNoHeadroom);
        ++n_dropped;
        continue;
      }
      p->meta.tunnel_header = static_cast<uint16_t>(Codec::kHeaderSize);
      tunnel.push(p);
      ++n_out;
    }
    counters_.add(kIn, in.size());
    counters_.add(kOut, n_out);
    counters_.add(kDropped, n_dropped);
    in.clear();
  }
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "out", "dropped"};
};

}  // namespace overcast::dataplane

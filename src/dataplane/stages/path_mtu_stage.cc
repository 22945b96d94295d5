#include "dataplane/stages/path_mtu_stage.h"

#include <algorithm>

#include "dataplane/offload/checksum_completion.h"
#include "dataplane/offload/frame_layout.h"
#include "dataplane/offload/too_big.h"
#include "net/ethernet.h"
#include "net/flow_hash.h"

namespace overcast::dataplane {

void PathMtuStage::process(StageContext& ctx, Batch& in, BatchQueue& fits, BatchQueue& local) {
  counters_.add(kIn, in.size());
  const Segment* segment = nullptr;
  for (Packet* p : in) {
    if (!segment || segment->vni != p->meta.vni) segment = ctx.table->find_segment(p->meta.vni);
    if (!segment) {
      ctx.drop(p, DropReason::kUnknownVni);
      counters_.add(kDropped, 1);
      continue;
    }
    const size_t max_frame = segment->mtu + net::kEthernetHeaderSize;
    OffloadInfo& offload = p->meta.offload;
    if (offload.is_gso()) {
      auto layout = parse_tcp_frame(p->data(), p->length());
      if (!layout || layout->payload_offset >= max_frame) {
        ctx.drop(p, layout ? DropReason::kTooBig : DropReason::kBadOffload);
        counters_.add(kDropped, 1);
        continue;
      }
      // TCP segments may be cut at any size: smaller ones fit where the VM's did not.
      const size_t max_mss = max_frame - layout->payload_offset;
      if (offload.gso_size > max_mss) offload.gso_size = static_cast<uint16_t>(max_mss);
      fits.push(p);
      counters_.add(kFits, 1);
      continue;
    }
    if (offload.needs_csum) {
      if (!complete_partial_checksum(p->data(), p->length(), offload)) {
        ctx.drop(p, DropReason::kBadOffload);
        counters_.add(kDropped, 1);
        continue;
      }
      offload.needs_csum = false;
    }
    if (p->length() > max_frame) {
      // VLAN tags count against the frame the tunnel carries, so they come off the IP MTU
      // that fragments are cut to and that the ICMP error announces.
      auto ip = parse_ip_frame(p->data(), p->length());
      const size_t l3_offset = ip ? ip->l3_offset : net::kEthernetHeaderSize;
      too_big(ctx, p, static_cast<uint32_t>(max_frame - std::min(max_frame, l3_offset)), fits, local);
      continue;
    }
    fits.push(p);
    counters_.add(kFits, 1);
  }
  in.clear();
}

void PathMtuStage::too_big(StageContext& ctx, Packet* p, uint32_t mtu, BatchQueue& fits, BatchQueue& local) {
  switch (too_big_action(p->data(), p->length())) {
    case TooBigAction::kFragment: {
      // Hashed like the whole datagram (ports included), so the fragments leave through
      // the same tunnel socket as the flow's other packets and are not reordered.
      p->meta.flow_hash = net::flow_hash(p->data(), p->length());
      const size_t count = ipv4_fragment_count(p->data(), p->length(), mtu);
      size_t made = 0;
      for (size_t i = 0; i < count; ++i) {
        Packet* f = ctx.pool->alloc();
        if (!f) {
          ctx.drops->count(DropReason::kNoBuffer);
          break;
        }
        const size_t n = build_ipv4_fragment(p->data(), p->length(), mtu, i, f->data(), f->max_length());
        if (n == 0) {
          ctx.pool->free(f);
          break;
        }
        f->set_length(static_cast<uint32_t>(n));
        f->meta = p->meta;
        f->meta.offload = OffloadInfo{};
        fits.push(f);
        ++made;
      }
      if (made > 0) counters_.add(kFragmented, 1);
      break;
    }
    case TooBigAction::kReply: {
      if (p->meta.in_port == kNoPort || p->meta.replica) break;
      Packet* r = ctx.pool->alloc();
      if (!r) {
        ctx.drops->count(DropReason::kNoBuffer);
        break;
      }
      const size_t n = build_too_big_reply(p->data(), p->length(), mtu, r->data(), r->max_length());
      if (n == 0) {
        ctx.pool->free(r);
        break;
      }
      r->set_length(static_cast<uint32_t>(n));
      r->meta.vni = p->meta.vni;
      r->meta.out_port = p->meta.in_port;
      local.push(r);
      counters_.add(kReplied, 1);
      break;
    }
    case TooBigAction::kDrop: break;
  }
  ctx.drop(p, DropReason::kTooBig);
  counters_.add(kDropped, 1);
}

}  // namespace overcast::dataplane

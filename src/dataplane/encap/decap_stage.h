// DecapStage<Codec>: datagrams from the tunnel back into a virtual network.
//
// Input:  UDP payloads read from the tunnel socket, meta.remote_vtep = sender.
// Output: `local` — unicast to a MAC on a local port of the VNI (meta.out_port),
//         `flood` — broadcast/multicast, for the local ports of the VNI only;
//         `router` — unicast to a router MAC of the segment (on the host serving the
//                  router's external gateway, VM hosts send it what leaves by it).
//         meta.vni set, meta.in_port = kNoPort (so flooding never re-enters the tunnel).
// Drops, in the order checked: runt (shorter than the tunnel header), bad_flags,
//         unknown_vtep (sender not in known_vteps), unknown_vni (no segment here),
//         runt (inner frame < 14 bytes), too_big (inner frame longer than the
//         segment MTU + 14: the encap side's rule, mirrored, so a peer cannot hand a
//         VM a frame its MTU does not allow), not_local (unicast to a MAC that is not
//         on a local port: we are not a transit switch, and sending it back into
//         the tunnel would loop).
// Counters (stage "<codec>_decap"): in, local, flood, dropped, routed.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/encap/pop_result.h"
#include "dataplane/stages/stage_context.h"
#include "net/ethernet.h"

namespace overcast::dataplane {

template <class Codec>
class DecapStage {
 public:
  static constexpr const char* kName = Codec::kDecapStageName;
  enum : size_t { kIn, kLocal, kFlood, kDropped, kRouted };

  void process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& flood, BatchQueue* router = nullptr) {
    uint64_t n_local = 0, n_flood = 0, n_dropped = 0, n_routed = 0;
    const ForwardingTable& table = *ctx.table;
    for (Packet* p : in) {
      const DropReason reason = classify(table, *p);
      if (reason == kToRouter && router != nullptr) {
        router->push(p);
        ++n_routed;
      } else if (reason == kToRouter) {
        ctx.drop(p, DropReason::kNotLocal);
        ++n_dropped;
      } else if (reason != DropReason::kCount) {
        ctx.drop(p, reason);
        ++n_dropped;
      } else if (p->meta.out_port == kNoPort) {
        flood.push(p);
        ++n_flood;
      } else {
        local.push(p);
        ++n_local;
      }
    }
    counters_.add(kIn, in.size());
    counters_.add(kLocal, n_local);
    counters_.add(kFlood, n_flood);
    counters_.add(kDropped, n_dropped);
    counters_.add(kRouted, n_routed);
    in.clear();
  }
  const CounterSet& counters() const { return counters_; }

 private:
  // classify()'s answer for a frame to a router MAC of its segment (not a drop).
  static constexpr DropReason kToRouter = static_cast<DropReason>(static_cast<int>(DropReason::kCount) + 1);

  // DropReason::kCount when the packet is accepted (out_port set for unicast), kToRouter
  // for a frame the router stage takes.
  static DropReason classify(const ForwardingTable& table, Packet& p) {
    uint32_t vni = 0;
    // Pop on a copy of the descriptor, committed only when every check passed.
    Packet probe = p;  // copies pointers and offsets only, not the buffer
    switch (Codec::pop_header(probe, vni)) {
      case PopResult::kOk: break;
      case PopResult::kRunt: return DropReason::kRunt;
      case PopResult::kBadFlags: return DropReason::kBadFlags;
    }
    if (!table.known_vteps.contains(p.meta.remote_vtep)) return DropReason::kUnknownVtep;
    const Segment* segment = table.find_segment(vni);
    if (!segment) return DropReason::kUnknownVni;
    if (!segment->vteps.contains(p.meta.remote_vtep)) return DropReason::kUnknownVtep;
    if (probe.length() < net::kEthernetHeaderSize) return DropReason::kRunt;
    // A merged (GRO) frame is checked by the segments it was made of.
    const uint32_t on_wire = p.meta.offload.is_gso() ? p.meta.offload.hdr_len + p.meta.offload.gso_size
                                                     : probe.length();
    if (on_wire > segment->mtu + net::kEthernetHeaderSize) return DropReason::kTooBig;
    p = probe;
    p.meta.vni = vni;
    p.meta.in_port = kNoPort;
    p.meta.out_port = kNoPort;
    const auto* eth = net::header_at<net::EthernetHeader>(p.data());
    const MacAddress dst = eth->dst_mac();
    if (dst.is_multicast()) return DropReason::kCount;
    auto it = segment->macs.find(dst);
    if (it == segment->macs.end() || it->second.kind != L2Destination::Kind::kLocalPort) {
      return segment->router_ports.count(dst) ? kToRouter : DropReason::kNotLocal;
    }
    p.meta.out_port = it->second.port;
    return DropReason::kCount;
  }

  CounterSet counters_{"in", "local", "flood", "dropped", "routed"};
};

}  // namespace overcast::dataplane

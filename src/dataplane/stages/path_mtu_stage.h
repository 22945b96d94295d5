// PathMtuStage: frames bound for the tunnel are made to fit the network's MTU
// before they are encapsulated — what the VM's NIC and the first router would do.
//
// Input:  frames for a remote VTEP (meta.vni, meta.remote_vtep set), from VM ports.
// Output: `fits` — ready to encapsulate: a TCP super-frame (GSO) with gso_size
//           lowered so its segments fit (tunnel tx cuts it); any other frame with its
//           partial checksum finished, since nobody after us will;
//           IPv4 without DF larger than the MTU: fragmented, each fragment into `fits`;
//         `local` — IPv4 with DF or IPv6 larger than the MTU: the ICMP "fragmentation
//           needed" / ICMPv6 "packet too big" reply, back to the port it came from
//           (meta.out_port = meta.in_port); the frame itself is dropped as too_big.
// Drops:  too_big (larger than the MTU: always counted, also when answered or
//         fragmented, so the counter says how often the VM's MTU was wrong),
//         bad_offload (GSO frame that is not TCP over IP, partial checksum offsets
//         that do not fit), no_buffer (no buffer for a fragment or reply).
// Counters (stage "path_mtu"): in, fits, fragmented, replied, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class PathMtuStage {
 public:
  static constexpr const char* kName = "path_mtu";
  enum : size_t { kIn, kFits, kFragmented, kReplied, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& fits, BatchQueue& local);
  const CounterSet& counters() const { return counters_; }

 private:
  // Ends `p` (too big for `mtu`): fragments, reply or drop.
  void too_big(StageContext& ctx, Packet* p, uint32_t mtu, BatchQueue& fits, BatchQueue& local);

  CounterSet counters_{"in", "fits", "fragmented", "replied", "dropped"};
};

}  // namespace overcast::dataplane

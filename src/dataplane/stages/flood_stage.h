// FloodStage: broadcast, unknown unicast and multicast (BUM) of one segment.
//
// From a VM port: a copy to every other local port of the segment that is up,
// and head-end replication — one copy per VTEP of the segment's flood_vteps.
// From the tunnel (meta.in_port == kNoPort): the local ports of the VNI only,
// never back into the tunnel (split horizon: the sender already replicated).
// A provider network's (flat/vlan) frame from a VM port goes to `uplink`, once, instead
// of any VTEP; unknown unicast there goes to the uplink only (every local MAC is known).
// Copies are real buffers from the pool; the original goes to the last target.
//
// Input:  BUM frames (meta.vni set).
// Output: `local` (meta.out_port set), `remote` (meta.remote_vtep set), `uplink`.
// Drops:  no_buffer (a copy could not be allocated: that one target misses the
//         frame), no_flood_target (nowhere to send), unknown_vni.
// Counters (stage "flood"): in, local_copies, remote_copies, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class FloodStage {
 public:
  static constexpr const char* kName = "flood";
  enum : size_t { kIn, kLocalCopies, kRemoteCopies, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& remote, BatchQueue* uplink = nullptr);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "local_copies", "remote_copies", "dropped"};
};

}  // namespace overcast::dataplane

// UplinkTxStage: frames of a provider network's local VM ports out onto its physical
// segment, through the uplink the network is bridged to.
//
// A VLAN network's frames get its 802.1Q tag; a flat network's go untagged. A frame the
// VM tagged itself is dropped, never double-tagged or sent as is: on a flat network it
// would land in a VLAN network of the same segment.
//
// Input:  frames of provider segments from local VM ports (meta.vni set).
// Output: `uplink` — the local-delivery queue, meta.out_port = the uplink's slot.
// Drops:  unknown_vni (no provider segment), tagged_frame, no_headroom.
// Counters (stage "uplink_tx"): in, out, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class UplinkTxStage {
 public:
  static constexpr const char* kName = "uplink_tx";
  enum : size_t { kIn, kOut, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& uplink);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "out", "dropped"};
};

}  // namespace overcast::dataplane

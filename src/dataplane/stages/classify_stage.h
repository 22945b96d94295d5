// ClassifyStage: first stage for frames from VM ports.
//
// Input:  frames read from VM ports (meta.in_port set by the worker).
// Output: `arp`   — Ethernet ARP frames (for the ARP responder),
//         `l2`    — everything else, with meta.vni set from the port.
// Drops:  runt (shorter than an Ethernet header or its VLAN tags), unknown_port
//         (slot not in the table or its VNI has no segment), port_down.
// Counters (stage "classify"): in, arp, l2, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class ClassifyStage {
 public:
  static constexpr const char* kName = "classify";
  enum : size_t { kIn, kArp, kL2, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& arp, BatchQueue& l2);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "arp", "l2", "dropped"};
};

}  // namespace overcast::dataplane

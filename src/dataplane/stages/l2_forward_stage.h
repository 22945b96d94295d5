// L2ForwardStage: the per-VNI MAC table, for frames from VM ports.
//
// Input:  frames from VM ports (meta.in_port, meta.vni set).
// Output: `local`  — known MAC on a local port (meta.out_port set),
//         `remote` — known MAC behind a remote VTEP (meta.remote_vtep set),
//         `flood`  — broadcast, multicast and unknown unicast.
// Drops:  same_port (unicast back out of the port it came in on),
//         unknown_vni (the segment vanished between classify and here: cannot
//         happen within one snapshot, counted rather than trusted).
// Counters (stage "l2_forward"): in, local, remote, flood, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class L2ForwardStage {
 public:
  static constexpr const char* kName = "l2_forward";
  enum : size_t { kIn, kLocal, kRemote, kFlood, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& remote, BatchQueue& flood);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "local", "remote", "flood", "dropped"};
};

}  // namespace overcast::dataplane

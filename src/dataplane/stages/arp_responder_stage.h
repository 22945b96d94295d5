// ArpResponderStage: ARP suppression (controller mode, NSX/NVP style).
//
// An ARP request (Ethernet/IPv4, op 1) whose target IP is in the segment's `arp`
// map is turned into the reply in place and sent back to the asking port, so the
// underlay never carries ARP for addresses the controller already told us.
// Not answered (passed to L2, which floods or forwards them): replies, gratuitous
// ARP, requests for unknown addresses, and a request whose answer would be the
// asker's own MAC (a duplicate address probe must not be told "you conflict").
//
// Input:  ARP frames from VM ports (meta.vni set).
// Output: `replies` — meta.out_port = meta.in_port; `others` — to L2.
// Drops:  runt (ARP header truncated after a valid Ethernet header).
// Counters (stage "arp_responder"): in, replied, passed, dropped.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class ArpResponderStage {
 public:
  static constexpr const char* kName = "arp_responder";
  enum : size_t { kIn, kReplied, kPassed, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& replies, BatchQueue& others);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in", "replied", "passed", "dropped"};
};

}  // namespace overcast::dataplane

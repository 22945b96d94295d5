// PortSecurityStage: Neutron's anti-spoofing on frames from VM ports, the first stage
// they meet. A port with port security on has a compiled SpoofFilter in the table; its
// frames pass only if the filter says so (port_security/spoof_filter.h).
//
// Input:  frames read from VM ports (meta.in_port set).
// Output: `passed` — frames of ports without a filter (port security off, or a slot the
//         table does not know: classify judges those) and frames the filter lets through.
// Drops:  spoofed (the filter's verdict, one stage counter per verdict), runt (headers
//         shorter than they claim).
// Counters (stage "port_security"): in, passed, unfiltered, then one per refusing verdict.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class PortSecurityStage {
 public:
  static constexpr const char* kName = "port_security";
  // After kUnfiltered: one counter per SpoofVerdict other than kPass, in verdict order.
  enum : size_t { kIn, kPassed, kUnfiltered, kVerdictBase };

  void process(StageContext& ctx, Batch& in, BatchQueue& passed);
  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"in",          "passed",      "unfiltered",    "spoofed_mac", "spoofed_ip",
                       "spoofed_arp", "dhcp_server", "router_advert", "malformed"};
};

}  // namespace overcast::dataplane

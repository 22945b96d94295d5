// Phase 2: churn at a steady rate (ports created, moved to another host, deleted,
// in equal shares) through the API, and time each change from the API's answer
// until every concerned host (its network's hosts before and after) has applied
// an entry of that port (after which the client ACKs), or a snapshot.
//
// A port with a change still in flight is not picked again, so every entry a host
// applies for it belongs to the change being timed.
//
// With stalled hosts (options.stalled_hosts), hosts 0..K-1 stop applying for the whole
// churn: the latency of a change is then measured on its other hosts (does a hung host
// delay anyone else?), and after the churn the stalled hosts are released and timed
// until they hold their ideal view again (resume by deltas, or a snapshot).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/scale/load/cloud_model.h"
#include "bench/scale/load/neutron_load.h"
#include "bench/scale/main/build_phase.h"
#include "bench/scale/main/scale_options.h"
#include "bench/scale/meter/latency_stats.h"
#include "bench/scale/sim/host_fleet.h"

namespace overcast::bench {

struct ChurnResult {
  size_t changes = 0;          // answered 2xx by the API
  size_t creates = 0, moves = 0, deletes = 0;
  size_t api_errors = 0;
  std::string first_api_error;
  size_t unsettled = 0;        // not applied by every concerned host within the settle timeout
  double seconds = 0;          // of the churn itself
  double achieved_rate = 0;    // changes per second
  std::vector<double> latency_ms;      // API answer -> last concerned host applied
  std::vector<double> api_ms;          // request sent -> API answer
  std::vector<double> concerned_hosts; // per change
  size_t changes_touching_stalled = 0;
  std::vector<double> latency_with_stalled_ms;  // those changes, on their other hosts
  double stalled_catch_up_seconds = 0;          // release -> stalled hosts at their ideal view
  bool stalled_caught_up = true;
};

ChurnResult run_churn(const ScaleOptions& options, const std::vector<BuiltNetwork>& networks, NeutronLoad& api,
                      HostFleet& fleet, CloudModel& model);

}  // namespace overcast::bench

// One point of the scale bench: the cloud's shape and the run's limits.
#pragma once

#include <cstddef>
#include <string>

#include "bench/scale/load/cloud_plan.h"
#include "bench/scale/sim/sim_host_sink.h"

namespace overcast::bench {

struct ScaleOptions {
  std::string controller_binary = "build/bin/overcast-controller";
  std::string work_dir;  // "" = a fresh directory under /tmp, removed afterwards
  CloudShape shape;
  SinkMode sink = SinkMode::kLight;
  size_t bulk = 1000;                // objects per bulk create
  double churn_rate = 100;           // changes per second
  double churn_seconds = 10;
  double converge_timeout_s = 300;   // the build phase gives up after this
  double settle_timeout_s = 30;      // a churn change not settled by then is counted lost
  size_t stalled_hosts = 0;          // hosts 0..K-1 stop applying during the churn
};

}  // namespace overcast::bench

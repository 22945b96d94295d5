// Phase 1: build the whole cloud through the API from empty (bulk creates of
// networks, subnets and ports, as a cloud's orchestration would at scale), then
// wait until every simulated host holds as many entries as its ideal view.
#pragma once

#include <string>
#include <vector>

#include "bench/scale/load/cloud_model.h"
#include "bench/scale/load/cloud_plan.h"
#include "bench/scale/load/neutron_load.h"
#include "bench/scale/main/scale_options.h"
#include "bench/scale/sim/host_fleet.h"

namespace overcast::bench {

struct BuiltNetwork {
  std::string id, project;
};

struct BuildResult {
  double api_seconds = 0;       // first call to the last 201
  double converge_seconds = 0;  // first call to every host at its ideal entry count
  bool converged = false;
  size_t hosts_behind = 0;      // at the deadline, when not converged
  std::vector<BuiltNetwork> networks;
};

BuildResult build_cloud(const ScaleOptions& options, const CloudPlan& plan, NeutronLoad& api,
                        const HostFleet& fleet, CloudModel& model);

}  // namespace overcast::bench

// Compares what every simulated host holds with its ideal view (CloudModel):
// exact key sets, and the state held per host (entries, serialized bytes).
#pragma once

#include <cstddef>
#include <cstdint>

#include "bench/scale/load/cloud_model.h"
#include "bench/scale/sim/host_fleet.h"

namespace overcast::bench {

struct ViewAudit {
  size_t hosts = 0;
  size_t hosts_exact = 0;     // key set equal to the ideal
  size_t missing_keys = 0;    // ideal keys a host lacks, summed over hosts
  size_t extra_keys = 0;      // keys a host holds beyond its ideal, summed over hosts
  double entries_mean = 0, ideal_entries_mean = 0;
  size_t entries_max = 0;
  double worst_entries_ratio = 0;  // max over hosts of held / ideal (1.0 = ideal)
  double bytes_mean = 0;
  uint64_t bytes_max = 0;
  uint64_t bytes_total = 0;
};

ViewAudit audit_views(const HostFleet& fleet, const CloudModel& model);

}  // namespace overcast::bench

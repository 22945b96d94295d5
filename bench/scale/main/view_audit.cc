#include "bench/scale/main/view_audit.h"

#include <algorithm>
#include <iterator>

namespace overcast::bench {

ViewAudit audit_views(const HostFleet& fleet, const CloudModel& model) {
  ViewAudit audit;
  audit.hosts = fleet.size();
  size_t held_total = 0, ideal_total = 0;
  for (const auto& host : fleet.hosts()) {
    auto held = host.sink->keys();
    std::sort(held.begin(), held.end());
    const auto ideal = model.ideal_keys(host.name);
    std::vector<std::string> missing, extra;
    std::set_difference(ideal.begin(), ideal.end(), held.begin(), held.end(), std::back_inserter(missing));
    std::set_difference(held.begin(), held.end(), ideal.begin(), ideal.end(), std::back_inserter(extra));
    audit.missing_keys += missing.size();
    audit.extra_keys += extra.size();
    if (missing.empty() && extra.empty()) ++audit.hosts_exact;
    held_total += held.size();
    ideal_total += ideal.size();
    audit.entries_max = std::max(audit.entries_max, held.size());
    const double ratio = ideal.empty() ? (held.empty() ? 1.0 : static_cast<double>(held.size()))
                                       : static_cast<double>(held.size()) / static_cast<double>(ideal.size());
    audit.worst_entries_ratio = std::max(audit.worst_entries_ratio, ratio);
    const uint64_t bytes = host.sink->state_bytes();
    audit.bytes_total += bytes;
    audit.bytes_max = std::max(audit.bytes_max, bytes);
  }
  if (audit.hosts > 0) {
    const auto n = static_cast<double>(audit.hosts);
    audit.entries_mean = static_cast<double>(held_total) / n;
    audit.ideal_entries_mean = static_cast<double>(ideal_total) / n;
    audit.bytes_mean = static_cast<double>(audit.bytes_total) / n;
  }
  return audit;
}

}  // namespace overcast::bench

// Percentiles of a sample, nearest-rank (the smallest value with at least p% of
// the sample at or below it), so every figure printed is a latency that happened.
#pragma once

#include <cstddef>
#include <vector>

namespace overcast::bench {

struct LatencySummary {
  size_t count = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
};

// `p` in (0, 100]; 0 for an empty sample.
double nearest_rank_percentile(std::vector<double> sample, double p);
LatencySummary summarize(const std::vector<double>& sample);

}  // namespace overcast::bench

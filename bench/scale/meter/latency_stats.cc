#include "bench/scale/meter/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace overcast::bench {

namespace {
double rank_in_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double clamped = std::clamp(p, 0.0, 100.0);
  size_t rank = static_cast<size_t>(std::ceil(clamped / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}
}  // namespace

double nearest_rank_percentile(std::vector<double> sample, double p) {
  std::sort(sample.begin(), sample.end());
  return rank_in_sorted(sample, p);
}

LatencySummary summarize(const std::vector<double>& sample) {
  LatencySummary s;
  s.count = sample.size();
  if (sample.empty()) return s;
  std::vector<double> sorted = sample;
  std::sort(sorted.begin(), sorted.end());
  s.p50 = rank_in_sorted(sorted, 50);
  s.p95 = rank_in_sorted(sorted, 95);
  s.p99 = rank_in_sorted(sorted, 99);
  s.max = sorted.back();
  s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  return s;
}

}  // namespace overcast::bench

#include "bench/scale/meter/latency_stats.h"

#include <gtest/gtest.h>

namespace overcast::bench {
namespace {

TEST(LatencyStatsTest, NearestRankPicksAValueOfTheSample) {
  std::vector<double> sample;
  for (int i = 100; i >= 1; --i) sample.push_back(i);  // 1..100, unsorted
  EXPECT_EQ(nearest_rank_percentile(sample, 50), 50);
  EXPECT_EQ(nearest_rank_percentile(sample, 99), 99);
  EXPECT_EQ(nearest_rank_percentile(sample, 100), 100);
  EXPECT_EQ(nearest_rank_percentile(sample, 0.1), 1);
  EXPECT_EQ(nearest_rank_percentile({7, 3}, 50), 3);
  EXPECT_EQ(nearest_rank_percentile({7, 3}, 51), 7);
}

TEST(LatencyStatsTest, SummaryOfASmallSample) {
  const auto s = summarize({4, 1, 3, 2});
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.p50, 2);
  EXPECT_EQ(s.p95, 4);
  EXPECT_EQ(s.p99, 4);
  EXPECT_EQ(s.max, 4);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
}

TEST(LatencyStatsTest, EmptySampleIsAllZero) {
  const auto s = summarize({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.p99, 0);
  EXPECT_EQ(nearest_rank_percentile({}, 50), 0);
}

}  // namespace
}  // namespace overcast::bench

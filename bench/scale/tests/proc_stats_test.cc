#include "bench/scale/meter/proc_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace overcast::bench {
namespace {

TEST(ProcStatsTest, ReadsRssAndPeakFromStatus) {
  ProcSample s;
  ASSERT_TRUE(parse_status_memory("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t    1024 kB\n", s));
  EXPECT_EQ(s.rss_bytes, 1024u * 1024);
  EXPECT_EQ(s.peak_rss_bytes, 2048u * 1024);
  EXPECT_FALSE(parse_status_memory("Name:\tx\nVmRSS:\t1024 kB\n", s));
  EXPECT_FALSE(parse_status_memory("VmHWM: 1 kB\nVmRSS: lots\n", s));
}

TEST(ProcStatsTest, ReadsCpuAfterACommandNameWithSpacesAndParentheses) {
  ProcSample s;
  // Fields 14 and 15 (utime, stime) are 150 and 50 ticks.
  const std::string stat = "42 (odd) name) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0";
  ASSERT_TRUE(parse_stat_cpu(stat, 100, s));
  EXPECT_DOUBLE_EQ(s.cpu_seconds, 2.0);
  EXPECT_FALSE(parse_stat_cpu("42 (x) S 1 2", 100, s));
  EXPECT_FALSE(parse_stat_cpu("no parenthesis", 100, s));
  EXPECT_FALSE(parse_stat_cpu(stat, 0, s));
  EXPECT_FALSE(parse_stat_cpu("42 (x) S 1 2 3 4 5 6 7 8 9 10 x 50", 100, s));
}

TEST(ProcStatsTest, SamplesThisProcess) {
  auto s = sample_process(::getpid());
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->rss_bytes, 0u);
  EXPECT_GE(s->peak_rss_bytes, s->rss_bytes);
  EXPECT_FALSE(sample_process(-1).has_value());
  EXPECT_EQ(file_size_or_zero("/nonexistent/overcast"), 0u);
}

}  // namespace
}  // namespace overcast::bench

#include "bench/scale/sim/sim_host_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <set>

#include "agent/view_test_util.h"
#include "bench/scale/sim/host_fleet.h"

namespace overcast::bench {
namespace {

using namespace overcast::agent::viewtest;

std::vector<agent::sb::ViewEntry> base_view() {
  return {network("n1", 100, {"192.0.2.2"}), local_port("p1", "n1", 100, "fa:16:3e:00:00:01", {"10.0.0.1"}),
          remote_port("r1", "n1", 100, "fa:16:3e:00:00:02", "192.0.2.2", {"10.0.0.2"})};
}

std::vector<std::string> sorted_keys(const SimHostSink& sink) {
  auto keys = sink.keys();
  std::sort(keys.begin(), keys.end());
  return keys;
}

class SimHostSinkTest : public ::testing::TestWithParam<SinkMode> {};

INSTANTIATE_TEST_SUITE_P(BothModes, SimHostSinkTest, ::testing::Values(SinkMode::kAgent, SinkMode::kLight));

TEST_P(SimHostSinkTest, CountsTheStateItHoldsAndTheTrafficItGot) {
  SimHostSink sink(GetParam());
  std::string reason;
  const auto view = base_view();
  ASSERT_TRUE(sink.apply_snapshot(view, reason)) << reason;
  EXPECT_EQ(sink.entries(), 3u);
  uint64_t bytes = 0;
  for (const auto& e : view) bytes += e.ByteSizeLong();
  EXPECT_EQ(sink.state_bytes(), bytes);
  EXPECT_EQ(sorted_keys(sink), (std::vector<std::string>{"lport/p1", "net/n1", "rport/r1"}));

  ASSERT_TRUE(sink.apply_delta({}, {"rport/r1"}, reason)) << reason;
  EXPECT_EQ(sink.entries(), 2u);
  EXPECT_EQ(sink.state_bytes(), bytes - view[2].ByteSizeLong());
  const auto traffic = sink.traffic();
  EXPECT_EQ(traffic.snapshots, 1u);
  EXPECT_EQ(traffic.deltas, 1u);
  EXPECT_EQ(traffic.bytes, bytes + std::string("rport/r1").size());
}

TEST_P(SimHostSinkTest, ARefusedDeltaChangesNothing) {
  SimHostSink sink(GetParam());
  std::string reason;
  ASSERT_TRUE(sink.apply_snapshot(base_view(), reason));
  auto bad_mac = remote_port("r9", "n1", 100, "zz:16:3e:00:00:09", "192.0.2.9");
  EXPECT_FALSE(sink.apply_delta({bad_mac}, {}, reason));
  EXPECT_FALSE(reason.empty());
  EXPECT_EQ(sink.entries(), 3u);
  EXPECT_EQ(sink.traffic().nacks, 1u);
  EXPECT_EQ(sink.traffic().deltas, 0u);
}

TEST_P(SimHostSinkTest, ReportsEachNewLocalPortUpOnce) {
  SimHostSink sink(GetParam());
  std::string reason;
  ASSERT_TRUE(sink.apply_snapshot(base_view(), reason));
  auto first = sink.take_port_status_changes();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].port_id(), "p1");
  EXPECT_TRUE(first[0].up());
  EXPECT_TRUE(sink.take_port_status_changes().empty());
  ASSERT_TRUE(sink.apply_delta({local_port("p2", "n1", 100, "fa:16:3e:00:00:05")}, {}, reason)) << reason;
  auto second = sink.take_port_status_changes();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].port_id(), "p2");
}

TEST_P(SimHostSinkTest, RecordsWhenAPortSettlesOnlyWhileRecording) {
  SimHostSink sink(GetParam());
  std::string reason;
  ASSERT_TRUE(sink.apply_snapshot(base_view(), reason));
  const auto before = Clock::now();
  auto r2 = remote_port("r2", "n1", 100, "fa:16:3e:00:00:03", "192.0.2.2");
  ASSERT_TRUE(sink.apply_delta({r2}, {}, reason));
  EXPECT_FALSE(sink.settled_since("r2", before).has_value()) << "not recording yet";

  sink.record_touches(true);
  const auto start = Clock::now();
  ASSERT_TRUE(sink.apply_delta({}, {"rport/r2"}, reason));
  auto settled = sink.settled_since("r2", start);
  ASSERT_TRUE(settled.has_value());
  EXPECT_GE(*settled, start);
  EXPECT_FALSE(sink.settled_since("r1", start).has_value());
  EXPECT_FALSE(sink.settled_since("r2", Clock::now() + std::chrono::seconds(1)).has_value());

  // A snapshot settles every port at once, removed ones included.
  const auto resync = Clock::now();
  ASSERT_TRUE(sink.apply_snapshot(base_view(), reason));
  EXPECT_TRUE(sink.settled_since("gone", resync).has_value());
}

TEST_P(SimHostSinkTest, AStalledSinkAppliesNothingUntilReleased) {
  SimHostSink sink(GetParam());
  std::string reason;
  ASSERT_TRUE(sink.apply_snapshot(base_view(), reason));
  sink.stall();
  std::atomic<bool> applied{false};
  std::thread reader([&] {
    std::string why;
    applied = sink.apply_delta({}, {"rport/r1"}, why);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(applied.load());
  EXPECT_EQ(sink.entries(), 3u);
  sink.release();
  reader.join();
  EXPECT_TRUE(applied.load());
  EXPECT_EQ(sink.entries(), 2u);
}

TEST(SimHostSinkKeyTest, PortIdOfKey) {
  EXPECT_EQ(port_id_of_key("lport/abc"), "abc");
  EXPECT_EQ(port_id_of_key("rport/abc"), "abc");
  EXPECT_EQ(port_id_of_key("net/abc"), "");
  EXPECT_EQ(port_id_of_key("lport/"), "");
  EXPECT_EQ(port_id_of_key(""), "");
}

TEST(HostFleetTest, UnderlayAddressesAreUniqueUnicast) {
  std::set<std::string> seen;
  for (size_t i = 0; i < 5000; ++i) {
    const auto ip = underlay_of(i);
    EXPECT_TRUE(seen.insert(ip).second) << ip;
    EXPECT_NE(ip.substr(ip.rfind('.')), ".0") << ip;
    EXPECT_NE(ip.substr(ip.rfind('.')), ".255") << ip;
  }
  EXPECT_EQ(underlay_of(0), "10.64.0.1");
}

}  // namespace
}  // namespace overcast::bench

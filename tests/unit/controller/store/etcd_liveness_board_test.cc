// The cluster's liveness board on a real etcd member: a controller sees the agents and
// up ports another controller serves, never its own, and forgets them when that
// controller stops (its lease is revoked) — or dies (its lease expires).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "controller/store/etcd_liveness_board.h"
#include "etcd_member.h"

namespace overcast::controller::testing {
namespace {

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::seconds limit = std::chrono::seconds(10)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}

TEST(EtcdLivenessBoard, OtherControllersAgentsAreAliveUntilTheControllerGoes) {
  if (!EtcdMember::available()) GTEST_SKIP() << "etcd is not installed (scripts/install-deps.sh)";
  EtcdMember member;
  EtcdLivenessConfig config{{member.endpoint()}, "/test", std::chrono::milliseconds(100), std::chrono::seconds(3)};
  EtcdLivenessBoard a(config), b(config);
  const LocalLiveness served_by_a{{"hv1"}, {"p1"}};
  a.start([&] { return served_by_a; });
  b.start([] { return LocalLiveness{{"hv2"}, {}}; });

  ASSERT_TRUE(eventually([&] { return b.served_elsewhere("hv1") && b.port_up_elsewhere("p1"); }));
  EXPECT_TRUE(eventually([&] { return a.served_elsewhere("hv2"); }));
  EXPECT_FALSE(b.served_elsewhere("hv2")) << "its own agents are not 'elsewhere'";
  EXPECT_FALSE(a.served_elsewhere("hv1"));
  EXPECT_FALSE(b.port_up_elsewhere("p2"));

  a.stop();
  EXPECT_TRUE(eventually([&] { return !b.served_elsewhere("hv1") && !b.port_up_elsewhere("p1"); }))
      << "a stopped controller's agents must not stay alive";
  b.stop();
}

}  // namespace
}  // namespace overcast::controller::testing

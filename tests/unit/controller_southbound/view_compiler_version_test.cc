// Versions, the per-host history and resuming.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;

class ViewVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet setup;
    setup.networks = {net("A", 100), net("B", 200)};
    setup.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2")};
    setup.ports = {port("a1", "A", "hv1"), port("b2", "B", "hv2")};
    compiler.apply(setup);
  }
  void add_remote_port(int i) {
    ChangeSet c;
    c.ports = {port("r" + std::to_string(i), "A", "hv2")};
    compiler.apply(c);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1", .history_limit = 4}};
};

TEST_F(ViewVersionTest, VersionsChainPerHost) {
  uint64_t v1 = compiler.version("hv1");
  uint64_t v2 = compiler.version("hv2");
  EXPECT_EQ(v1, 1u);
  ChangeSet c;
  c.ports = {port("r0", "A", "hv2")};
  auto deltas = compiler.apply_changes(c);
  auto hv1 = delta_for(deltas, "hv1");
  ASSERT_TRUE(hv1);
  EXPECT_EQ(hv1->from_version(), v1);
  EXPECT_EQ(hv1->version(), v1 + 1);
  EXPECT_EQ(hv1->epoch(), "e1");
  auto hv2 = delta_for(deltas, "hv2");
  ASSERT_TRUE(hv2);
  EXPECT_EQ(hv2->from_version(), v2);
  EXPECT_EQ(compiler.snapshot("hv1").version(), v1 + 1);
}

TEST_F(ViewVersionTest, ResumeReturnsExactlyTheMissingDeltas) {
  uint64_t held = compiler.version("hv1");
  View view = view_of(compiler.snapshot("hv1"));
  add_remote_port(1);
  add_remote_port(2);
  auto missing = compiler.deltas_since("hv1", "e1", held);
  ASSERT_TRUE(missing);
  ASSERT_EQ(missing->size(), 2u);
  EXPECT_EQ((*missing)[0].from_version(), held);
  EXPECT_EQ((*missing)[1].version(), compiler.version("hv1"));
  for (const auto& d : *missing) apply_delta(view, d);
  EXPECT_EQ(keys_of(view), keys_of(view_of(compiler.snapshot("hv1"))));
}

TEST_F(ViewVersionTest, UpToDateHolderNeedsNothing) {
  auto missing = compiler.deltas_since("hv1", "e1", compiler.version("hv1"));
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->empty());
}

TEST_F(ViewVersionTest, OtherEpochOrFutureVersionNeedsASnapshot) {
  EXPECT_FALSE(compiler.deltas_since("hv1", "older-epoch", compiler.version("hv1")));
  EXPECT_FALSE(compiler.deltas_since("hv1", "", 0));
  EXPECT_FALSE(compiler.deltas_since("hv1", "e1", compiler.version("hv1") + 1));
}

TEST_F(ViewVersionTest, HistoryOverflowNeedsASnapshot) {
  uint64_t held = compiler.version("hv1");
  for (int i = 0; i < 5; ++i) add_remote_port(i);  // history keeps 4
  EXPECT_FALSE(compiler.deltas_since("hv1", "e1", held));
  auto recent = compiler.deltas_since("hv1", "e1", held + 1);
  ASSERT_TRUE(recent);
  EXPECT_EQ(recent->size(), 4u);
}

TEST(ViewHistoryBytesTest, DeltaBiggerThanTheHistoryBudgetBreaksTheChain) {
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1", .history_limit = 100, .history_max_bytes = 2000}};
  ChangeSet setup;
  setup.networks = {net("A", 100)};
  setup.hosts = {host("hv2", "192.0.2.2")};
  setup.ports = {port("a1", "A", "hv1")};
  compiler.apply(setup);
  uint64_t small = compiler.version("hv1");
  ChangeSet big;
  for (int i = 0; i < 40; ++i) big.ports.push_back(port("r" + std::to_string(i), "A", "hv2"));
  compiler.apply(big);
  EXPECT_FALSE(compiler.deltas_since("hv1", "e1", small)) << "the big delta was not kept";
  uint64_t after_big = compiler.version("hv1");
  ChangeSet one;
  one.ports = {port("x", "A", "hv2")};
  compiler.apply(one);
  auto missing = compiler.deltas_since("hv1", "e1", after_big);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->size(), 1u);
}

TEST_F(ViewVersionTest, EpochIsRandomPerCompiler) {
  ViewCompiler a, b;
  EXPECT_EQ(a.epoch().size(), 32u);
  EXPECT_NE(a.epoch(), b.epoch());
}

TEST_F(ViewVersionTest, PortBindingIsKnown) {
  EXPECT_TRUE(compiler.port_bound_to("a1", "hv1"));
  EXPECT_FALSE(compiler.port_bound_to("a1", "hv2"));
  EXPECT_FALSE(compiler.port_bound_to("nope", "hv1"));
}

}  // namespace
}  // namespace overcast::controller

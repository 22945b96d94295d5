#include "bench/scale/load/cloud_plan.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace overcast::bench {
namespace {

CloudShape shape(size_t hosts, size_t networks, size_t ports) {
  CloudShape s;
  s.hosts = hosts;
  s.tenants = 7;
  s.networks = networks;
  s.ports = ports;
  return s;
}

TEST(CloudPlanTest, PlacesExactlyTheAskedPortsOnTheNetworksHosts) {
  const auto plan = make_cloud_plan(shape(100, 1000, 10000));
  ASSERT_EQ(plan.networks.size(), 1000u);
  EXPECT_EQ(plan.ports(), 10000u);
  for (const auto& network : plan.networks) {
    const std::set<size_t> hosts(network.hosts.begin(), network.hosts.end());
    EXPECT_EQ(hosts.size(), network.hosts.size()) << "hosts are distinct";
    for (size_t host : network.port_hosts) {
      EXPECT_LT(host, 100u);
      EXPECT_TRUE(hosts.count(host)) << "a port sits on one of its network's hosts";
    }
    EXPECT_LT(network.tenant, 7u);
  }
}

TEST(CloudPlanTest, MostNetworksSpanAFewHostsAndAFewSpanMany) {
  const auto plan = make_cloud_plan(shape(1000, 1000, 20000));
  size_t wide = 0;
  for (const auto& network : plan.networks) {
    if (network.wide) {
      ++wide;
      EXPECT_EQ(network.hosts.size(), 100u);  // hosts / 10
    } else {
      EXPECT_GE(network.hosts.size(), 1u);
      EXPECT_LE(network.hosts.size(), 4u);
    }
  }
  EXPECT_EQ(wide, 10u);  // 1 %
}

TEST(CloudPlanTest, SameSeedSamePlanOtherSeedOtherPlan) {
  auto a = make_cloud_plan(shape(50, 100, 1000));
  auto b = make_cloud_plan(shape(50, 100, 1000));
  auto other = shape(50, 100, 1000);
  other.seed = 2;
  auto c = make_cloud_plan(other);
  bool all_same = true, any_different = false;
  for (size_t i = 0; i < a.networks.size(); ++i) {
    all_same = all_same && a.networks[i].port_hosts == b.networks[i].port_hosts;
    any_different = any_different || a.networks[i].hosts != c.networks[i].hosts;
  }
  EXPECT_TRUE(all_same);
  EXPECT_TRUE(any_different);
}

TEST(CloudPlanTest, FewerPortsThanNetworksLeavesSomeEmpty) {
  auto s = shape(3, 10, 4);
  s.wide_fraction = 0;
  const auto plan = make_cloud_plan(s);
  EXPECT_EQ(plan.ports(), 4u);
  for (const auto& network : plan.networks) EXPECT_LE(network.hosts.size(), network.port_hosts.size());
}

TEST(CloudPlanTest, RefusesShapesThatCannotBeBuilt) {
  EXPECT_THROW(make_cloud_plan(shape(0, 10, 10)), std::invalid_argument);
  auto no_tenant = shape(10, 10, 10);
  no_tenant.tenants = 0;
  EXPECT_THROW(make_cloud_plan(no_tenant), std::invalid_argument);
  // 10 wide networks of 100 hosts need 1,000 ports.
  EXPECT_THROW(make_cloud_plan(shape(1000, 1000, 999)), std::invalid_argument);
  auto bad_fraction = shape(10, 10, 10);
  bad_fraction.wide_fraction = 1.5;
  EXPECT_THROW(make_cloud_plan(bad_fraction), std::invalid_argument);
}

}  // namespace
}  // namespace overcast::bench

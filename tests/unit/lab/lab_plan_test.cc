#include "cli/lab/lab_plan.h"

#include <gtest/gtest.h>

#include "cli/lab/lab_fabric.h"

namespace overcast::cli::lab {
namespace {

TEST(LabPlan, PrefixRules) {
  EXPECT_FALSE(prefix_problem("oc"));
  EXPECT_FALSE(prefix_problem("t1a2b"));
  EXPECT_FALSE(prefix_problem("abcdefgh"));
  EXPECT_TRUE(prefix_problem(""));
  EXPECT_TRUE(prefix_problem("abcdefghi"));  // 9: "<P>-f-hv99" would exceed 15
  EXPECT_TRUE(prefix_problem("1abc"));
  EXPECT_TRUE(prefix_problem("a-b"));  // a dash would let one lab own another's names
  EXPECT_TRUE(prefix_problem("Oc"));
}

TEST(LabPlan, InterfaceNamesFitIfnamsizWithLongestPrefix) {
  const LabNames names("abcdefgh");
  for (const auto& name : {names.leaf_bridge(2), names.fabric_port(kMaxHosts), names.host_uplink(),
                           names.host_mgmt(), names.mgmt_bridge(), names.mgmt_port(kMaxHosts)}) {
    EXPECT_LE(name.size(), 15u) << name;
    EXPECT_TRUE(names.owns(name)) << name;
  }
}

TEST(LabPlan, OwnershipNeedsPrefixAndDash) {
  const LabNames names("oc");
  EXPECT_TRUE(names.owns("oc-hv1"));
  EXPECT_TRUE(names.owns("oc-vm-web"));
  EXPECT_FALSE(names.owns("oc2-hv1"));
  EXPECT_FALSE(names.owns("ochv1"));
  EXPECT_FALSE(names.owns("xoc-hv1"));
}

TEST(LabPlan, HostsAlternateLeavesSoTunnelsCrossTheRouter) {
  EXPECT_EQ(leaf_of_host(1), 1);
  EXPECT_EQ(leaf_of_host(2), 2);
  EXPECT_EQ(leaf_of_host(3), 1);
  EXPECT_EQ(host_underlay_ip(1).to_string(), "172.16.1.11");
  EXPECT_EQ(host_underlay_ip(2).to_string(), "172.16.2.12");
  EXPECT_EQ(host_underlay_ip(3).to_string(), "172.16.1.13");
  EXPECT_EQ(leaf_router_ip(2).to_string(), "172.16.2.1");
  EXPECT_EQ(host_mgmt_ip(7, 3).to_string(), "10.254.7.13");
  EXPECT_EQ(mgmt_bridge_ip(7).to_string(), "10.254.7.1");
}

TEST(LabPlan, HostNamesRoundTripAndRejectLookalikes) {
  EXPECT_EQ(parse_host_name(host_name(1)), 1);
  EXPECT_EQ(parse_host_name("hv42"), 42);
  EXPECT_EQ(parse_host_name("hv0"), 0);
  EXPECT_EQ(parse_host_name("hv01"), 0);
  EXPECT_EQ(parse_host_name("hv100"), 0);
  EXPECT_EQ(parse_host_name("hvx"), 0);
  EXPECT_EQ(parse_host_name("web"), 0);
}

TEST(LabPlan, VmNames) {
  EXPECT_FALSE(vm_name_problem("vm1"));
  EXPECT_FALSE(vm_name_problem("a-web_2"));
  EXPECT_TRUE(vm_name_problem(""));
  EXPECT_TRUE(vm_name_problem("hv1"));  // `lab exec hv1` means the hypervisor
  EXPECT_TRUE(vm_name_problem("fab"));
  EXPECT_TRUE(vm_name_problem("a/b"));
  EXPECT_TRUE(vm_name_problem("a b"));
  EXPECT_TRUE(vm_name_problem(std::string(33, 'a')));
}

TEST(LabPlan, TapNameIsTapPlusElevenCharactersOfThePortId) {
  EXPECT_EQ(tap_name_for_port("3f2a9c1e-5b7d-4e0f-9a8b-1c2d3e4f5a6b"), "tap3f2a9c1e-5b");
  EXPECT_LE(tap_name_for_port("3f2a9c1e-5b7d-4e0f-9a8b-1c2d3e4f5a6b").size(), 15u);
}

TEST(LabFabric, ManagementSubnetAvoidsEveryRoutedPrefix) {
  std::vector<IpPrefix> taken;
  EXPECT_EQ(choose_mgmt_octet(taken), 1);
  taken.push_back(*IpPrefix::parse("10.254.1.0/24"));
  taken.push_back(*IpPrefix::parse("10.254.2.7/32"));
  EXPECT_EQ(choose_mgmt_octet(taken), 3);
  taken.push_back(*IpPrefix::parse("10.254.0.0/22"));  // covers .0 to .3
  EXPECT_EQ(choose_mgmt_octet(taken), 4);
  taken.push_back(*IpPrefix::parse("10.0.0.0/8"));
  EXPECT_EQ(choose_mgmt_octet(taken), std::nullopt);
}

}  // namespace
}  // namespace overcast::cli::lab

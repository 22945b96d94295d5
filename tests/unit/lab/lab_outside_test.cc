// The lab's outside world and its VMs' DHCP, as far as they are pure: names, gateway
// hosts, the public network's requests and the DHCP client's command line.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli/lab/lab_plan.h"
#include "cli/lab/lab_public_network.h"
#include "cli/lab/vm_dhcp.h"

namespace overcast::cli::lab {
namespace {

TEST(LabOutside, ExternalNamesFitIfnamsizAndBelongToTheLab) {
  const LabNames names("abcdefgh");
  for (const auto& name : {names.external_uplink(), names.external_bridge(), names.external_port(kMaxHosts),
                           names.external_host_port(), names.external_host_ns()}) {
    EXPECT_LE(name.size(), 15u) << name;
    EXPECT_TRUE(names.owns(name)) << name;
  }
  // Not a fabric port of labkit's extra underlay hosts (<P>-x-NAME) nor of the leaves.
  EXPECT_NE(names.external_port(1), names.fabric_port(1));
  EXPECT_EQ(LabNames("oc").bridge_mapping(), "physnet1:oc-ex");
}

TEST(LabOutside, FirstTwoHostsAreGatewaysHv1Active) {
  ASSERT_TRUE(gateway_priority(1));
  ASSERT_TRUE(gateway_priority(2));
  EXPECT_GT(*gateway_priority(1), *gateway_priority(2));
  EXPECT_GE(*gateway_priority(2), 0);
  EXPECT_LE(*gateway_priority(1), 255);  // the agent's --gateway range
  EXPECT_FALSE(gateway_priority(3));
  EXPECT_FALSE(gateway_priority(0));
}

TEST(LabOutside, ExtIsNotAVmName) {
  EXPECT_TRUE(vm_name_problem("ext"));
  EXPECT_FALSE(vm_name_problem("ext2"));
}

TEST(LabOutside, PublicNetworkIsAFlatExternalNetworkOnPhysnet1) {
  const auto network = public_network_request()["network"];
  EXPECT_EQ(network["name"], "public");
  EXPECT_EQ(network["router:external"], true);
  EXPECT_EQ(network["provider:network_type"], "flat");
  EXPECT_EQ(network["provider:physical_network"], "physnet1");
  const auto subnet = public_subnet_request("net-1")["subnet"];
  EXPECT_EQ(subnet["name"], "public-subnet");
  EXPECT_EQ(subnet["network_id"], "net-1");
  EXPECT_EQ(subnet["cidr"], "203.0.113.0/24");
  EXPECT_EQ(subnet["gateway_ip"], "203.0.113.1");  // the outside host ext
  EXPECT_EQ(subnet["enable_dhcp"], false);
}

TEST(VmDhcp, ClientRunsInTheForegroundWithOurHookAndAsksForMtuAndRoutes) {
  LabOptions options;
  options.state_dir = "/var/lib/overcast/lab/t1";
  VmRecord vm;
  vm.name = "v1";
  vm.tap = "tap12345678-9a";
  const Argv argv = dhcp_client_argv(options, vm);
  auto after = [&](const std::string& flag) {
    auto it = std::find(argv.begin(), argv.end(), flag);
    return it == argv.end() || it + 1 == argv.end() ? std::string() : *(it + 1);
  };
  EXPECT_EQ(argv.at(0), "udhcpc");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-f"), argv.end()) << "the lab daemonizes it, and tracks its PID";
  EXPECT_EQ(after("-i"), vm.tap);
  // The hook lives in the state dir, so the daemon's command line mentions it (PID checks).
  EXPECT_EQ(after("-s"), options.state_dir + "/udhcpc-hook.sh");
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "mtu"), 1);
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "staticroutes"), 1);
  EXPECT_EQ(dhcp_daemon_name("v1"), "dhcp-v1");
}

TEST(VmDhcp, HookAppliesMtuRoutesAndAddressAndWritesNothingUnderEtc) {
  const std::string hook = dhcp_hook_script();
  EXPECT_EQ(hook.rfind("#!/bin/sh\n", 0), 0u);
  for (const char* needed : {"bound|renew)", "deconfig)", "mtu \"$mtu\"", "$staticroutes", "default via",
                             "ip addr replace \"$ip/$mask\"", "udhcpc $action on $interface"}) {
    EXPECT_NE(hook.find(needed), std::string::npos) << needed;
  }
  EXPECT_EQ(hook.find("/etc/"), std::string::npos);
  EXPECT_EQ(hook.find("resolv.conf"), std::string::npos);
}

}  // namespace
}  // namespace overcast::cli::lab

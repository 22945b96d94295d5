// udhcpc's hook of the lab VMs, run as udhcpc runs it (the lease in the environment) on a
// veth in a namespace of its own: what it leaves on the interface is read back with `ip`.
// Needs root (namespaces); skipped otherwise.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "cli/lab/command_runner.h"
#include "cli/lab/vm_dhcp.h"

namespace overcast::cli::lab {
namespace {

class DhcpHookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    ns_ = "ochk" + std::to_string(::getpid() % 100000);
    hook_ = ::testing::TempDir() + "/udhcpc-hook-" + std::to_string(::getpid()) + ".sh";
    std::ofstream(hook_) << dhcp_hook_script();
    run_checked({"ip", "netns", "add", ns_});
    made_ = true;
    run_checked({"ip", "-n", ns_, "link", "add", "v0", "type", "veth", "peer", "name", "v1"});
    run_checked({"ip", "-n", ns_, "link", "set", "v1", "up"});
    run_checked({"ip", "-n", ns_, "link", "set", "v0", "up"});
  }
  void TearDown() override {
    if (made_) run_command({"ip", "netns", "delete", ns_});
    std::remove(hook_.c_str());
  }

  CommandResult hook(const std::string& action, const std::vector<std::string>& lease) {
    Argv argv{"ip", "netns", "exec", ns_, "env", "-i", "interface=v0"};
    argv.insert(argv.end(), lease.begin(), lease.end());
    argv.insert(argv.end(), {"/bin/sh", hook_, action});
    return run_command(argv);
  }
  nlohmann::json ip_json(const Argv& args) {
    Argv argv{"ip", "-n", ns_, "-j"};
    argv.insert(argv.end(), args.begin(), args.end());
    return nlohmann::json::parse(run_checked(argv));
  }
  std::set<std::string> addresses() {
    std::set<std::string> out;
    for (const auto& link : ip_json({"-4", "addr", "show", "dev", "v0"})) {
      for (const auto& a : link.value("addr_info", nlohmann::json::array())) {
        out.insert(a["local"].get<std::string>() + "/" + std::to_string(a["prefixlen"].get<int>()));
      }
    }
    return out;
  }
  std::set<std::pair<std::string, std::string>> dhcp_routes() {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& r : ip_json({"-4", "route", "show", "dev", "v0", "proto", "dhcp"})) {
      out.insert({r["dst"].get<std::string>(), r.value("gateway", "on-link")});
    }
    return out;
  }
  int mtu() { return ip_json({"link", "show", "dev", "v0"})[0]["mtu"].get<int>(); }

  std::string ns_, hook_;
  bool made_ = false;
};

TEST_F(DhcpHookTest, BoundAppliesAddressMtuAndDefaultRoute) {
  const auto result = hook("bound", {"ip=10.9.0.5", "mask=24", "router=10.9.0.1", "mtu=1400"});
  ASSERT_TRUE(result.ok()) << result.err;
  EXPECT_EQ(addresses(), (std::set<std::string>{"10.9.0.5/24"}));
  EXPECT_EQ(mtu(), 1400);
  EXPECT_EQ(dhcp_routes(), (std::set<std::pair<std::string, std::string>>{{"default", "10.9.0.1"}}));
  EXPECT_NE(result.out.find("udhcpc bound on v0: 10.9.0.5/24"), std::string::npos) << result.out;
}

TEST_F(DhcpHookTest, ClasslessRoutesReplaceTheRouterAndARenewalWithANewAddressDropsTheOld) {
  ASSERT_TRUE(hook("bound", {"ip=10.9.0.5", "mask=24", "router=10.9.0.1"}).ok());
  // RFC 3442: with option 121 the router option is ignored; 0.0.0.0 as next hop is on-link.
  const auto result = hook("renew", {"ip=10.9.0.6", "mask=24", "router=10.9.0.99",
                                     "staticroutes=192.0.2.0/24 10.9.0.254 198.51.100.0/24 0.0.0.0 "
                                     "0.0.0.0/0 10.9.0.1"});
  ASSERT_TRUE(result.ok()) << result.err;
  EXPECT_EQ(addresses(), (std::set<std::string>{"10.9.0.6/24"}));
  EXPECT_EQ(dhcp_routes(), (std::set<std::pair<std::string, std::string>>{
                               {"default", "10.9.0.1"}, {"192.0.2.0/24", "10.9.0.254"},
                               {"198.51.100.0/24", "on-link"}}));
}

TEST_F(DhcpHookTest, DeconfigRemovesTheLease) {
  ASSERT_TRUE(hook("bound", {"ip=10.9.0.5", "mask=24", "router=10.9.0.1"}).ok());
  ASSERT_TRUE(hook("deconfig", {}).ok());
  EXPECT_TRUE(addresses().empty());
  EXPECT_TRUE(dhcp_routes().empty());
}

}  // namespace
}  // namespace overcast::cli::lab

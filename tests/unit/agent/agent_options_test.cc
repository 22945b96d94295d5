#include "agent/main/agent_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace overcast::agent {
namespace {

struct Parsed {
  std::optional<AgentOptions> options;
  int exit_code = -1;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "overcast-agent");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  Parsed p;
  p.options = parse_agent_options(static_cast<int>(argv.size()), argv.data(), p.exit_code);
  return p;
}

TEST(AgentOptionsTest, DefaultsFollowStateDir) {
  auto p = parse({"--underlay-ip", "192.0.2.1", "--controller", "10.0.0.1:6640", "--state-dir", "/tmp/x"});
  ASSERT_TRUE(p.options);
  EXPECT_EQ(p.options->control_socket, "/tmp/x/agent.sock");
  EXPECT_EQ(p.options->vxlan_port, 4789);
  EXPECT_EQ(p.options->log_level, "info");
  EXPECT_FALSE(p.options->host.empty());  // the machine's hostname
}

TEST(AgentOptionsTest, AllFlags) {
  auto p = parse({"--host", "hv1", "--underlay-ip", "192.0.2.1", "--controller", "ctl.example:7000", "--state-dir",
                  "/tmp/y", "--control-socket", "/tmp/y.sock", "--vxlan-port", "8472", "--log-level", "debug"});
  ASSERT_TRUE(p.options);
  EXPECT_EQ(p.options->host, "hv1");
  EXPECT_EQ(p.options->controller, "ctl.example:7000");
  EXPECT_EQ(p.options->control_socket, "/tmp/y.sock");
  EXPECT_EQ(p.options->vxlan_port, 8472);
  EXPECT_EQ(p.options->log_level, "debug");
}

TEST(AgentOptionsTest, BadFlagsExitWithTwo) {
  const std::vector<std::vector<std::string>> bad = {
      {"--controller", "10.0.0.1:6640"},                                  // missing --underlay-ip
      {"--underlay-ip", "192.0.2.1"},                                     // missing --controller
      {"--underlay-ip", "2001:db8::1", "--controller", "c:1"},            // not IPv4
      {"--underlay-ip", "192.0.2.1", "--controller", "nohost"},           // no port
      {"--underlay-ip", "192.0.2.1", "--controller", "c:70000"},          // port range
      {"--underlay-ip", "192.0.2.1", "--controller", "c:1", "--vxlan-port", "0"},
      {"--underlay-ip", "192.0.2.1", "--controller", "c:1", "--log-level", "loud"},
      {"--underlay-ip", "192.0.2.1", "--controller", "c:1", "--bogus"},
  };
  for (const auto& args : bad) {
    auto p = parse(args);
    EXPECT_FALSE(p.options) << args.back();
    EXPECT_EQ(p.exit_code, kExitBadFlags) << args.back();
  }
}

TEST(AgentOptionsTest, ConntrackSizes) {
  auto defaults = parse({"--underlay-ip", "192.0.2.1", "--controller", "c:1"});
  ASSERT_TRUE(defaults.options);
  EXPECT_EQ(defaults.options->conntrack_max, 65536u);
  EXPECT_EQ(defaults.options->conntrack_zone_max, 0u);
  auto set = parse({"--underlay-ip", "192.0.2.1", "--controller", "c:1", "--conntrack-max", "1000",
                    "--conntrack-zone-max", "50"});
  ASSERT_TRUE(set.options);
  EXPECT_EQ(set.options->conntrack_max, 1000u);
  EXPECT_EQ(set.options->conntrack_zone_max, 50u);
  for (const char* bad : {"0", "-1", "lots"}) {
    auto p = parse({"--underlay-ip", "192.0.2.1", "--controller", "c:1", "--conntrack-max", bad});
    EXPECT_FALSE(p.options) << bad;
    EXPECT_EQ(p.exit_code, kExitBadFlags) << bad;
  }
}

TEST(AgentOptionsTest, SeveralControllers) {
  auto p = parse({"--underlay-ip", "192.0.2.1", "--controller", "10.0.0.1:6641,10.0.0.2:6641"});
  ASSERT_TRUE(p.options);
  EXPECT_EQ(p.options->controller, "10.0.0.1:6641,10.0.0.2:6641");
  EXPECT_EQ(split_endpoints(p.options->controller), (std::vector<std::string>{"10.0.0.1:6641", "10.0.0.2:6641"}));
  for (const char* bad : {"10.0.0.1:6641,", ",10.0.0.1:6641", "10.0.0.1:6641,nohost"}) {
    auto q = parse({"--underlay-ip", "192.0.2.1", "--controller", bad});
    EXPECT_FALSE(q.options) << bad;
    EXPECT_EQ(q.exit_code, kExitBadFlags) << bad;
  }
}

TEST(AgentOptionsTest, GatewayAndBridgeMappings) {
  const std::vector<std::string> base = {"--underlay-ip", "192.0.2.1", "--controller", "10.0.0.1:6640"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return parse(args);
  };
  auto plain = with({});
  ASSERT_TRUE(plain.options);
  EXPECT_FALSE(plain.options->gateway);
  EXPECT_TRUE(plain.options->bridge_mappings.empty());

  auto gateway = with({"--gateway", "--bridge-mappings", "physnet1:eth1,physnet2:eth2", "--bridge-mappings",
                       "physnet3:bond0"});
  ASSERT_TRUE(gateway.options);
  EXPECT_TRUE(gateway.options->gateway);
  EXPECT_EQ(gateway.options->gateway_priority, kDefaultGatewayPriority);
  EXPECT_EQ(gateway.options->bridge_mappings,
            (std::vector<std::string>{"physnet1:eth1", "physnet2:eth2", "physnet3:bond0"}));

  auto priority = with({"--gateway=20"});
  ASSERT_TRUE(priority.options);
  EXPECT_EQ(priority.options->gateway_priority, 20u);

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--gateway=256"}, {"--gateway=high"}, {"--bridge-mappings", "physnet1"},
        {"--bridge-mappings", ":eth1"}, {"--bridge-mappings", "physnet1:"},
        {"--bridge-mappings", "physnet1:an-interface-name-too-long"}, {"--bridge-mappings", "physnet1:eth/1"},
        {"--bridge-mappings", "physnet1:eth1,physnet1:eth2"}}) {
    ::testing::internal::CaptureStderr();
    auto p = with(bad);
    const std::string said = ::testing::internal::GetCapturedStderr();
    EXPECT_FALSE(p.options) << bad.back();
    EXPECT_EQ(p.exit_code, kExitBadFlags) << bad.back();
    // The refusal names the flag, not some other parse failure.
    const std::string flag = bad.front().substr(0, bad.front().find('='));
    EXPECT_NE(said.find(flag + ":"), std::string::npos) << said;
  }
}

TEST(AgentOptionsTest, HostPortForms) {
  EXPECT_EQ(check_host_port("10.0.0.1:6640"), std::nullopt);
  EXPECT_EQ(check_host_port("[2001:db8::1]:6640"), std::nullopt);
  EXPECT_NE(check_host_port("[2001:db8::zz]:6640"), std::nullopt);
  EXPECT_NE(check_host_port(":6640"), std::nullopt);
  EXPECT_NE(check_host_port("host:"), std::nullopt);
  EXPECT_NE(check_host_port("host:12ab"), std::nullopt);
}

}  // namespace
}  // namespace overcast::agent

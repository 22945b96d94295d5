// overcast router | floating ip | security group against the scripted fake API: the
// requests they send, as the Neutron API expects them.
#include "cli_fixture.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::CliCommandsTest;
using testing::kNetId;
using testing::kSubnetId;

constexpr const char* kRouterId = "33333333-3333-3333-3333-333333333333";
constexpr const char* kFipId = "44444444-4444-4444-4444-444444444444";
constexpr const char* kPortId = "55555555-5555-5555-5555-555555555555";
constexpr const char* kGroupId = "66666666-6666-6666-6666-666666666666";

class L3CommandsTest : public CliCommandsTest {
 protected:
  void know_router_r1() {
    server.on("GET /v2.0/routers?name=r1", 200, {{"routers", json::array({{{"id", kRouterId}, {"name", "r1"}}})}});
  }
  void know_port_vm1() {
    server.on("GET /v2.0/ports?name=vm1", 200, {{"ports", json::array({{{"id", kPortId}, {"name", "vm1"}}})}});
  }
  void know_fip() {
    server.on("GET /v2.0/floatingips?floating_ip_address=203.0.113.3", 200,
              {{"floatingips", json::array({{{"id", kFipId}, {"floating_ip_address", "203.0.113.3"}}})}});
  }
  void know_group_web() {
    server.on("GET /v2.0/security-groups?name=web", 200,
              {{"security_groups", json::array({{{"id", kGroupId}, {"name", "web"}}})}});
  }
};

TEST_F(L3CommandsTest, RouterCreateWithGatewayAndSnatOff) {
  know_network_web();
  server.on("POST /v2.0/routers", 201, {{"router", {{"id", kRouterId}, {"name", "r1"}}}});
  EXPECT_EQ(run({"router", "create", "r1", "--external-gateway", "web", "--disable-snat"}), kExitOk) << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(),
            json({{"router", {{"name", "r1"}, {"external_gateway_info", {{"network_id", kNetId}, {"enable_snat", false}}}}}}));
}

TEST_F(L3CommandsTest, RouterAddAndRemoveSubnet) {
  know_router_r1();
  know_subnet_web_v4();
  const std::string base = std::string("PUT /v2.0/routers/") + kRouterId;
  server.on(base + "/add_router_interface", 200, {{"id", kRouterId}, {"subnet_id", kSubnetId}, {"port_id", kPortId}});
  server.on(base + "/remove_router_interface", 200, {{"id", kRouterId}, {"subnet_id", kSubnetId}});
  EXPECT_EQ(run({"router", "add", "subnet", "r1", "web-v4", "-f", "json"}), kExitOk) << err;
  EXPECT_EQ(json::parse(out)["port_id"], kPortId);
  EXPECT_EQ(run({"router", "remove", "subnet", "r1", "web-v4"}), kExitOk) << err;
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].target, std::string("/v2.0/routers/") + kRouterId + "/add_router_interface");
  EXPECT_EQ(puts[0].json(), json({{"subnet_id", kSubnetId}}));
  EXPECT_EQ(puts[1].target, std::string("/v2.0/routers/") + kRouterId + "/remove_router_interface");
}

TEST_F(L3CommandsTest, RouterSetGatewayAndRemoveIt) {
  know_router_r1();
  know_network_web();
  server.on(std::string("PUT /v2.0/routers/") + kRouterId, 200, {{"router", {{"id", kRouterId}}}});
  EXPECT_EQ(run({"router", "set", "r1", "--external-gateway", "web"}), kExitOk) << err;
  EXPECT_EQ(run({"router", "set", "r1", "--no-external-gateway"}), kExitOk) << err;
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].json(), json({{"router", {{"external_gateway_info", {{"network_id", kNetId}}}}}}));
  EXPECT_EQ(puts[1].json(), json({{"router", {{"external_gateway_info", nullptr}}}}));
  EXPECT_EQ(run({"router", "set", "r1"}), kExitUsage);
  EXPECT_EQ(run({"router", "set", "r1", "--disable-snat"}), kExitUsage);  // SNAT needs the gateway
}

TEST_F(L3CommandsTest, FloatingIpCreateSetUnsetByAddress) {
  know_network_web();
  know_port_vm1();
  know_fip();
  server.on("POST /v2.0/floatingips", 201, {{"floatingip", {{"id", kFipId}, {"floating_ip_address", "203.0.113.3"}}}});
  server.on(std::string("PUT /v2.0/floatingips/") + kFipId, 200, {{"floatingip", {{"id", kFipId}}}});
  EXPECT_EQ(run({"floating", "ip", "create", "web", "--port", "vm1"}), kExitOk) << err;
  EXPECT_EQ(run({"floating", "ip", "set", "203.0.113.3", "--port", "vm1"}), kExitOk) << err;
  EXPECT_EQ(run({"floating", "ip", "unset", "203.0.113.3", "--port"}), kExitOk) << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(), json({{"floatingip", {{"floating_network_id", kNetId}, {"port_id", kPortId}}}}));
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].json(), json({{"floatingip", {{"port_id", kPortId}}}}));
  EXPECT_EQ(puts[1].json(), json({{"floatingip", {{"port_id", nullptr}}}}));
}

TEST_F(L3CommandsTest, SecurityGroupRuleCreate) {
  know_group_web();
  server.on("POST /v2.0/security-group-rules", 201, {{"security_group_rule", {{"id", "r"}}}});
  EXPECT_EQ(run({"security", "group", "rule", "create", "web", "--protocol", "tcp", "--dst-port", "8000:8080",
                 "--remote-ip", "192.0.2.0/24"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(), json({{"security_group_rule",
                                    {{"security_group_id", kGroupId},
                                     {"direction", "ingress"},
                                     {"protocol", "tcp"},
                                     {"port_range_min", 8000},
                                     {"port_range_max", 8080},
                                     {"remote_ip_prefix", "192.0.2.0/24"}}}}));
  EXPECT_EQ(run({"security", "group", "rule", "create", "web", "--dst-port", "90:80"}), kExitUsage);
  EXPECT_NE(err.find("--dst-port"), std::string::npos) << err;
  EXPECT_EQ(run({"security", "group", "rule", "create", "web", "--icmp-type", "x"}), kExitUsage);
}

TEST_F(L3CommandsTest, SecurityGroupListReadsTheUnderscoredKey) {
  server.on("GET /v2.0/security-groups", 200,
            {{"security_groups", json::array({{{"id", kGroupId}, {"name", "default"}, {"description", "d"},
                                               {"security_group_rules", json::array({json::object()})},
                                               {"project_id", "p"}}})}});
  EXPECT_EQ(run({"security", "group", "list"}), kExitOk) << err;
  EXPECT_NE(out.find("default"), std::string::npos) << out;
  server.on(std::string("DELETE /v2.0/security-groups/") + kGroupId, 409,
            {{"NeutronError", {{"type", "SecurityGroupInUse"}, {"message", "Security Group in use"}, {"detail", ""}}}});
  know_group_web();
  EXPECT_EQ(run({"security", "group", "delete", "web"}), kExitApiRefused);
  EXPECT_NE(err.find("in use"), std::string::npos) << err;
}

}  // namespace
}  // namespace overcast::cli

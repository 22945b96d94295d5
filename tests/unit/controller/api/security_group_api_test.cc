// Security groups, rules and ports' security attributes over HTTP.
#include "api_fixture.h"

namespace overcast::controller::api {
namespace {

using nlohmann::json;
using testing::ApiTest;

using SecurityGroupApi = ApiTest;

TEST_F(SecurityGroupApi, ListingCreatesTheProjectsDefaultGroup) {
  auto list = call("GET", "/v2.0/security-groups", "", {{"X-Project-Id", "tenant-a"}});
  ASSERT_EQ(list.status, 200) << list.body.dump();
  ASSERT_EQ(list.body["security_groups"].size(), 1u);
  const json& d = list.body["security_groups"][0];
  EXPECT_EQ(d["name"], "default");
  EXPECT_EQ(d["project_id"], "tenant-a");
  EXPECT_EQ(d["stateful"], true);
  ASSERT_EQ(d["security_group_rules"].size(), 4u);
  int from_self = 0;
  for (const auto& rule : d["security_group_rules"]) {
    EXPECT_TRUE(rule["protocol"].is_null());
    if (rule["direction"] == "ingress") {
      EXPECT_EQ(rule["remote_group_id"], d["id"]);
      ++from_self;
    }
  }
  EXPECT_EQ(from_self, 2);
  // Listed again: still one.
  EXPECT_EQ(call("GET", "/v2.0/security-groups", "", {{"X-Project-Id", "tenant-a"}}).body["security_groups"].size(),
            1u);
  expect_neutron_error(call("DELETE", "/v2.0/security-groups/" + d["id"].get<std::string>()), 409,
                       "SecurityGroupCannotRemoveDefault", "default");
}

TEST_F(SecurityGroupApi, RulesAsTheClientSendsThem) {
  auto g = call("POST", "/v2.0/security-groups", R"({"security_group": {"name": "web", "description": "www"}})");
  ASSERT_EQ(g.status, 201) << g.body.dump();
  const std::string id = g.body["security_group"]["id"];
  EXPECT_EQ(g.body["security_group"]["security_group_rules"].size(), 2u);
  auto rule = call("POST", "/v2.0/security-group-rules",
                   json{{"security_group_rule", {{"security_group_id", id}, {"direction", "ingress"},
                                                 {"ethertype", "IPv4"}, {"protocol", "tcp"},
                                                 {"port_range_min", 80}, {"port_range_max", 80},
                                                 {"remote_ip_prefix", "0.0.0.0/0"}}}}.dump());
  ASSERT_EQ(rule.status, 201) << rule.body.dump();
  const json& r = rule.body["security_group_rule"];
  for (const char* key : {"id", "security_group_id", "direction", "ethertype", "protocol", "port_range_min",
                          "port_range_max", "remote_ip_prefix", "remote_group_id", "project_id", "description"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  EXPECT_EQ(r["port_range_min"], 80);
  const std::string rule_id = r["id"];
  expect_neutron_error(call("POST", "/v2.0/security-group-rules",
                            json{{"security_group_rule", {{"security_group_id", id}, {"direction", "ingress"},
                                                          {"protocol", "6"}, {"port_range_min", "80"},
                                                          {"port_range_max", "80"}}}}.dump()),
                       409, "SecurityGroupRuleExists", rule_id);
  expect_neutron_error(call("POST", "/v2.0/security-group-rules",
                            json{{"security_group_rule", {{"security_group_id", id}, {"direction", "ingress"},
                                                          {"protocol", "tcp"}, {"port_range_min", 90},
                                                          {"port_range_max", 80}}}}.dump()),
                       400, "SecurityGroupInvalidPortRange", "port_range_min");
  expect_neutron_error(call("POST", "/v2.0/security-group-rules",
                            json{{"security_group_rule", {{"security_group_id", id}, {"direction", "ingress"},
                                                          {"protocol", 47}, {"port_range_min", 1}}}}.dump()),
                       400, "SecurityGroupInvalidProtocolForPortRange", "47");
  expect_neutron_error(call("POST", "/v2.0/security-group-rules",
                            json{{"security_group_rule", {{"security_group_id", id}}}}.dump()),
                       400, "BadRequest", "direction");
  expect_neutron_error(call("POST", "/v2.0/security-group-rules",
                            json{{"security_group_rule", {{"security_group_id", id}, {"direction", "ingress"},
                                                          {"port_range_min", json::array()}}}}.dump()),
                       400, "BadRequest", "port_range_min");
  // Rules are immutable; they are deleted and listed.
  EXPECT_EQ(call("PUT", "/v2.0/security-group-rules/" + rule_id, R"({"security_group_rule": {}})").status, 405);
  auto listed = call("GET", "/v2.0/security-group-rules?security_group_id=" + id);
  EXPECT_EQ(listed.body["security_group_rules"].size(), 3u);
  EXPECT_EQ(call("DELETE", "/v2.0/security-group-rules/" + rule_id).status, 204);
  expect_neutron_error(call("GET", "/v2.0/security-group-rules/" + rule_id), 404, "SecurityGroupRuleNotFound",
                       rule_id);
}

TEST_F(SecurityGroupApi, PortsCarrySecurityAttributes) {
  const std::string net = create_network("n");
  auto g = call("POST", "/v2.0/security-groups", R"({"security_group": {"name": "web"}})");
  const std::string web = g.body["security_group"]["id"];
  auto plain = call("POST", "/v2.0/ports", json{{"port", {{"network_id", net}}}}.dump());
  ASSERT_EQ(plain.status, 201) << plain.body.dump();
  ASSERT_EQ(plain.body["port"]["security_groups"].size(), 1u);  // the project's default group
  EXPECT_EQ(plain.body["port"]["port_security_enabled"], true);
  auto port = call("POST", "/v2.0/ports",
                   json{{"port", {{"network_id", net}, {"security_groups", {web}},
                                  {"allowed_address_pairs", {{{"ip_address", "10.9.0.0/24"}}}}}}}.dump());
  ASSERT_EQ(port.status, 201) << port.body.dump();
  EXPECT_EQ(port.body["port"]["security_groups"], json::array({web}));
  EXPECT_EQ(port.body["port"]["allowed_address_pairs"][0]["ip_address"], "10.9.0.0/24");
  EXPECT_EQ(port.body["port"]["allowed_address_pairs"][0]["mac_address"], port.body["port"]["mac_address"]);
  expect_neutron_error(call("DELETE", "/v2.0/security-groups/" + web), 409, "SecurityGroupInUse", web);
  const std::string port_id = port.body["port"]["id"];
  expect_neutron_error(call("PUT", "/v2.0/ports/" + port_id, R"({"port": {"port_security_enabled": false}})"), 409,
                       "PortSecurityPortHasSecurityGroup", "security_groups");
  auto off = call("PUT", "/v2.0/ports/" + port_id,
                  R"({"port": {"port_security_enabled": false, "security_groups": [], "allowed_address_pairs": []}})");
  ASSERT_EQ(off.status, 200) << off.body.dump();
  EXPECT_EQ(off.body["port"]["security_groups"], json::array());
  EXPECT_EQ(call("DELETE", "/v2.0/security-groups/" + web).status, 204);
  expect_neutron_error(call("POST", "/v2.0/ports",
                            json{{"port", {{"network_id", net}, {"allowed_address_pairs", {{{"mac_address", "x"}}}}}}}
                                .dump()),
                       400, "BadRequest", "allowed_address_pairs");
  expect_neutron_error(call("POST", "/v2.0/ports", json{{"port", {{"network_id", net}, {"security_groups", "web"}}}}.dump()),
                       400, "BadRequest", "security_groups");
}

}  // namespace
}  // namespace overcast::controller::api

// The Neutron API through a real HTTP client against the server on an ephemeral
// loopback port.
#include "api_fixture.h"

namespace overcast::controller::api {
namespace {

using nlohmann::json;
using testing::ApiTest;

TEST_F(ApiTest, VersionsAndResources) {
  auto root = call("GET", "/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.body["versions"][0]["id"], "v2.0");
  EXPECT_EQ(root.body["versions"][0]["status"], "CURRENT");
  EXPECT_EQ(root.body["versions"][0]["links"][0]["href"],
            "http://127.0.0.1:" + std::to_string(server_->port()) + "/v2.0/");
  for (const char* path : {"/v2.0", "/v2.0/"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body["resources"].size(), 8u);
  }
}

TEST_F(ApiTest, Extensions) {
  auto list = call("GET", "/v2.0/extensions");
  EXPECT_EQ(list.status, 200);
  EXPECT_FALSE(list.body["extensions"].empty());
  EXPECT_EQ(call("GET", "/v2.0/extensions/binding").body["extension"]["alias"], "binding");
  expect_neutron_error(call("GET", "/v2.0/extensions/tag-ports-during-bulk-creation"), 404, "ExtensionNotFound",
                       "tag-ports-during-bulk-creation");
  EXPECT_TRUE(call("GET", "/v2.0/extensions?name=tag-ports-during-bulk-creation").body["extensions"].empty());
}

TEST_F(ApiTest, NetworkLifecycleWithFullAttributes) {
  auto created = call("POST", "/v2.0/networks", R"({"network": {"name": "n1", "mtu": "1400"}})",
                      {{"X-Auth-Token", "ignored"}, {"X-Project-Id", "proj-a"}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const json& n = created.body["network"];
  for (const char* key : {"id", "name", "tenant_id", "project_id", "admin_state_up", "status", "shared", "subnets",
                          "mtu", "provider:network_type", "provider:physical_network", "provider:segmentation_id",
                          "router:external", "port_security_enabled", "description", "tags", "created_at",
                          "updated_at", "revision_number", "availability_zone_hints", "availability_zones",
                          "ipv4_address_scope", "ipv6_address_scope", "l2_adjacency", "qos_policy_id"}) {
    EXPECT_TRUE(n.contains(key)) << key;
  }
  EXPECT_EQ(n["mtu"], 1400);
  EXPECT_EQ(n["project_id"], "proj-a");
  EXPECT_EQ(n["tenant_id"], "proj-a");
  EXPECT_EQ(n["provider:network_type"], "vxlan");
  const std::string id = n["id"];

  auto shown = call("GET", "/v2.0/networks/" + id);
  EXPECT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body["network"]["name"], "n1");

  auto updated = call("PUT", "/v2.0/networks/" + id, R"({"network": {"name": "n2", "admin_state_up": "True"}})");
  EXPECT_EQ(updated.status, 200) << updated.body.dump();
  EXPECT_EQ(updated.body["network"]["name"], "n2");
  EXPECT_EQ(updated.body["network"]["revision_number"], 1);

  auto deleted = call("DELETE", "/v2.0/networks/" + id);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.is_null());
  expect_neutron_error(call("GET", "/v2.0/networks/" + id), 404, "NetworkNotFound", id);
}

TEST_F(ApiTest, DefaultProjectAndBulkCreate) {
  auto bulk = call("POST", "/v2.0/networks", R"({"networks": [{"name": "a"}, {"name": "b", "tenant_id": "t1"}]})");
  ASSERT_EQ(bulk.status, 201) << bulk.body.dump();
  ASSERT_EQ(bulk.body["networks"].size(), 2u);
  EXPECT_EQ(bulk.body["networks"][0]["project_id"], "default-project");
  EXPECT_EQ(bulk.body["networks"][1]["project_id"], "t1");
  EXPECT_EQ(bulk.body["networks"][1]["tenant_id"], "t1");
  // One bad entry fails the whole bulk request.
  auto bad = call("POST", "/v2.0/networks", R"({"networks": [{"name": "c"}, {"mtu": 99999}]})");
  expect_neutron_error(bad, 400, "BadRequest", "mtu");
  EXPECT_EQ(call("GET", "/v2.0/networks").body["networks"].size(), 2u);
}

TEST_F(ApiTest, FiltersFieldsAndPaging) {
  create_network("x");
  create_network("y");
  create_network("z");
  EXPECT_EQ(call("GET", "/v2.0/networks?name=x").body["networks"].size(), 1u);
  EXPECT_EQ(call("GET", "/v2.0/networks?name=x&name=y").body["networks"].size(), 2u);
  EXPECT_EQ(call("GET", "/v2.0/networks?name=x&shared=true").body["networks"].size(), 0u);
  EXPECT_EQ(call("GET", "/v2.0/networks?admin_state_up=True").body["networks"].size(), 3u);
  EXPECT_EQ(call("GET", "/v2.0/networks?provider:segmentation_id=2").body["networks"].size(), 1u);
  auto fields = call("GET", "/v2.0/networks?fields=id&fields=name&name=y");
  ASSERT_EQ(fields.body["networks"].size(), 1u);
  EXPECT_EQ(fields.body["networks"][0].size(), 2u);
  EXPECT_EQ(fields.body["networks"][0]["name"], "y");

  auto page = call("GET", "/v2.0/networks?limit=2");
  ASSERT_EQ(page.body["networks"].size(), 2u);
  ASSERT_TRUE(page.body.contains("networks_links"));
  const std::string marker = page.body["networks"][1]["id"];
  auto rest = call("GET", "/v2.0/networks?limit=2&marker=" + marker);
  EXPECT_EQ(rest.body["networks"].size(), 1u);
  EXPECT_FALSE(rest.body.contains("networks_links"));
}

TEST_F(ApiTest, BadRequests) {
  expect_neutron_error(call("POST", "/v2.0/networks", "{not json"), 400, "HTTPBadRequest", "Malformed");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"foo": 1}})"), 400, "HTTPBadRequest",
                       "Unrecognized attribute(s) 'foo'");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"mtu": "big"}})"), 400, "BadRequest", "mtu");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"admin_state_up": "maybe"}})"), 400,
                       "BadRequest", "admin_state_up");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"name": 5}})"), 400, "BadRequest", "name");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"provider:network_type": "gre"}})"), 400,
                       "BadRequest", "provider:network_type");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"subnet": {}})"), 400, "BadRequest", "network");
  const std::string id = create_network("n");
  expect_neutron_error(call("PUT", "/v2.0/networks/" + id, R"({"network": {"provider:segmentation_id": 9}})"), 400,
                       "BadRequest", "provider:segmentation_id");
  expect_neutron_error(call("PUT", "/v2.0/networks/" + id, R"({"network": {"id": "x"}})"), 400, "BadRequest", "id");
  expect_neutron_error(call("POST", "/v2.0/subnets", R"({"subnet": {"network_id": ")" + id + R"("}})"), 400,
                       "BadRequest", "cidr");
  expect_neutron_error(
      call("POST", "/v2.0/subnets", R"({"subnet": {"network_id": ")" + id + R"(", "cidr": "10.0.0.1/24"}})"), 400,
      "BadRequest", "cidr");
  expect_neutron_error(call("POST", "/v2.0/ports", R"({"port": {"network_id": "nope"}})"), 404, "NetworkNotFound",
                       "nope");
}

TEST_F(ApiTest, MethodsAndUnknownPaths) {
  expect_neutron_error(call("PATCH", "/v2.0/networks"), 405, "HTTPMethodNotAllowed", "method");
  expect_neutron_error(call("DELETE", "/v2.0/networks"), 405, "HTTPMethodNotAllowed", "method");
  expect_neutron_error(call("PUT", "/v2.0/agents", "{}"), 405, "HTTPMethodNotAllowed", "method");
  expect_neutron_error(call("PUT", "/v2.0/agents/x", "{}"), 405, "HTTPMethodNotAllowed", "method");
  expect_neutron_error(call("GET", "/v2.0/qos/policies"), 404, "HTTPNotFound", "/v2.0/qos/policies");
}

TEST_F(ApiTest, SubnetsAndPortsWithConflicts) {
  const std::string net = create_network("n");
  auto subnet = call("POST", "/v2.0/subnets",
                     json{{"subnet", {{"network_id", net}, {"cidr", "10.0.0.0/24"}, {"ip_version", 4}}}}.dump());
  ASSERT_EQ(subnet.status, 201) << subnet.body.dump();
  EXPECT_EQ(subnet.body["subnet"]["gateway_ip"], "10.0.0.1");
  EXPECT_EQ(subnet.body["subnet"]["subnetpool_id"], nullptr);
  const std::string subnet_id = subnet.body["subnet"]["id"];
  EXPECT_EQ(call("GET", "/v2.0/networks/" + net).body["network"]["subnets"][0], subnet_id);

  auto port = call("POST", "/v2.0/ports",
                   json{{"port",
                         {{"network_id", net},
                          {"fixed_ips", {{{"ip_address", "10.0.0.5"}}}},
                          {"binding:host_id", "hv1"}}}}
                       .dump());
  ASSERT_EQ(port.status, 201) << port.body.dump();
  const json& p = port.body["port"];
  EXPECT_EQ(p["fixed_ips"][0]["ip_address"], "10.0.0.5");
  EXPECT_EQ(p["fixed_ips"][0]["subnet_id"], subnet_id);
  EXPECT_EQ(p["status"], "DOWN");
  EXPECT_EQ(p["binding:vif_type"], "binding_failed");
  EXPECT_EQ(p["binding:vnic_type"], "normal");
  for (const char* key : {"security_groups", "allowed_address_pairs", "extra_dhcp_opts", "binding:profile",
                          "binding:vif_details", "device_id", "device_owner", "revision_number"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  const std::string port_id = p["id"];
  EXPECT_EQ(call("GET", "/v2.0/ports?fixed_ips=ip_address%3D10.0.0.5").body["ports"].size(), 1u);
  EXPECT_EQ(call("GET", "/v2.0/ports?fixed_ips=ip_address%3D10.0.0.6").body["ports"].size(), 0u);
  EXPECT_EQ(call("GET", "/v2.0/ports?network_id=" + net).body["ports"].size(), 1u);

  auto clash = call("POST", "/v2.0/ports",
                    json{{"port", {{"network_id", net}, {"fixed_ips", {{{"ip_address", "10.0.0.5"}}}}}}}.dump());
  expect_neutron_error(clash, 409, "IpAddressAlreadyAllocated", "10.0.0.5");
  auto mac_clash = call("POST", "/v2.0/ports",
                        json{{"port", {{"network_id", net}, {"mac_address", p["mac_address"]}}}}.dump());
  expect_neutron_error(mac_clash, 409, "MacAddressInUse", p["mac_address"].get<std::string>());
  expect_neutron_error(call("DELETE", "/v2.0/subnets/" + subnet_id), 409, "SubnetInUse", subnet_id);
  expect_neutron_error(call("DELETE", "/v2.0/networks/" + net), 409, "NetworkInUse", net);

  auto renamed = call("PUT", "/v2.0/ports/" + port_id, R"({"port": {"name": "p", "binding:host_id": ""}})");
  EXPECT_EQ(renamed.status, 200);
  EXPECT_EQ(renamed.body["port"]["binding:vif_type"], "unbound");
  expect_neutron_error(call("PUT", "/v2.0/ports/" + port_id, R"({"port": {"binding:vif_type": "tap"}})"), 400,
                       "BadRequest", "binding:vif_type");
  EXPECT_EQ(call("DELETE", "/v2.0/ports/" + port_id).status, 204);
  EXPECT_EQ(call("DELETE", "/v2.0/networks/" + net).status, 204);
}

TEST_F(ApiTest, AgentsAndPortStatus) {
  std::string error;
  ASSERT_TRUE(model_->register_agent({"hv1", "192.0.2.1", {"vxlan"}, "0.1", false, 0, {}}, error));
  auto list = call("GET", "/v2.0/agents");
  ASSERT_EQ(list.body["agents"].size(), 1u);
  const json& a = list.body["agents"][0];
  EXPECT_EQ(a["agent_type"], "Overcast agent");
  EXPECT_EQ(a["binary"], "overcast-agent");
  EXPECT_EQ(a["host"], "hv1");
  EXPECT_EQ(a["alive"], true);
  EXPECT_EQ(a["configurations"]["tunneling_ip"], "192.0.2.1");
  EXPECT_EQ(a["configurations"]["tunnel_types"], json::array({"vxlan"}));
  EXPECT_EQ(a["availability_zone"], nullptr);
  const std::string id = a["id"];
  EXPECT_EQ(call("GET", "/v2.0/agents/" + id).body["agent"]["host"], "hv1");
  EXPECT_EQ(call("GET", "/v2.0/agents?host=hv2").body["agents"].size(), 0u);
  expect_neutron_error(call("DELETE", "/v2.0/agents/" + id), 409, "AgentAlive", "hv1");

  const std::string net = create_network("n");
  auto port = call("POST", "/v2.0/ports", json{{"port", {{"network_id", net}, {"binding:host_id", "hv1"}}}}.dump());
  EXPECT_EQ(port.body["port"]["binding:vif_type"], "tap");
  model_->set_port_status(port.body["port"]["id"], true);
  EXPECT_EQ(call("GET", "/v2.0/ports/" + port.body["port"]["id"].get<std::string>()).body["port"]["status"], "ACTIVE");

  model_->agent_disconnected("hv1");
  EXPECT_EQ(call("DELETE", "/v2.0/agents/" + id).status, 204);
  expect_neutron_error(call("GET", "/v2.0/agents/" + id), 404, "AgentNotFound", id);
}

}  // namespace
}  // namespace overcast::controller::api

namespace overcast::controller::api::testing {
namespace {

// A body nested a million levels deep must be refused, not overflow the stack: copying or
// printing it would recurse once per level.
TEST_F(ApiTest, DeeplyNestedBodyIsRefusedNotACrash) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  auto r = call("POST", "/v2.0/networks", "{\"network\": {\"name\": \"x\", \"description\": " + deep + "}}");
  expect_neutron_error(r, 400, "HTTPBadRequest", "nested deeper");
  EXPECT_EQ(call("GET", "/v2.0/networks").body["networks"].size(), 0u);
  create_network("still-serving");
}

TEST_F(ApiTest, HugeLimitReturnsEverythingAfterTheMarker) {
  const std::string first = create_network("n1");
  create_network("n2");
  create_network("n3");
  auto all = call("GET", "/v2.0/networks").body["networks"];
  ASSERT_EQ(all.size(), 3u);
  const std::string marker = all[0]["id"];
  auto r = call("GET", "/v2.0/networks?limit=18446744073709551615&marker=" + marker);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["networks"].size(), 2u) << r.body.dump();
  (void)first;
}

TEST_F(ApiTest, BodyOverTheLimitIsRefusedWith413AndSaysSo) {
  const std::string huge(17u << 20, ' ');
  auto r = call("POST", "/v2.0/networks", "{\"network\": {\"name\": \"x\"}}" + huge);
  expect_neutron_error(r, 413, "HTTPError", "body too large");
  EXPECT_EQ(call("GET", "/v2.0/networks").body["networks"].size(), 0u);
  create_network("still-serving");
}

}  // namespace
}  // namespace overcast::controller::api::testing

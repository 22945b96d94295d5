// Routers, router interfaces, external networks, floating IPs and l3-agents over HTTP,
// in the shapes the openstack client sends and expects.
#include "api_fixture.h"

namespace overcast::controller::api {
namespace {

using nlohmann::json;
using testing::ApiTest;

class L3Api : public ApiTest {
 protected:
  // public (flat, physnet1, external) with 203.0.113.0/24; a tenant net with 10.0.0.0/24.
  void make_topology() {
    auto ext = call("POST", "/v2.0/networks",
                    R"({"network": {"name": "public", "router:external": true, "provider:network_type": "flat",
                                    "provider:physical_network": "physnet1"}})");
    ASSERT_EQ(ext.status, 201) << ext.body.dump();
    public_net = ext.body["network"]["id"];
    EXPECT_EQ(ext.body["network"]["router:external"], true);
    EXPECT_EQ(ext.body["network"]["provider:network_type"], "flat");
    EXPECT_EQ(ext.body["network"]["provider:physical_network"], "physnet1");
    EXPECT_TRUE(ext.body["network"]["provider:segmentation_id"].is_null());
    auto s = call("POST", "/v2.0/subnets",
                  json{{"subnet", {{"network_id", public_net}, {"cidr", "203.0.113.0/24"},
                                   {"gateway_ip", "203.0.113.1"}}}}.dump());
    ASSERT_EQ(s.status, 201) << s.body.dump();
    public_subnet = s.body["subnet"]["id"];
    tenant_net = create_network("private");
    s = call("POST", "/v2.0/subnets",
             json{{"subnet", {{"network_id", tenant_net}, {"cidr", "10.0.0.0/24"}}}}.dump());
    ASSERT_EQ(s.status, 201) << s.body.dump();
    tenant_subnet = s.body["subnet"]["id"];
  }
  std::string public_net, public_subnet, tenant_net, tenant_subnet;
};

TEST_F(L3Api, RouterLifecycleWithInterfaceAndGateway) {
  make_topology();
  auto created = call("POST", "/v2.0/routers", R"({"router": {"name": "r1", "admin_state_up": true}})");
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const json& r = created.body["router"];
  for (const char* key : {"id", "name", "tenant_id", "project_id", "admin_state_up", "status",
                          "external_gateway_info", "routes", "ha", "distributed", "revision_number"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  EXPECT_TRUE(r["external_gateway_info"].is_null());
  const std::string id = r["id"];

  auto added = call("PUT", "/v2.0/routers/" + id + "/add_router_interface",
                    json{{"subnet_id", tenant_subnet}}.dump());
  ASSERT_EQ(added.status, 200) << added.body.dump();
  EXPECT_EQ(added.body["id"], id);
  EXPECT_EQ(added.body["subnet_id"], tenant_subnet);
  EXPECT_EQ(added.body["subnet_ids"], json::array({tenant_subnet}));
  auto port = call("GET", "/v2.0/ports/" + added.body["port_id"].get<std::string>());
  EXPECT_EQ(port.body["port"]["device_owner"], "network:router_interface");
  EXPECT_EQ(port.body["port"]["fixed_ips"][0]["ip_address"], "10.0.0.1");
  expect_neutron_error(call("PUT", "/v2.0/routers/" + id + "/add_router_interface",
                            json{{"subnet_id", tenant_subnet}}.dump()),
                       400, "BadRequest", "already has a port on subnet");
  expect_neutron_error(call("DELETE", "/v2.0/routers/" + id), 409, "RouterInUse", id);
  expect_neutron_error(call("DELETE", "/v2.0/subnets/" + tenant_subnet), 409, "SubnetInUse", tenant_subnet);

  auto gateway = call("PUT", "/v2.0/routers/" + id,
                      json{{"router", {{"external_gateway_info", {{"network_id", public_net}}}}}}.dump());
  ASSERT_EQ(gateway.status, 200) << gateway.body.dump();
  const json& info = gateway.body["router"]["external_gateway_info"];
  EXPECT_EQ(info["network_id"], public_net);
  EXPECT_EQ(info["enable_snat"], true);
  EXPECT_EQ(info["external_fixed_ips"][0]["subnet_id"], public_subnet);
  EXPECT_EQ(info["external_fixed_ips"][0]["ip_address"], "203.0.113.2");
  auto snat_off = call("PUT", "/v2.0/routers/" + id,
                       json{{"router", {{"external_gateway_info",
                                         {{"network_id", public_net}, {"enable_snat", false}}}}}}.dump());
  ASSERT_EQ(snat_off.status, 200) << snat_off.body.dump();
  EXPECT_EQ(snat_off.body["router"]["external_gateway_info"]["enable_snat"], false);
  EXPECT_EQ(snat_off.body["router"]["external_gateway_info"]["external_fixed_ips"][0]["ip_address"], "203.0.113.2");

  auto routes = call("PUT", "/v2.0/routers/" + id,
                     R"({"router": {"routes": [{"destination": "192.168.0.0/16", "nexthop": "10.0.0.9"}]}})");
  ASSERT_EQ(routes.status, 200) << routes.body.dump();
  EXPECT_EQ(routes.body["router"]["routes"][0]["nexthop"], "10.0.0.9");
  expect_neutron_error(call("PUT", "/v2.0/routers/" + id,
                            R"({"router": {"routes": [{"destination": "192.168.0.0/16", "nexthop": "172.16.0.1"}]}})"),
                       400, "InvalidRoutes", "not connected");
  EXPECT_EQ(call("PUT", "/v2.0/routers/" + id, R"({"router": {"routes": null}})").status, 200);

  auto removed = call("PUT", "/v2.0/routers/" + id + "/remove_router_interface",
                      json{{"subnet_id", tenant_subnet}}.dump());
  ASSERT_EQ(removed.status, 200) << removed.body.dump();
  EXPECT_EQ(removed.body["port_id"], added.body["port_id"]);
  EXPECT_EQ(call("PUT", "/v2.0/routers/" + id, R"({"router": {"external_gateway_info": {}}})")
                .body["router"]["external_gateway_info"],
            nullptr);
  EXPECT_EQ(call("DELETE", "/v2.0/routers/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v2.0/routers").body["routers"], json::array());
}

TEST_F(L3Api, BadRouterBodies) {
  make_topology();
  expect_neutron_error(call("POST", "/v2.0/routers", R"({"router": {"colour": "red"}})"), 400, "HTTPBadRequest",
                       "colour");
  expect_neutron_error(call("POST", "/v2.0/routers", R"({"router": {"external_gateway_info": "public"}})"), 400,
                       "BadRequest", "external_gateway_info");
  expect_neutron_error(call("POST", "/v2.0/routers",
                            json{{"router", {{"external_gateway_info", {{"network_id", tenant_net}}}}}}.dump()),
                       400, "BadRequest", "not an external network");
  auto r = call("POST", "/v2.0/routers", R"({"router": {"name": "r"}})");
  const std::string id = r.body["router"]["id"];
  for (const char* body : {"[]", "{\"subnet_id\": 7}", "{\"network_id\": \"x\"}", "not json"}) {
    auto reply = call("PUT", "/v2.0/routers/" + id + "/add_router_interface", body);
    EXPECT_EQ(reply.status, 400) << body << " " << reply.body.dump();
  }
  expect_neutron_error(call("PUT", "/v2.0/routers/" + id + "/add_router_interface", "{}"), 400, "BadRequest",
                       "subnet_id or port_id");
  expect_neutron_error(call("PUT", "/v2.0/routers/nope/add_router_interface",
                            json{{"subnet_id", tenant_subnet}}.dump()),
                       404, "RouterNotFound", "nope");
  EXPECT_EQ(call("GET", "/v2.0/routers/" + id + "/add_router_interface").status, 405);
}

TEST_F(L3Api, FloatingIpCreateAssociateDisassociate) {
  make_topology();
  auto r = call("POST", "/v2.0/routers",
                json{{"router", {{"name", "r"}, {"external_gateway_info", {{"network_id", public_net}}}}}}.dump());
  ASSERT_EQ(r.status, 201) << r.body.dump();
  const std::string router = r.body["router"]["id"];
  auto port = call("POST", "/v2.0/ports", json{{"port", {{"network_id", tenant_net}}}}.dump());
  const std::string port_id = port.body["port"]["id"];
  // Not yet reachable: the router has no interface on the tenant subnet.
  expect_neutron_error(call("POST", "/v2.0/floatingips",
                            json{{"floatingip", {{"floating_network_id", public_net}, {"port_id", port_id}}}}.dump()),
                       404, "ExternalGatewayForFloatingIPNotFound", "is not reachable from subnet " + tenant_subnet);
  ASSERT_EQ(call("PUT", "/v2.0/routers/" + router + "/add_router_interface",
                 json{{"subnet_id", tenant_subnet}}.dump()).status, 200);
  auto fip = call("POST", "/v2.0/floatingips", json{{"floatingip", {{"floating_network_id", public_net}}}}.dump());
  ASSERT_EQ(fip.status, 201) << fip.body.dump();
  const json& f = fip.body["floatingip"];
  EXPECT_EQ(f["floating_ip_address"], "203.0.113.3");
  EXPECT_TRUE(f["port_id"].is_null());
  EXPECT_TRUE(f["router_id"].is_null());
  EXPECT_EQ(f["status"], "DOWN");
  const std::string id = f["id"];
  auto set = call("PUT", "/v2.0/floatingips/" + id, json{{"floatingip", {{"port_id", port_id}}}}.dump());
  ASSERT_EQ(set.status, 200) << set.body.dump();
  EXPECT_EQ(set.body["floatingip"]["router_id"], router);
  EXPECT_EQ(set.body["floatingip"]["fixed_ip_address"], "10.0.0.2");
  auto filtered = call("GET", "/v2.0/floatingips?port_id=" + port_id);
  EXPECT_EQ(filtered.body["floatingips"].size(), 1u);
  auto unset = call("PUT", "/v2.0/floatingips/" + id, R"({"floatingip": {"port_id": null}})");
  ASSERT_EQ(unset.status, 200) << unset.body.dump();
  EXPECT_TRUE(unset.body["floatingip"]["port_id"].is_null());
  auto given = call("POST", "/v2.0/floatingips",
                    json{{"floatingip", {{"floating_network_id", public_net},
                                         {"floating_ip_address", "203.0.113.200"}}}}.dump());
  EXPECT_EQ(given.body["floatingip"]["floating_ip_address"], "203.0.113.200");
  expect_neutron_error(call("POST", "/v2.0/floatingips", json{{"floatingip", {{"floating_network_id", tenant_net}}}}.dump()),
                       400, "BadRequest", "floating_network_id");
  expect_neutron_error(call("POST", "/v2.0/floatingips", R"({"floatingip": {}})"), 400, "BadRequest",
                       "floating_network_id");
  EXPECT_EQ(call("DELETE", "/v2.0/floatingips/" + id).status, 204);
  expect_neutron_error(call("GET", "/v2.0/floatingips/" + id), 404, "FloatingIPNotFound", id);
}

TEST_F(L3Api, L3AgentsOfARouterFollowGatewayHosts) {
  make_topology();
  std::string error;
  ASSERT_TRUE(model_->register_agent({"hv1", "192.0.2.1", {}, "", true, 1, {"physnet1:eth1"}}, error)) << error;
  ASSERT_TRUE(model_->register_agent({"hv2", "192.0.2.2", {}, "", true, 2, {"physnet1:eth1"}}, error)) << error;
  ASSERT_TRUE(model_->register_agent({"hv3", "192.0.2.3", {}, "", false, 0, {}}, error)) << error;
  auto agents = call("GET", "/v2.0/agents").body["agents"];
  ASSERT_EQ(agents.size(), 3u);
  for (const auto& a : agents) {
    const bool gateway = a["host"] != "hv3";
    EXPECT_EQ(a["agent_type"], gateway ? "L3 agent" : "Overcast agent") << a.dump();
    EXPECT_EQ(a["configurations"]["gateway"], gateway);
    if (gateway) {
      EXPECT_EQ(a["configurations"]["bridge_mappings"]["physnet1"], "eth1");
    }
  }
  auto r = call("POST", "/v2.0/routers",
                json{{"router", {{"external_gateway_info", {{"network_id", public_net}}}}}}.dump());
  const std::string router = r.body["router"]["id"];
  auto l3 = call("GET", "/v2.0/routers/" + router + "/l3-agents");
  ASSERT_EQ(l3.status, 200) << l3.body.dump();
  ASSERT_EQ(l3.body["agents"].size(), 2u);
  EXPECT_EQ(l3.body["agents"][0]["host"], "hv2");
  EXPECT_EQ(l3.body["agents"][0]["ha_state"], "active");
  EXPECT_EQ(l3.body["agents"][1]["ha_state"], "standby");
  model_->agent_disconnected("hv2");
  l3 = call("GET", "/v2.0/routers/" + router + "/l3-agents");
  EXPECT_EQ(l3.body["agents"][1]["host"], "hv1");
  EXPECT_EQ(l3.body["agents"][1]["ha_state"], "active");
  EXPECT_EQ(l3.body["agents"][0]["alive"], false);
  expect_neutron_error(call("GET", "/v2.0/routers/nope/l3-agents"), 404, "RouterNotFound", "nope");
}

TEST_F(L3Api, ProviderNetworkRefusals) {
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"provider:network_type": "vlan"}})"), 400,
                       "BadRequest", "physical_network");
  auto vlan = call("POST", "/v2.0/networks",
                   R"({"network": {"provider:network_type": "vlan", "provider:physical_network": "physnet1",
                                   "provider:segmentation_id": 42}})");
  ASSERT_EQ(vlan.status, 201) << vlan.body.dump();
  EXPECT_EQ(vlan.body["network"]["provider:segmentation_id"], 42);
  expect_neutron_error(call("POST", "/v2.0/networks",
                            R"({"network": {"provider:network_type": "vlan", "provider:physical_network": "physnet1",
                                            "provider:segmentation_id": 42}})"),
                       409, "VlanIdInUse", "42");
  expect_neutron_error(call("POST", "/v2.0/networks", R"({"network": {"router:external": "maybe"}})"), 400,
                       "BadRequest", "router:external");
}

TEST_F(L3Api, ExtensionsListWhatIsServed) {
  auto list = call("GET", "/v2.0/extensions").body["extensions"];
  std::set<std::string> aliases;
  for (const auto& e : list) aliases.insert(e["alias"]);
  for (const char* alias : {"router", "ext-gw-mode", "extraroute", "external-net", "security-group", "port-security",
                            "allowed-address-pairs", "l3-ha", "l3_agent_scheduler", "provider", "agent"}) {
    EXPECT_TRUE(aliases.contains(alias)) << alias;
  }
}

}  // namespace
}  // namespace overcast::controller::api

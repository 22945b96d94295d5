// POST /v2.0/agents (the overcast-static-vtep extension) and what a static VTEP looks
// like through the rest of the API.
#include "api_fixture.h"

namespace overcast::controller::api {
namespace {

using nlohmann::json;
using testing::ApiTest;

json static_vtep_body(const std::string& host, const std::string& ip) {
  return json{{"agent",
               {{"host", host},
                {"agent_type", "Static VTEP"},
                {"configurations", {{"tunneling_ip", ip}, {"tunnel_types", json::array({"vxlan"})}}}}}};
}

using StaticVtepApi = ApiTest;

TEST_F(StaticVtepApi, ExtensionIsListed) {
  auto e = call("GET", "/v2.0/extensions/overcast-static-vtep");
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.body["extension"]["alias"], "overcast-static-vtep");
  auto list = call("GET", "/v2.0/extensions?alias=overcast-static-vtep");
  EXPECT_EQ(list.body["extensions"].size(), 1u);
}

TEST_F(StaticVtepApi, CreateShowsAnAliveAgentOfItsOwnType) {
  listener_.received.clear();
  auto r = call("POST", "/v2.0/agents", static_vtep_body("kvm1", "172.16.1.50").dump());
  ASSERT_EQ(r.status, 201) << r.body.dump();
  const json& a = r.body["agent"];
  EXPECT_EQ(a["agent_type"], "Static VTEP");
  EXPECT_EQ(a["binary"], "");
  EXPECT_EQ(a["host"], "kvm1");
  EXPECT_EQ(a["alive"], true);
  EXPECT_EQ(a["admin_state_up"], true);
  EXPECT_EQ(a["heartbeat_timestamp"], nullptr);
  EXPECT_EQ(a["configurations"]["tunneling_ip"], "172.16.1.50");
  EXPECT_EQ(a["configurations"]["tunnel_types"], json::array({"vxlan"}));
  ASSERT_EQ(listener_.received.size(), 1u);
  ASSERT_EQ(listener_.received[0].hosts.size(), 1u);
  EXPECT_EQ(listener_.received[0].hosts[0].underlay_ip, "172.16.1.50");

  auto listed = call("GET", "/v2.0/agents?agent_type=Static%20VTEP");
  ASSERT_EQ(listed.body["agents"].size(), 1u);
  EXPECT_EQ(listed.body["agents"][0]["id"], a["id"]);
  EXPECT_EQ(call("GET", "/v2.0/agents/" + a["id"].get<std::string>()).body["agent"]["host"], "kvm1");
}

TEST_F(StaticVtepApi, TunnelTypesAndDescriptionAreOptional) {
  json body = {{"agent",
                {{"host", "kvm1"},
                 {"agent_type", "Static VTEP"},
                 {"description", "rack 4 ToR"},
                 {"admin_state_up", false},
                 {"configurations", {{"tunneling_ip", "172.16.1.50"}}}}}};
  auto r = call("POST", "/v2.0/agents", body.dump());
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["agent"]["description"], "rack 4 ToR");
  EXPECT_EQ(r.body["agent"]["alive"], false);
  EXPECT_EQ(r.body["agent"]["configurations"]["tunnel_types"], json::array({"vxlan"}));
}

TEST_F(StaticVtepApi, BadRequestsNameTheProblem) {
  json agent = static_vtep_body("kvm1", "172.16.1.50");
  json overcast_agent = agent;
  overcast_agent["agent"]["agent_type"] = "Overcast agent";
  expect_neutron_error(call("POST", "/v2.0/agents", overcast_agent.dump()), 400, "BadRequest", "register themselves");
  json no_type = agent;
  no_type["agent"].erase("agent_type");
  expect_neutron_error(call("POST", "/v2.0/agents", no_type.dump()), 400, "BadRequest", "agent_type");
  json no_host = agent;
  no_host["agent"].erase("host");
  expect_neutron_error(call("POST", "/v2.0/agents", no_host.dump()), 400, "BadRequest", "host");
  json no_ip = agent;
  no_ip["agent"]["configurations"].erase("tunneling_ip");
  expect_neutron_error(call("POST", "/v2.0/agents", no_ip.dump()), 400, "BadRequest", "tunneling_ip");
  json no_configurations = agent;
  no_configurations["agent"].erase("configurations");
  expect_neutron_error(call("POST", "/v2.0/agents", no_configurations.dump()), 400, "BadRequest", "configurations");
  expect_neutron_error(call("POST", "/v2.0/agents", static_vtep_body("kvm1", "2001:db8::5").dump()), 400,
                       "BadRequest", "IPv4");
  expect_neutron_error(call("POST", "/v2.0/agents", static_vtep_body("kvm1", "not-an-ip").dump()), 400,
                       "BadRequest", "not-an-ip");
  json numeric_ip = agent;
  numeric_ip["agent"]["configurations"]["tunneling_ip"] = 42;
  expect_neutron_error(call("POST", "/v2.0/agents", numeric_ip.dump()), 400, "BadRequest", "tunneling_ip");
  json geneve = agent;
  geneve["agent"]["configurations"]["tunnel_types"] = json::array({"geneve"});
  expect_neutron_error(call("POST", "/v2.0/agents", geneve.dump()), 400, "BadRequest", "geneve");
  json extra_configuration = agent;
  extra_configuration["agent"]["configurations"]["bridge_mappings"] = json::object();
  expect_neutron_error(call("POST", "/v2.0/agents", extra_configuration.dump()), 400, "BadRequest",
                       "bridge_mappings");
  json with_id = agent;
  with_id["agent"]["id"] = "x";
  expect_neutron_error(call("POST", "/v2.0/agents", with_id.dump()), 400, "BadRequest", "'id' not allowed");
  json with_alive = agent;
  with_alive["agent"]["alive"] = true;
  expect_neutron_error(call("POST", "/v2.0/agents", with_alive.dump()), 400, "BadRequest", "'alive' not allowed");
  json unknown = agent;
  unknown["agent"]["color"] = "blue";
  expect_neutron_error(call("POST", "/v2.0/agents", unknown.dump()), 400, "HTTPBadRequest", "color");
  expect_neutron_error(call("POST", "/v2.0/agents", "{}"), 400, "BadRequest", "agent");
  expect_neutron_error(call("POST", "/v2.0/agents", "{\"agent\": [1]}"), 400, "BadRequest", "agent");
  EXPECT_TRUE(call("GET", "/v2.0/agents").body["agents"].empty());
}

TEST_F(StaticVtepApi, ConflictsWithOtherHosts) {
  std::string error;
  ASSERT_TRUE(model_->register_agent({"hv1", "192.0.2.1", {"vxlan"}, "0.1", false, 0, {}}, error));
  expect_neutron_error(call("POST", "/v2.0/agents", static_vtep_body("hv1", "172.16.1.50").dump()), 409,
                       "HostInUse", "hv1");
  expect_neutron_error(call("POST", "/v2.0/agents", static_vtep_body("kvm1", "192.0.2.1").dump()), 409,
                       "UnderlayIpInUse", "192.0.2.1");
  ASSERT_EQ(call("POST", "/v2.0/agents", static_vtep_body("kvm1", "172.16.1.50").dump()).status, 201);
  expect_neutron_error(call("POST", "/v2.0/agents", static_vtep_body("kvm1", "172.16.1.51").dump()), 409,
                       "HostInUse", "kvm1");
}

TEST_F(StaticVtepApi, PortsBindToItAndDeleteWaitsForThem) {
  auto vtep = call("POST", "/v2.0/agents", static_vtep_body("kvm1", "172.16.1.50").dump());
  ASSERT_EQ(vtep.status, 201);
  const std::string id = vtep.body["agent"]["id"];
  const std::string net = create_network("n");
  auto port = call("POST", "/v2.0/ports",
                   json{{"port", {{"network_id", net}, {"binding:host_id", "kvm1"},
                                  {"mac_address", "02:00:00:00:00:50"}}}}.dump());
  ASSERT_EQ(port.status, 201) << port.body.dump();
  EXPECT_EQ(port.body["port"]["binding:vif_type"], "other");
  EXPECT_EQ(port.body["port"]["status"], "ACTIVE");
  const std::string port_id = port.body["port"]["id"];
  expect_neutron_error(call("DELETE", "/v2.0/agents/" + id), 409, "StaticVtepInUse", port_id);
  EXPECT_EQ(call("DELETE", "/v2.0/ports/" + port_id).status, 204);
  EXPECT_EQ(call("DELETE", "/v2.0/agents/" + id).status, 204);
  expect_neutron_error(call("GET", "/v2.0/agents/" + id), 404, "AgentNotFound", id);
}

TEST_F(StaticVtepApi, BulkCreateIsAllOrNothing) {
  json bulk = {{"agents", json::array({static_vtep_body("kvm1", "172.16.1.50")["agent"],
                                       static_vtep_body("kvm2", "172.16.1.50")["agent"]})}};
  expect_neutron_error(call("POST", "/v2.0/agents", bulk.dump()), 409, "UnderlayIpInUse", "172.16.1.50");
  EXPECT_TRUE(call("GET", "/v2.0/agents").body["agents"].empty());
  bulk["agents"][1]["configurations"]["tunneling_ip"] = "172.16.1.51";
  auto r = call("POST", "/v2.0/agents", bulk.dump());
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["agents"].size(), 2u);
}

}  // namespace
}  // namespace overcast::controller::api

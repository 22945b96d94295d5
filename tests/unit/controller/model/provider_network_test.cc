// Provider attributes of networks (vxlan, flat, vlan on physical networks, external)
// and gateway agents: registration of gateway capability and bridge mappings, and the
// order and liveness that choose a router's active gateway host.
#include "l3_fixture.h"

namespace overcast::controller::testing {
namespace {

using ProviderNetworks = L3Test;
using GatewayHosts = L3Test;

NetworkCreate provider(const std::string& type, std::optional<std::string> physnet, std::optional<int64_t> id) {
  NetworkCreate request;
  request.project_id = "admin";
  request.network_type = type;
  request.physical_network = std::move(physnet);
  request.segmentation_id = id;
  return request;
}

TEST_F(ProviderNetworks, VxlanIsTheDefaultAndTakesAVni) {
  auto n = model->create_networks({provider("vxlan", std::nullopt, 5000)});
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n.value()[0].network.network_type, "vxlan");
  EXPECT_EQ(n.value()[0].network.vni, 5000u);
  expect_error(model->create_networks({provider("vxlan", std::nullopt, 5000)}), 409, "TunnelIdInUse", "5000");
  expect_error(model->create_networks({provider("vxlan", "physnet1", std::nullopt)}), 400, "BadRequest",
               "physical_network");
  expect_error(model->create_networks({provider("gre", std::nullopt, std::nullopt)}), 400, "BadRequest",
               "provider:network_type");
}

TEST_F(ProviderNetworks, FlatIsOnePerPhysicalNetwork) {
  auto flat = model->create_networks({provider("flat", "physnet1", std::nullopt)});
  ASSERT_TRUE(flat) << flat.error().message;
  EXPECT_EQ(flat.value()[0].network.physical_network, "physnet1");
  EXPECT_GE(flat.value()[0].network.vni, 1u);  // the data plane keys its segment by it (never VXLAN)
  expect_error(model->create_networks({provider("flat", "physnet1", std::nullopt)}), 409, "FlatNetworkInUse",
               "physnet1");
  EXPECT_TRUE(model->create_networks({provider("flat", "physnet2", std::nullopt)}));
  expect_error(model->create_networks({provider("flat", std::nullopt, std::nullopt)}), 400, "BadRequest",
               "physical_network");
  expect_error(model->create_networks({provider("flat", "physnet3", 7)}), 400, "BadRequest", "segmentation_id");
  expect_error(model->create_networks({provider("flat", "phys net", std::nullopt)}), 400, "BadRequest",
               "physical_network");
}

// A provider network carries frames on the physical segment as they are (a VLAN tag at
// most): its MTU is the physical network's, not the overlay's 50 bytes less.
TEST_F(ProviderNetworks, ProviderNetworksTakeThePhysicalMtu) {
  auto flat = model->create_networks({provider("flat", "physnet1", std::nullopt)});
  ASSERT_TRUE(flat) << flat.error().message;
  EXPECT_EQ(flat.value()[0].network.mtu, 1500u);
  auto vlan = model->create_networks({provider("vlan", "physnet1", 100)});
  ASSERT_TRUE(vlan) << vlan.error().message;
  EXPECT_EQ(vlan.value()[0].network.mtu, 1500u);
  auto overlay = model->create_networks({provider("vxlan", std::nullopt, std::nullopt)});
  ASSERT_TRUE(overlay) << overlay.error().message;
  EXPECT_EQ(overlay.value()[0].network.mtu, 1450u);

  NetworkCreate too_big = provider("flat", "physnet2", std::nullopt);
  too_big.mtu = 1501;
  expect_error(model->create_networks({too_big}), 400, "BadRequest", "1500");
  NetworkCreate overlay_too_big = provider("vxlan", std::nullopt, std::nullopt);
  overlay_too_big.mtu = 1451;
  expect_error(model->create_networks({overlay_too_big}), 400, "BadRequest", "1450");

  NetworkUpdate up;
  up.mtu = 1500;
  EXPECT_TRUE(model->update_network(vlan.value()[0].network.id, up));
  up.mtu = 1501;
  expect_error(model->update_network(vlan.value()[0].network.id, up), 400, "BadRequest", "1500");
  up.mtu = 1500;
  expect_error(model->update_network(overlay.value()[0].network.id, up), 400, "BadRequest", "1450");
}

TEST_F(ProviderNetworks, VlanIdsAreUniquePerPhysicalNetwork) {
  auto v = model->create_networks({provider("vlan", "physnet1", 100)});
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v.value()[0].network.vlan_id, 100u);
  expect_error(model->create_networks({provider("vlan", "physnet1", 100)}), 409, "VlanIdInUse", "100");
  EXPECT_TRUE(model->create_networks({provider("vlan", "physnet2", 100)}));
  expect_error(model->create_networks({provider("vlan", "physnet1", 4095)}), 400, "BadRequest", "4095");
  expect_error(model->create_networks({provider("vlan", "physnet1", 0)}), 400, "BadRequest", "segmentation_id");
  auto allocated = model->create_networks({provider("vlan", "physnet1", std::nullopt)});
  ASSERT_TRUE(allocated);
  EXPECT_EQ(allocated.value()[0].network.vlan_id, 1u);
  restart();
  expect_error(model->create_networks({provider("vlan", "physnet1", 100)}), 409, "VlanIdInUse", "100");
}

TEST_F(ProviderNetworks, ExternalFlagCannotBeDroppedWhileUsed) {
  const std::string ext = make_external();
  make_router("p", ext);
  NetworkUpdate update;
  update.external = false;
  expect_error(model->update_network(ext, update), 409, "ExternalNetworkInUse", ext);
  auto plain = make_network();
  update.external = true;
  auto made_external = model->update_network(plain, update);
  ASSERT_TRUE(made_external);
  EXPECT_TRUE(made_external.value().network.external);
}

TEST_F(GatewayHosts, RegistrationCarriesGatewayAndMappings) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", true, 10, {"physnet1:eth1"}}, error)) << error;
  restart();
  auto agent = model->list_agents()[0].agent;
  EXPECT_TRUE(agent.gateway);
  EXPECT_EQ(agent.gateway_priority, 10u);
  EXPECT_EQ(agent.bridge_mappings, std::vector<std::string>{"physnet1:eth1"});
  EXPECT_FALSE(model->register_agent({"hv2", "192.0.2.2", {}, "", false, 0, {"physnet1"}}, error));
  EXPECT_NE(error.find("physnet1"), std::string::npos) << error;
  EXPECT_FALSE(model->register_agent({"hv2", "192.0.2.2", {}, "", false, 0, {"a:eth1", "a:eth2"}}, error));
  EXPECT_NE(error.find("twice"), std::string::npos) << error;
}

TEST_F(GatewayHosts, ActiveIsTheHighestPriorityAliveOne) {
  const std::string ext = make_external();
  const std::string router = make_router("p", ext);
  const std::string no_gateway = make_router();
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", true, 10, {"physnet1:eth1"}}, error));
  ASSERT_TRUE(model->register_agent({"hv2", "192.0.2.2", {}, "", true, 20, {"physnet1:eth1"}}, error));
  ASSERT_TRUE(model->register_agent({"hv3", "192.0.2.3", {}, "", false, 0, {"physnet1:eth1"}}, error));  // not a gateway
  // The highest priority, but it cannot reach the external network's segment.
  ASSERT_TRUE(model->register_agent({"hv4", "192.0.2.4", {}, "", true, 90, {"physnet2:eth1"}}, error));
  auto agents = model->router_l3_agents(router);
  ASSERT_TRUE(agents);
  ASSERT_EQ(agents.value().size(), 2u);
  EXPECT_EQ(agents.value()[0].agent.agent.host, "hv2");
  EXPECT_EQ(agents.value()[0].ha_state, "active");
  EXPECT_EQ(agents.value()[1].agent.agent.host, "hv1");
  EXPECT_EQ(agents.value()[1].ha_state, "standby");
  EXPECT_TRUE(model->router_l3_agents(no_gateway).value().empty());
  expect_error(model->router_l3_agents("nope"), 404, "RouterNotFound", "nope");
  // hv2 dies: hv1 takes over; hv2 comes back: it is active again.
  model->agent_disconnected("hv2");
  agents = model->router_l3_agents(router);
  EXPECT_EQ(agents.value()[0].ha_state, "standby");
  EXPECT_EQ(agents.value()[1].ha_state, "active");
  model->agent_heartbeat("hv2");
  EXPECT_EQ(model->router_l3_agents(router).value()[0].ha_state, "active");
  // Silence (missed heartbeats) counts as death too.
  now += std::chrono::seconds(7);
  model->agent_heartbeat("hv1");
  agents = model->router_l3_agents(router);
  EXPECT_EQ(agents.value()[0].agent.agent.host, "hv2");
  EXPECT_EQ(agents.value()[0].ha_state, "standby");
  EXPECT_EQ(agents.value()[1].ha_state, "active");
  // None alive: none active.
  model->agent_disconnected("hv1");
  agents = model->router_l3_agents(router);
  for (const auto& a : agents.value()) EXPECT_EQ(a.ha_state, "standby");
}


// A port of a flat/vlan network on a host without a mapping for its physical network
// cannot work there: its binding fails, as Neutron shows it; the facts the compiler gets
// carry the network's provider attributes and the hosts' physical networks.
TEST_F(ProviderNetworks, BindingFailsOnAHostWithoutTheMapping) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {"physnet1:eth1"}}, error)) << error;
  ASSERT_TRUE(model->register_agent({"hv2", "192.0.2.2", {}, "", false, 0, {"physnet2:eth1"}}, error)) << error;
  auto vlan = model->create_networks({provider("vlan", "physnet1", 101)});
  ASSERT_TRUE(vlan) << vlan.error().message;
  const std::string id = vlan.value()[0].network.id;
  ASSERT_FALSE(listener.received.empty());
  const auto& facts = listener.received.back().networks.at(0);
  EXPECT_EQ(facts.network_type, "vlan");
  EXPECT_EQ(facts.physical_network, "physnet1");
  EXPECT_EQ(facts.segmentation_id, 101u);

  auto on_hv1 = make_port(id, std::nullopt, std::nullopt, "hv1");
  auto on_hv2 = make_port(id, std::nullopt, std::nullopt, "hv2");
  ASSERT_TRUE(on_hv1 && on_hv2);
  EXPECT_EQ(on_hv1.value().front().vif_type, "tap");
  EXPECT_EQ(on_hv2.value().front().vif_type, "binding_failed");
  EXPECT_EQ(on_hv2.value().front().status, "DOWN");
  // An overlay network binds anywhere.
  EXPECT_EQ(make_port(make_network(), std::nullopt, std::nullopt, "hv2").value().front().vif_type, "tap");

  // hv2 comes back mapping physnet1 too: the port binds, and the compiler hears of it.
  listener.received.clear();
  ASSERT_TRUE(model->register_agent({"hv2", "192.0.2.2", {}, "", false, 0, {"physnet2:eth1", "physnet1:eth2"}},
                                    error)) << error;
  ASSERT_FALSE(listener.received.empty());
  ASSERT_EQ(listener.received.back().hosts.size(), 1u);
  EXPECT_EQ(listener.received.back().hosts[0].physnets, (std::vector<std::string>{"physnet1", "physnet2"}));
  EXPECT_EQ(model->show_port(on_hv2.value().front().port.id).value().vif_type, "tap");
}

}  // namespace
}  // namespace overcast::controller::testing

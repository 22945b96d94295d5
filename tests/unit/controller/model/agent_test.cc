// Agents: durable registration, liveness from heartbeats, binding, port status.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using Agents = ModelTest;

TEST_F(Agents, RegistrationIsDurableWithAStableId) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {"vxlan"}, "0.1", false, 0, {}}, error)) << error;
  auto agents = model->list_agents();
  ASSERT_EQ(agents.size(), 1u);
  const std::string id = agents[0].agent.id;
  EXPECT_TRUE(agents[0].alive);
  EXPECT_FALSE(agents[0].heartbeat_timestamp.empty());
  restart();
  agents = model->list_agents();
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].agent.id, id);
  EXPECT_EQ(agents[0].agent.underlay_ip, "192.0.2.1");
  EXPECT_FALSE(agents[0].alive);  // not heard from since the restart
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {"vxlan"}, "0.1", false, 0, {}}, error));
  EXPECT_EQ(model->list_agents()[0].agent.id, id);
}

TEST_F(Agents, LivenessFollowsHeartbeats) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  const std::string id = model->list_agents()[0].agent.id;
  now += std::chrono::seconds(5);
  EXPECT_TRUE(model->show_agent(id).value().alive);
  now += std::chrono::seconds(2);
  EXPECT_FALSE(model->show_agent(id).value().alive);
  model->agent_heartbeat("hv1");
  EXPECT_TRUE(model->show_agent(id).value().alive);
  model->agent_disconnected("hv1");
  EXPECT_FALSE(model->show_agent(id).value().alive);
}

TEST_F(Agents, RefusesBadRegistrations) {
  std::string error;
  EXPECT_FALSE(model->register_agent({"", "192.0.2.1", {}, "", false, 0, {}}, error));
  EXPECT_NE(error.find("host"), std::string::npos);
  EXPECT_FALSE(model->register_agent({"hv1", "192.0.2.300", {}, "", false, 0, {}}, error));
  EXPECT_NE(error.find("192.0.2.300"), std::string::npos);
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  EXPECT_FALSE(model->register_agent({"hv2", "192.0.2.1", {}, "", false, 0, {}}, error));
  EXPECT_NE(error.find("hv1"), std::string::npos) << error;
  // Once hv1 is dead its address may move to another host.
  model->agent_disconnected("hv1");
  EXPECT_TRUE(model->register_agent({"hv2", "192.0.2.1", {}, "", false, 0, {}}, error)) << error;
}

TEST_F(Agents, OnlyDeadAgentsMayBeDeleted) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  const std::string id = model->list_agents()[0].agent.id;
  Status alive = model->delete_agent(id);
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->http_status, 409);
  model->agent_disconnected("hv1");
  listener.received.clear();
  EXPECT_FALSE(model->delete_agent(id));
  ASSERT_EQ(listener.received.size(), 1u);
  EXPECT_EQ(listener.received[0].removed_hosts, std::vector<std::string>{"hv1"});
  EXPECT_EQ(model->delete_agent(id)->type, "AgentNotFound");
}

TEST_F(Agents, BindingFollowsRegistrationAndStatusFollowsReports) {
  const std::string net = make_network();
  auto bound = make_port(net, std::nullopt, std::nullopt, "hv1");
  auto unbound = make_port(net);
  const std::string id = bound.value().front().port.id;
  EXPECT_EQ(bound.value().front().vif_type, "binding_failed");
  EXPECT_EQ(unbound.value().front().vif_type, "unbound");
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  EXPECT_EQ(model->show_port(id).value().vif_type, "tap");
  EXPECT_EQ(model->show_port(id).value().status, "DOWN");
  model->set_port_status(id, true);
  EXPECT_EQ(model->show_port(id).value().status, "ACTIVE");
  model->set_port_status(id, false);
  EXPECT_EQ(model->show_port(id).value().status, "DOWN");
  model->set_port_status("no-such-port", true);  // ignored
  model->set_port_status(id, true);
  PortUpdate move;
  move.binding_host_id = "hv2";
  EXPECT_EQ(model->update_port(id, move).value().status, "DOWN");
}

}  // namespace
}  // namespace overcast::controller::testing

namespace overcast::controller::testing {
namespace {

// Every peer of a network gets a host's underlay IP in its flood list, and an agent NACKs a
// whole view holding one that is not unicast IPv4: such a registration must never land.
TEST_F(Agents, UnderlayMustBeUnicastIpv4) {
  for (const char* bad : {"fd00::1", "0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "hv1"}) {
    std::string error;
    EXPECT_FALSE(model->register_agent({"hv1", bad, {"vxlan"}, "0.1", false, 0, {}}, error)) << bad;
    EXPECT_NE(error.find("unicast IPv4"), std::string::npos) << error;
  }
  EXPECT_TRUE(model->list_agents().empty());
}

}  // namespace
}  // namespace overcast::controller::testing

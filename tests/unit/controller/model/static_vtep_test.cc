// Static VTEPs: hosts without an agent, declared through the model, that the view
// compiler sees as any other host.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

class StaticVteps : public ModelTest {
 protected:
  static StaticVtepCreate vtep(std::string host, std::string ip) {
    StaticVtepCreate request;
    request.host = std::move(host);
    request.underlay_ip = std::move(ip);
    return request;
  }
  // The error a single declaration gets, or "" when it is accepted.
  std::string refusal(const StaticVtepCreate& request, int* status = nullptr) {
    auto created = model->create_static_vteps({request});
    if (created) return "";
    if (status) *status = created.error().http_status;
    return created.error().type + ": " + created.error().message;
  }
  std::string declare(const std::string& host, const std::string& ip) {
    auto created = model->create_static_vteps({vtep(host, ip)});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created ? created.value().front().agent.id : "";
  }
};

TEST_F(StaticVteps, DeclarationIsDurableAliveAndToldToTheCompiler) {
  listener.received.clear();
  auto created = model->create_static_vteps({vtep("kvm1", "172.16.1.50")});
  ASSERT_TRUE(created) << created.error().message;
  const AgentView& view = created.value().front();
  EXPECT_EQ(view.agent.kind, HostKind::kStaticVtep);
  EXPECT_EQ(view.agent.host, "kvm1");
  EXPECT_EQ(view.agent.underlay_ip, "172.16.1.50");
  EXPECT_EQ(view.agent.encapsulations, std::vector<std::string>{"vxlan"});
  EXPECT_TRUE(view.alive);
  EXPECT_TRUE(view.heartbeat_timestamp.empty());
  ASSERT_EQ(listener.received.size(), 1u);
  ASSERT_EQ(listener.received[0].hosts.size(), 1u);
  EXPECT_EQ(listener.received[0].hosts[0].host, "kvm1");
  EXPECT_EQ(listener.received[0].hosts[0].underlay_ip, "172.16.1.50");

  // No heartbeat ever: still alive long after, and after a restart.
  now += std::chrono::hours(1);
  EXPECT_TRUE(model->show_agent(view.agent.id).value().alive);
  restart();
  auto after = model->show_agent(view.agent.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after.value().agent.kind, HostKind::kStaticVtep);
  EXPECT_TRUE(after.value().alive);
  ASSERT_EQ(listener.received.size(), 1u);
  ASSERT_EQ(listener.received[0].hosts.size(), 1u);
  EXPECT_EQ(listener.received[0].hosts[0].underlay_ip, "172.16.1.50");
}

TEST_F(StaticVteps, AdministrativelyDownIsNotAlive) {
  StaticVtepCreate request = vtep("kvm1", "172.16.1.50");
  request.admin_state_up = false;
  auto created = model->create_static_vteps({request});
  ASSERT_TRUE(created);
  EXPECT_FALSE(created.value().front().alive);
  const std::string net = make_network();
  auto port = make_port(net, std::nullopt, std::nullopt, "kvm1");
  ASSERT_TRUE(port);
  EXPECT_EQ(port.value().front().status, "DOWN");
}

TEST_F(StaticVteps, PortsBoundToItAreActiveRemotePortsOfItsHost) {
  declare("kvm1", "172.16.1.50");
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  listener.received.clear();
  auto port = make_port(net, std::vector<FixedIpRequest>{{std::nullopt, "10.0.0.50"}},
                        "02:00:00:00:00:50", "kvm1");
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_EQ(port.value().front().vif_type, "other");
  EXPECT_EQ(port.value().front().status, "ACTIVE");
  ASSERT_EQ(listener.received.size(), 1u);
  ASSERT_EQ(listener.received[0].ports.size(), 1u);
  const PortFacts& facts = listener.received[0].ports[0];
  EXPECT_EQ(facts.host, "kvm1");
  EXPECT_EQ(facts.mac, "02:00:00:00:00:50");
  EXPECT_EQ(facts.ips, std::vector<std::string>{"10.0.0.50"});
  // An agent's status report for it changes nothing: nothing runs there to report.
  model->set_port_status(port.value().front().port.id, false);
  EXPECT_EQ(model->show_port(port.value().front().port.id).value().status, "ACTIVE");
}

TEST_F(StaticVteps, RefusesBadDeclarations) {
  int status = 0;
  EXPECT_NE(refusal(vtep("", "172.16.1.50"), &status).find("host"), std::string::npos);
  EXPECT_EQ(status, 400);
  EXPECT_NE(refusal(vtep("kvm 1", "172.16.1.50")).find("host"), std::string::npos);
  EXPECT_NE(refusal(vtep(std::string(256, 'h'), "172.16.1.50")).find("host"), std::string::npos);
  EXPECT_NE(refusal(vtep("kvm1", ""), &status).find("tunneling_ip"), std::string::npos);
  EXPECT_EQ(status, 400);
  EXPECT_NE(refusal(vtep("kvm1", "172.16.1.300")).find("172.16.1.300"), std::string::npos);
  EXPECT_NE(refusal(vtep("kvm1", "2001:db8::1")).find("not an IPv4"), std::string::npos);
  for (const char* unusable : {"0.0.0.0", "255.255.255.255", "239.1.1.1", "127.0.0.1"}) {
    EXPECT_NE(refusal(vtep("kvm1", unusable), &status).find("unicast"), std::string::npos) << unusable;
    EXPECT_EQ(status, 400) << unusable;
  }
  StaticVtepCreate geneve = vtep("kvm1", "172.16.1.50");
  geneve.encapsulations = {"geneve"};
  EXPECT_NE(refusal(geneve).find("geneve"), std::string::npos);
  EXPECT_TRUE(model->list_agents().empty());
  EXPECT_EQ(store.commits, 0);
}

TEST_F(StaticVteps, NameAndAddressMustBeFree) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  model->agent_disconnected("hv1");  // even a dead agent keeps its name and address
  int status = 0;
  EXPECT_EQ(refusal(vtep("hv1", "172.16.1.50"), &status).rfind("HostInUse", 0), 0u);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(refusal(vtep("kvm1", "192.0.2.1"), &status).rfind("UnderlayIpInUse", 0), 0u);
  EXPECT_EQ(status, 409);
  declare("kvm1", "172.16.1.50");
  EXPECT_EQ(refusal(vtep("kvm1", "172.16.1.51")).rfind("HostInUse", 0), 0u);
  EXPECT_EQ(refusal(vtep("kvm2", "172.16.1.50")).rfind("UnderlayIpInUse", 0), 0u);
}

TEST_F(StaticVteps, BulkDeclarationIsAllOrNothing) {
  auto created = model->create_static_vteps({vtep("kvm1", "172.16.1.50"), vtep("kvm2", "172.16.1.50")});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().type, "UnderlayIpInUse");
  EXPECT_TRUE(model->list_agents().empty());
  created = model->create_static_vteps({vtep("kvm1", "172.16.1.50"), vtep("kvm2", "172.16.1.51")});
  ASSERT_TRUE(created);
  EXPECT_EQ(model->list_agents().size(), 2u);
}

TEST_F(StaticVteps, AnAgentCannotTakeAStaticHostsNameOrAddress) {
  declare("kvm1", "172.16.1.50");
  std::string error;
  EXPECT_FALSE(model->register_agent({"kvm1", "192.0.2.9", {}, "", false, 0, {}}, error));
  EXPECT_NE(error.find("static VTEP"), std::string::npos) << error;
  EXPECT_FALSE(model->register_agent({"hv1", "172.16.1.50", {}, "", false, 0, {}}, error));
  EXPECT_NE(error.find("kvm1"), std::string::npos) << error;
  // The record is untouched, and a heartbeat under its name does not make it an agent.
  model->agent_heartbeat("kvm1");
  auto agents = model->list_agents();
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].agent.kind, HostKind::kStaticVtep);
  EXPECT_EQ(agents[0].agent.underlay_ip, "172.16.1.50");
  EXPECT_TRUE(agents[0].heartbeat_timestamp.empty());
}

TEST_F(StaticVteps, DeleteWaitsUntilNoPortIsBound) {
  const std::string id = declare("kvm1", "172.16.1.50");
  const std::string net = make_network();
  auto port = make_port(net, std::nullopt, std::nullopt, "kvm1");
  ASSERT_TRUE(port);
  const std::string port_id = port.value().front().port.id;
  Status in_use = model->delete_agent(id);
  ASSERT_TRUE(in_use);
  EXPECT_EQ(in_use->http_status, 409);
  EXPECT_EQ(in_use->type, "StaticVtepInUse");
  EXPECT_NE(in_use->message.find(port_id), std::string::npos) << in_use->message;
  ASSERT_FALSE(model->delete_port(port_id));
  listener.received.clear();
  EXPECT_FALSE(model->delete_agent(id));  // alive, but nothing depends on it
  ASSERT_EQ(listener.received.size(), 1u);
  EXPECT_EQ(listener.received[0].removed_hosts, std::vector<std::string>{"kvm1"});
  EXPECT_TRUE(model->list_agents().empty());
  // Its name and address are free again, for an agent too.
  std::string error;
  EXPECT_TRUE(model->register_agent({"kvm1", "172.16.1.50", {}, "", false, 0, {}}, error)) << error;
}

TEST_F(StaticVteps, StoredRecordsWithoutAKindAreAgentsAndUnknownKindsAreRefused) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "", false, 0, {}}, error));
  ASSERT_EQ(store.records_.size(), 1u);
  auto& [key, body] = *store.records_.begin();
  nlohmann::json record = nlohmann::json::parse(body);
  record.erase("kind");
  record.erase("description");
  body = record.dump();
  restart();
  ASSERT_EQ(model->list_agents().size(), 1u);
  EXPECT_EQ(model->list_agents()[0].agent.kind, HostKind::kAgent);

  record["kind"] = "switch";
  body = record.dump();
  model = std::make_unique<LogicalModel>(store, &listener, config);
  Status load = model->load();
  ASSERT_TRUE(load);
  EXPECT_EQ(load->type, "StoreCorrupt");
  EXPECT_NE(load->message.find("switch"), std::string::npos) << load->message;
}

}  // namespace
}  // namespace overcast::controller::testing

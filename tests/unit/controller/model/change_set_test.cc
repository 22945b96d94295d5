// What the TopologyListener is told: facts for networks, ports and hosts, in commit
// order, one ChangeSet per write, and everything once at start-up.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using ChangeSets = ModelTest;

TEST_F(ChangeSets, LoadEmitsOneChangeSetWithEverything) {
  ASSERT_EQ(listener.received.size(), 1u);  // from SetUp, empty store
  EXPECT_TRUE(listener.received[0].empty());
  const std::string net = make_network(7);
  make_subnet(net, "10.0.0.0/24");
  ASSERT_TRUE(make_port(net, std::nullopt, "fa:16:3e:00:00:01", "hv1"));
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {"vxlan"}, "1", false, 0, {}}, error)) << error;
  restart();
  ASSERT_EQ(listener.received.size(), 1u);
  const ChangeSet& all = listener.received[0];
  ASSERT_EQ(all.networks.size(), 1u);
  EXPECT_EQ(all.networks[0].vni, 7u);
  EXPECT_EQ(all.networks[0].mtu, 1450u);
  EXPECT_EQ(all.networks[0].encapsulation, "vxlan");
  ASSERT_EQ(all.ports.size(), 1u);
  EXPECT_EQ(all.ports[0].host, "hv1");
  EXPECT_EQ(all.ports[0].mac, "fa:16:3e:00:00:01");
  EXPECT_EQ(all.ports[0].ips, std::vector<std::string>{"10.0.0.2"});
  ASSERT_EQ(all.hosts.size(), 1u);
  EXPECT_EQ(all.hosts[0].host, "hv1");
  EXPECT_EQ(all.hosts[0].underlay_ip, "192.0.2.1");
}

TEST_F(ChangeSets, EachWriteEmitsItsFactsInOrder) {
  listener.received.clear();
  const std::string net = make_network();
  const std::string subnet_id = make_subnet(net, "10.0.0.0/24");  // DHCP on the hosts needs it
  auto port = make_port(net, std::nullopt, std::nullopt, "hv2");
  ASSERT_TRUE(port);
  const std::string port_id = port.value().front().port.id;
  PortUpdate update;
  update.admin_state_up = false;
  ASSERT_TRUE(model->update_port(port_id, update));

  ASSERT_EQ(listener.received.size(), 4u);
  EXPECT_EQ(listener.received[0].networks.at(0).id, net);
  EXPECT_EQ(listener.received[1].subnets.at(0).id, subnet_id);
  EXPECT_EQ(listener.received[1].subnets.at(0).network_id, net);
  EXPECT_EQ(listener.received[2].ports.at(0).id, port_id);
  EXPECT_EQ(listener.received[2].ports.at(0).host, "hv2");
  EXPECT_EQ(listener.received[3].ports.at(0).admin_up, false);
}

TEST_F(ChangeSets, PortRemovalPrecedesNetworkRemoval) {
  const std::string net = make_network();
  auto port = make_port(net);
  listener.received.clear();
  ASSERT_FALSE(model->delete_port(port.value().front().port.id));
  ASSERT_FALSE(model->delete_network(net));
  ASSERT_EQ(listener.received.size(), 2u);
  EXPECT_EQ(listener.received[0].removed_ports, std::vector<std::string>{port.value().front().port.id});
  EXPECT_EQ(listener.received[1].removed_networks, std::vector<std::string>{net});
}

TEST_F(ChangeSets, FailedWritesEmitNothing) {
  const std::string net = make_network();
  listener.received.clear();
  make_port("missing-network");
  store.fail_next_commit = true;
  make_port(net);
  EXPECT_TRUE(listener.received.empty());
}

TEST_F(ChangeSets, NetworkUpdateCarriesTheNewMtu) {
  const std::string net = make_network();
  listener.received.clear();
  NetworkUpdate update;
  update.mtu = 1400;
  ASSERT_TRUE(model->update_network(net, update));
  ASSERT_EQ(listener.received.size(), 1u);
  EXPECT_EQ(listener.received[0].networks.at(0).mtu, 1400u);
}

TEST_F(ChangeSets, HostFactsOnlyWhenTheUnderlayIsNewOrChanged) {
  listener.received.clear();
  std::string error;
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "1", false, 0, {}}, error));
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.1", {}, "1", false, 0, {}}, error));  // a reconnect
  ASSERT_TRUE(model->register_agent({"hv1", "192.0.2.9", {}, "1", false, 0, {}}, error));
  ASSERT_EQ(listener.received.size(), 2u);
  EXPECT_EQ(listener.received[0].hosts.at(0).underlay_ip, "192.0.2.1");
  EXPECT_EQ(listener.received[1].hosts.at(0).underlay_ip, "192.0.2.9");
}

// A listener that writes to the model from inside apply() must not deadlock: the
// model's lock is not held while it runs.
class ReentrantListener : public TopologyListener {
 public:
  void apply(const ChangeSet& changes) override {
    ++calls;
    if (model && !changes.ports.empty()) model->set_port_status(changes.ports[0].id, true);
    if (model) seen_networks = model->list_networks().size();
  }
  LogicalModel* model = nullptr;
  int calls = 0;
  size_t seen_networks = 0;
};

TEST(ChangeSetDelivery, ListenerMayCallBackIntoTheModel) {
  MemoryStore store;
  ReentrantListener listener;
  LogicalModel model(store, &listener, ModelConfig{});
  listener.model = &model;
  ASSERT_FALSE(model.load());
  NetworkCreate request;
  request.project_id = "p";
  auto net = model.create_networks({request});
  ASSERT_TRUE(net);
  EXPECT_EQ(listener.seen_networks, 1u);
  PortCreate port;
  port.project_id = "p";
  port.network_id = net.value().front().network.id;
  auto created = model.create_ports({port});
  ASSERT_TRUE(created);
  EXPECT_EQ(model.show_port(created.value().front().port.id).value().status, "ACTIVE");
  EXPECT_EQ(listener.calls, 3);
}

}  // namespace
}  // namespace overcast::controller::testing

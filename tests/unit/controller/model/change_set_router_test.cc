// What the TopologyListener is told about routers: a router's facts (its interfaces with
// their address/length and MAC, its static routes) whenever the router or one of its
// interface ports changes, and its removal.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using ChangeSetsRouter = ModelTest;

const RouterFacts* router_in(const ChangeSet& changes, const std::string& id) {
  for (const auto& r : changes.routers)
    if (r.id == id) return &r;
  return nullptr;
}

TEST_F(ChangeSetsRouter, InterfacesRoutesAndRemovalReachTheListener) {
  const std::string net1 = make_network();
  const std::string sub1 = make_subnet(net1, "10.1.0.0/24");
  const std::string net2 = make_network();
  const std::string sub2 = make_subnet(net2, "10.2.0.0/25");
  RouterCreate create;
  create.project_id = "p";
  create.name = "r";
  auto created = model->create_routers({create});
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created.value().front().router.id;
  listener.received.clear();

  RouterInterfaceRequest by_subnet;
  by_subnet.subnet_id = sub1;
  auto first = model->add_router_interface(id, by_subnet);
  ASSERT_TRUE(first) << first.error().message;
  by_subnet.subnet_id = sub2;
  ASSERT_TRUE(model->add_router_interface(id, by_subnet));
  RouterUpdate update;
  update.routes = std::vector<HostRoute>{{"172.16.0.0/16", "10.2.0.99"}};
  auto updated = model->update_router(id, update);
  ASSERT_TRUE(updated) << updated.error().message;

  ASSERT_EQ(listener.received.size(), 3u);
  const RouterFacts* one = router_in(listener.received[0], id);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->project_id, "p");
  ASSERT_EQ(one->interfaces.size(), 1u);
  EXPECT_EQ(one->interfaces[0].port_id, first.value().port_id);
  EXPECT_EQ(one->interfaces[0].network_id, net1);
  EXPECT_EQ(one->interfaces[0].subnet_id, sub1);
  EXPECT_EQ(one->interfaces[0].address, "10.1.0.1/24");
  EXPECT_EQ(one->interfaces[0].mac.rfind("fa:16:3e:", 0), 0u);
  const RouterFacts* two = router_in(listener.received[1], id);
  ASSERT_NE(two, nullptr);
  ASSERT_EQ(two->interfaces.size(), 2u);
  const RouterFacts* routed = router_in(listener.received[2], id);
  ASSERT_NE(routed, nullptr);
  ASSERT_EQ(routed->routes.size(), 1u);
  EXPECT_EQ(routed->routes[0].destination, "172.16.0.0/16");
  EXPECT_EQ(routed->routes[0].nexthop, "10.2.0.99");
  bool has_25 = false;
  for (const auto& i : routed->interfaces) has_25 = has_25 || i.address == "10.2.0.1/25";
  EXPECT_TRUE(has_25);

  listener.received.clear();
  RouterUpdate no_routes;
  no_routes.routes = std::vector<HostRoute>{};
  ASSERT_TRUE(model->update_router(id, no_routes));
  RouterInterfaceRequest remove;
  remove.subnet_id = sub2;
  ASSERT_TRUE(model->remove_router_interface(id, remove));
  remove.subnet_id = sub1;
  ASSERT_TRUE(model->remove_router_interface(id, remove));
  ASSERT_FALSE(model->delete_router(id));
  ASSERT_EQ(listener.received.size(), 4u);
  ASSERT_NE(router_in(listener.received[1], id), nullptr);
  EXPECT_EQ(router_in(listener.received[1], id)->interfaces.size(), 1u);
  EXPECT_TRUE(router_in(listener.received[2], id)->interfaces.empty());
  EXPECT_EQ(listener.received[3].removed_routers, std::vector<std::string>{id});
}

TEST_F(ChangeSetsRouter, LoadTellsTheListenerEveryRouter) {
  const std::string net = make_network();
  const std::string sub = make_subnet(net, "10.3.0.0/24");
  RouterCreate create;
  create.project_id = "p";
  auto created = model->create_routers({create});
  ASSERT_TRUE(created);
  const std::string id = created.value().front().router.id;
  RouterInterfaceRequest by_subnet;
  by_subnet.subnet_id = sub;
  ASSERT_TRUE(model->add_router_interface(id, by_subnet));
  restart();
  ASSERT_EQ(listener.received.size(), 1u);
  const RouterFacts* loaded = router_in(listener.received[0], id);
  ASSERT_NE(loaded, nullptr);
  ASSERT_EQ(loaded->interfaces.size(), 1u);
  EXPECT_EQ(loaded->interfaces[0].address, "10.3.0.1/24");
}

}  // namespace
}  // namespace overcast::controller::testing

// Distributed routers in the view: which hosts get a router's entry and the networks it
// connects, that members of those networks accept the routing hosts' tunnels without
// flooding to them, and that a router change reaches only the hosts of its networks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

RouterFacts router_ab() {
  RouterFacts r;
  r.id = "R";
  r.project_id = "tenant1";
  r.interfaces = {{"ra", "A", "sA", "10.1.0.1/24", "fa:16:3e:00:01:0a"},
                  {"rb", "B", "sB", "10.2.0.1/24", "fa:16:3e:00:01:0b"}};
  r.routes = {{"172.16.0.0/16", "10.2.0.99"}};
  return r;
}

std::vector<std::string> routed_of(const View& view, const std::string& network_id) {
  const auto& vteps = view.at("net/" + network_id).network().routed_vteps();
  return {vteps.begin(), vteps.end()};
}

// hv1: a port in A; hv2: a port in B; hv3: a port in C (no router). Router R: A <-> B.
class ViewRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100), net("B", 200), net("C", 300)};
    changes.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3")};
    changes.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.5"}),
                     port("pb2", "B", "hv2", "fa:16:3e:00:00:b2", {"10.2.0.5"}),
                     port("pc3", "C", "hv3", "fa:16:3e:00:00:c3", {"10.3.0.5"})};
    compiler.apply(changes);
  }
  std::vector<HostDelta> add_router() {
    ChangeSet changes;
    changes.routers = {router_ab()};
    return compiler.apply_changes(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
};

TEST_F(ViewRouterTest, RouterReachesTheHostsOfItsNetworksOnly) {
  auto deltas = add_router();
  ASSERT_EQ(deltas.size(), 2u);
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("net/A", "net/B", "router/R", "rport/pb2"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("net/A", "net/B", "router/R", "rport/pa1"));
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv3"))), ElementsAre("lport/pc3", "net/C"));
}

TEST_F(ViewRouterTest, RouterEntryCarriesInterfacesWithVnisAndRoutes) {
  add_router();
  const View hv1 = view_of(compiler.snapshot("hv1"));
  const auto& r = hv1.at("router/R").router();
  EXPECT_EQ(r.router_id(), "R");
  EXPECT_EQ(r.project_id(), "tenant1");
  EXPECT_TRUE(r.admin_up());
  ASSERT_EQ(r.interfaces_size(), 2);
  EXPECT_EQ(r.interfaces(0).port_id(), "ra");
  EXPECT_EQ(r.interfaces(0).network_id(), "A");
  EXPECT_EQ(r.interfaces(0).vni(), 100u);
  EXPECT_EQ(r.interfaces(0).subnet_id(), "sA");
  EXPECT_EQ(r.interfaces(0).address(), "10.1.0.1/24");
  EXPECT_EQ(r.interfaces(0).mac(), "fa:16:3e:00:01:0a");
  EXPECT_EQ(r.interfaces(1).vni(), 200u);
  ASSERT_EQ(r.routes_size(), 1);
  EXPECT_EQ(r.routes(0).destination(), "172.16.0.0/16");
  EXPECT_EQ(r.routes(0).nexthop(), "10.2.0.99");
}

TEST_F(ViewRouterTest, RoutedNetworkHasNoFloodListAndMembersAcceptTheRoutingHost) {
  add_router();
  const View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_THAT(flood_of(hv1, "B"), IsEmpty());  // hv1 has no port in B: nobody to flood to
  EXPECT_THAT(flood_of(hv1, "A"), IsEmpty());  // it is A's only member
  EXPECT_THAT(routed_of(hv1, "A"), ElementsAre("192.0.2.2"));  // hv2 routes into A
  EXPECT_EQ(hv1.at("rport/pb2").remote_port().vtep_ip(), "192.0.2.2");
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(routed_of(hv2, "B"), ElementsAre("192.0.2.1"));
  EXPECT_THAT(flood_of(hv2, "B"), IsEmpty());
}

TEST_F(ViewRouterTest, SecondMemberJoinsFloodListsNotRoutedVteps) {
  add_router();
  ChangeSet changes;
  changes.ports = {port("pb1", "B", "hv1", "fa:16:3e:00:00:b1", {"10.2.0.6"})};
  auto deltas = compiler.apply_changes(changes);
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(flood_of(hv2, "B"), ElementsAre("192.0.2.1"));
  EXPECT_THAT(routed_of(hv2, "B"), IsEmpty());
  EXPECT_THAT(flood_of(view_of(compiler.snapshot("hv1")), "B"), ElementsAre("192.0.2.2"));
}

TEST_F(ViewRouterTest, RemotePortChangesReachTheRoutingHosts) {
  add_router();
  ChangeSet changes;
  changes.ports = {port("pb2", "B", "hv2", "fa:16:3e:00:00:b2", {"10.2.0.7"})};
  auto deltas = compiler.apply_changes(changes);
  ASSERT_TRUE(delta_for(deltas, "hv1").has_value());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/pb2"));
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
}

TEST_F(ViewRouterTest, HostLeavingItsNetworkLosesTheRouterAndTheRoutedNetworks) {
  add_router();
  ChangeSet changes;
  changes.removed_ports = {"pa1"};
  auto deltas = compiler.apply_changes(changes);
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv1"))), IsEmpty());
  // hv2 keeps routing into A (empty now) and stops accepting hv1 in B.
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(keys_of(hv2), ElementsAre("lport/pb2", "net/A", "net/B", "router/R"));
  EXPECT_THAT(routed_of(hv2, "B"), IsEmpty());
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
}

TEST_F(ViewRouterTest, RemovingTheRouterTakesBackEverythingItBrought) {
  add_router();
  ChangeSet changes;
  changes.removed_routers = {"R"};
  auto deltas = compiler.apply_changes(changes);
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv1")), ElementsAre("net/B", "router/R", "rport/pb2"));
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv1"))), ElementsAre("lport/pa1", "net/A"));
  EXPECT_THAT(routed_of(view_of(compiler.snapshot("hv1")), "A"), IsEmpty());
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
}

TEST_F(ViewRouterTest, NetworkVniChangeUpdatesTheRouterEntry) {
  add_router();
  ChangeSet changes;
  changes.networks = {net("B", 201)};
  compiler.apply_changes(changes);
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).at("router/R").router().interfaces(1).vni(), 201u);
}

TEST_F(ViewRouterTest, InterfaceOnAnUnknownNetworkIsLeftOutUntilItExists) {
  RouterFacts r = router_ab();
  r.interfaces.push_back({"rd", "D", "sD", "10.4.0.1/24", "fa:16:3e:00:01:0d"});
  ChangeSet changes;
  changes.routers = {r};
  compiler.apply_changes(changes);
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).at("router/R").router().interfaces_size(), 2);
  ChangeSet later;
  later.networks = {net("D", 400)};
  compiler.apply_changes(later);
  const View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_EQ(hv1.at("router/R").router().interfaces_size(), 3);
  EXPECT_TRUE(hv1.count("net/D"));
}

// Whatever the order of changes, the incremental views equal those of a compiler that
// got the final state at once.
TEST_F(ViewRouterTest, IncrementalViewsEqualAFreshCompile) {
  std::map<std::string, View> held;
  auto apply = [&](const ChangeSet& c) {
    for (const auto& d : compiler.apply_changes(c)) apply_delta(held[d.host], d.delta);
  };
  for (const char* h : {"hv1", "hv2", "hv3"}) held[h] = view_of(compiler.snapshot(h));
  ChangeSet c1;
  c1.routers = {router_ab()};
  apply(c1);
  ChangeSet c2;
  c2.ports = {port("pc1", "C", "hv1", "fa:16:3e:00:00:c1", {"10.3.0.6"}), port("pa3", "A", "hv3", "fa:16:3e:00:00:a3")};
  apply(c2);
  RouterFacts r = router_ab();
  r.interfaces.erase(r.interfaces.begin());
  r.interfaces.push_back({"rc", "C", "sC", "10.3.0.1/24", "fa:16:3e:00:01:0c"});
  ChangeSet c3;
  c3.routers = {r};
  c3.hosts = {host("hv2", "192.0.2.22")};
  apply(c3);
  ChangeSet c4;
  c4.removed_ports = {"pa1"};
  apply(c4);

  ViewCompiler fresh{ViewCompilerConfig{.epoch = "e2"}};
  ChangeSet all;
  all.networks = {net("A", 100), net("B", 200), net("C", 300)};
  all.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.22"), host("hv3", "192.0.2.3")};
  all.ports = {port("pb2", "B", "hv2", "fa:16:3e:00:00:b2", {"10.2.0.5"}),
               port("pc3", "C", "hv3", "fa:16:3e:00:00:c3", {"10.3.0.5"}),
               port("pc1", "C", "hv1", "fa:16:3e:00:00:c1", {"10.3.0.6"}), port("pa3", "A", "hv3", "fa:16:3e:00:00:a3")};
  all.routers = {r};
  fresh.apply(all);
  for (const char* h : {"hv1", "hv2", "hv3"}) {
    const View want = view_of(fresh.snapshot(h));
    EXPECT_EQ(keys_of(held[h]), keys_of(want)) << h;
    for (const auto& [key, entry] : want) {
      ASSERT_TRUE(held[h].count(key)) << h << " " << key;
      EXPECT_EQ(held[h][key].SerializeAsString(), entry.SerializeAsString()) << h << " " << key;
    }
    EXPECT_EQ(keys_of(view_of(compiler.snapshot(h))), keys_of(want)) << h;
  }
}

// A host taking the address of another (a hypervisor replaced under a new name, the old
// record stale): its own copies of the remote ports of the networks it routes into leave
// out those at its own address, as its own networks' do, incrementally as from scratch.
TEST_F(ViewRouterTest, HostTakingAnotherHostsAddressDropsItsRoutedRemotePorts) {
  add_router();
  ASSERT_EQ(view_of(compiler.snapshot("hv1")).count("rport/pb2"), 1u);
  ChangeSet moved;
  moved.hosts = {host("hv1", "192.0.2.2")};
  auto deltas = compiler.apply_changes(moved);
  ASSERT_TRUE(delta_for(deltas, "hv1").has_value());
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/pb2"));
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).count("rport/pb2"), 0u);

  ViewCompiler fresh{ViewCompilerConfig{.epoch = "e2"}};
  ChangeSet all;
  all.networks = {net("A", 100), net("B", 200), net("C", 300)};
  all.hosts = {host("hv1", "192.0.2.2"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3")};
  all.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.5"}),
               port("pb2", "B", "hv2", "fa:16:3e:00:00:b2", {"10.2.0.5"}),
               port("pc3", "C", "hv3", "fa:16:3e:00:00:c3", {"10.3.0.5"})};
  all.routers = {router_ab()};
  fresh.apply(all);
  for (const char* h : {"hv1", "hv2", "hv3"}) {
    const View want = view_of(fresh.snapshot(h));
    const View got = view_of(compiler.snapshot(h));
    ASSERT_EQ(keys_of(got), keys_of(want)) << h;
    for (const auto& [key, entry] : want) {
      EXPECT_EQ(got.at(key).SerializeAsString(), entry.SerializeAsString()) << h << " " << key;
    }
  }
}

}  // namespace
}  // namespace overcast::controller

// The L3 gateway in the views: the election rule, which host gets a router's external
// gateway (the highest-priority alive --gateway host that maps the external network's
// physnet), what it holds (the router, its networks routed into, the external network),
// what the other hosts learn (gateway_vtep, routed_vteps), and failover: a liveness
// change moves all of it, and only the router's hosts hear about it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/topology/gateway_election.h"
#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(GatewayElectionTest, HighestPriorityAliveWinsAndTheNameBreaksTies) {
  std::vector<GatewayCandidate> candidates = {{"hv3", 1, true}, {"hv2", 5, false}, {"hv1", 1, true}, {"hv0", 3, true}};
  auto active = elect_gateway(candidates);
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(candidates[*active].host, "hv0");  // hv2 has the highest priority but is dead
  std::vector<std::string> order;
  for (const auto& c : candidates) order.push_back(c.host);
  EXPECT_THAT(order, ElementsAre("hv2", "hv0", "hv1", "hv3"));
  candidates = {{"hv3", 1, true}, {"hv1", 1, true}};
  EXPECT_EQ(candidates[*elect_gateway(candidates)].host, "hv1");
}

TEST(GatewayElectionTest, NoneAliveNoneActive) {
  std::vector<GatewayCandidate> candidates = {{"hv1", 2, false}, {"hv2", 1, false}};
  EXPECT_FALSE(elect_gateway(candidates).has_value());
  std::vector<GatewayCandidate> none;
  EXPECT_FALSE(elect_gateway(none).has_value());
}

NetworkFacts flat(const std::string& id, uint32_t vni, const std::string& physnet) {
  NetworkFacts facts = net(id, vni, 1500);
  facts.network_type = "flat";
  facts.physical_network = physnet;
  return facts;
}

HostFacts gateway_host(const std::string& name, const std::string& ip, uint32_t priority,
                       std::vector<std::string> physnets, bool alive = true) {
  HostFacts facts = host(name, ip);
  facts.gateway = true;
  facts.gateway_priority = priority;
  facts.physnets = std::move(physnets);
  facts.alive = alive;
  return facts;
}

RouterFacts router_with_gateway() {
  RouterFacts r;
  r.id = "R";
  r.project_id = "tenant1";
  r.interfaces = {{"ra", "A", "sA", "10.1.0.1/24", "fa:16:3e:00:01:0a"},
                  {"rb", "B", "sB", "10.2.0.1/24", "fa:16:3e:00:01:0b"}};
  r.external = RouterExternalFacts{"P", "203.0.113.10/24", "fa:16:3e:00:01:ee", true, "203.0.113.1"};
  // On hv3's VM: hv3 does not map physnet1, so the gateway host NATs it (served_by_host "";
  // floating IPs NATed on their VM's host: view_compiler_floating_ip_test.cc).
  r.floating_ips = {{"203.0.113.20", "10.2.0.5", "pb3"}};
  return r;
}

std::vector<std::string> routed_of(const View& view, const std::string& network_id) {
  const auto& vteps = view.at("net/" + network_id).network().routed_vteps();
  return {vteps.begin(), vteps.end()};
}

// hv1: gateway (priority 1, physnet1) with a VM port in A; hv2: gateway (priority 2,
// physnet1), no VM; hv3: a VM port in B; hv4: gateway with the highest priority but
// without physnet1; hv5: a port in C, which no router touches. P is the flat external
// network on physnet1. Router R: A <-> B, external gateway on P.
class GatewayViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100), net("B", 200), net("C", 300), flat("P", 900, "physnet1")};
    changes.hosts = {gateway_host("hv1", "192.0.2.1", 1, {"physnet1"}), gateway_host("hv2", "192.0.2.2", 2, {"physnet1"}),
                     host("hv3", "192.0.2.3"), gateway_host("hv4", "192.0.2.4", 9, {}), host("hv5", "192.0.2.5")};
    changes.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.5"}),
                     port("pb3", "B", "hv3", "fa:16:3e:00:00:b3", {"10.2.0.5"}),
                     port("pc5", "C", "hv5", "fa:16:3e:00:00:c5", {"10.3.0.5"})};
    compiler.apply(changes);
    ChangeSet router;
    router.routers = {router_with_gateway()};
    router_deltas = compiler.apply_changes(router);
  }
  std::vector<HostDelta> set_alive(const std::string& name, const std::string& ip, uint32_t priority, bool alive) {
    ChangeSet changes;
    changes.hosts = {gateway_host(name, ip, priority, {"physnet1"}, alive)};
    return compiler.apply_changes(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  std::vector<HostDelta> router_deltas;
};

TEST_F(GatewayViewTest, ActiveGatewayHostHoldsTheRouterItsNetworksAndTheExternalNetwork) {
  EXPECT_FALSE(delta_for(router_deltas, "hv4").has_value());  // no physnet1: never elected
  EXPECT_FALSE(delta_for(router_deltas, "hv5").has_value());
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(keys_of(hv2), ElementsAre("net/A", "net/B", "net/P", "router/R", "rport/pa1", "rport/pb3"));
  // Routed into: nobody to flood to; the external network is a provider one (no flood either).
  EXPECT_THAT(flood_of(hv2, "A"), IsEmpty());
  EXPECT_THAT(flood_of(hv2, "B"), IsEmpty());
  EXPECT_THAT(flood_of(hv2, "P"), IsEmpty());
  EXPECT_EQ(hv2.at("net/P").network().network_type(), "flat");
  EXPECT_EQ(hv2.at("rport/pa1").remote_port().vtep_ip(), "192.0.2.1");
}

TEST_F(GatewayViewTest, RouterEntryCarriesTheExternalGatewayAndFloatingIps) {
  const View hv3 = view_of(compiler.snapshot("hv3"));
  const auto& r = hv3.at("router/R").router();
  ASSERT_TRUE(r.has_external());
  EXPECT_EQ(r.external().network_id(), "P");
  EXPECT_EQ(r.external().address(), "203.0.113.10/24");
  EXPECT_EQ(r.external().mac(), "fa:16:3e:00:01:ee");
  EXPECT_TRUE(r.external().enable_snat());
  EXPECT_EQ(r.external().gateway_ip(), "203.0.113.1");
  EXPECT_EQ(r.external().gateway_host(), "hv2");
  EXPECT_EQ(r.external().gateway_vtep(), "192.0.2.2");
  ASSERT_EQ(r.floating_ips_size(), 1);
  EXPECT_EQ(r.floating_ips(0).floating_ip(), "203.0.113.20");
  EXPECT_EQ(r.floating_ips(0).fixed_ip(), "10.2.0.5");
  EXPECT_EQ(r.floating_ips(0).port_id(), "pb3");
  EXPECT_EQ(r.floating_ips(0).served_by_host(), "");
  // A VM host does not hold the external network.
  EXPECT_EQ(hv3.count("net/P"), 0u);
}

TEST_F(GatewayViewTest, MembersAcceptTheGatewayHostsTunnels) {
  EXPECT_THAT(routed_of(view_of(compiler.snapshot("hv1")), "A"), ElementsAre("192.0.2.2", "192.0.2.3"));
  EXPECT_THAT(routed_of(view_of(compiler.snapshot("hv3")), "B"), ElementsAre("192.0.2.1", "192.0.2.2"));
}

TEST_F(GatewayViewTest, DeadActiveHostFailsOverToTheStandbyAndOnlyTheRoutersHostsHear) {
  auto deltas = set_alive("hv2", "192.0.2.2", 2, false);
  EXPECT_FALSE(delta_for(deltas, "hv5").has_value());
  EXPECT_FALSE(delta_for(deltas, "hv4").has_value());
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv2"))), IsEmpty());
  const View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_EQ(hv1.at("router/R").router().external().gateway_host(), "hv1");
  EXPECT_EQ(hv1.at("router/R").router().external().gateway_vtep(), "192.0.2.1");
  EXPECT_EQ(hv1.count("net/P"), 1u);
  const View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_EQ(hv3.at("router/R").router().external().gateway_vtep(), "192.0.2.1");
  EXPECT_THAT(routed_of(hv3, "B"), ElementsAre("192.0.2.1"));  // hv2 no longer routes into B
  // It comes back: it takes the gateway again (the higher priority).
  set_alive("hv2", "192.0.2.2", 2, true);
  EXPECT_EQ(view_of(compiler.snapshot("hv3")).at("router/R").router().external().gateway_host(), "hv2");
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).count("net/P"), 0u);
  EXPECT_EQ(view_of(compiler.snapshot("hv2")).count("router/R"), 1u);
}

TEST_F(GatewayViewTest, NoAliveGatewayHostLeavesTheGatewayUnserved) {
  set_alive("hv2", "192.0.2.2", 2, false);
  set_alive("hv1", "192.0.2.1", 1, false);
  const View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_EQ(hv3.at("router/R").router().external().gateway_host(), "");
  EXPECT_EQ(hv3.at("router/R").router().external().gateway_vtep(), "");
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).count("net/P"), 0u);
}

TEST_F(GatewayViewTest, StandbyChangesDoNotTouchAnyView) {
  // hv1 is standby: its priority changing without winning changes nothing anywhere.
  auto deltas = set_alive("hv1", "192.0.2.1", 0, true);
  EXPECT_TRUE(deltas.empty());
}

TEST_F(GatewayViewTest, RemovingTheExternalGatewayReleasesTheGatewayHost) {
  RouterFacts r = router_with_gateway();
  r.external.reset();
  r.floating_ips.clear();
  ChangeSet changes;
  changes.routers = {r};
  auto deltas = compiler.apply_changes(changes);
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv2"))), IsEmpty());
  EXPECT_FALSE(view_of(compiler.snapshot("hv3")).at("router/R").router().has_external());
  EXPECT_THAT(routed_of(view_of(compiler.snapshot("hv3")), "B"), ElementsAre("192.0.2.1"));
}

TEST_F(GatewayViewTest, GatewayMovesWhenItsHostLosesThePhysnet) {
  ChangeSet changes;
  changes.hosts = {gateway_host("hv2", "192.0.2.2", 2, {})};
  compiler.apply_changes(changes);
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv2"))), IsEmpty());
  EXPECT_EQ(view_of(compiler.snapshot("hv3")).at("router/R").router().external().gateway_host(), "hv1");
}

TEST_F(GatewayViewTest, ActiveHostsNewUnderlayReachesTheRoutersHosts) {
  ChangeSet changes;
  changes.hosts = {gateway_host("hv2", "192.0.2.22", 2, {"physnet1"})};
  compiler.apply_changes(changes);
  const View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_EQ(hv3.at("router/R").router().external().gateway_vtep(), "192.0.2.22");
  EXPECT_THAT(routed_of(hv3, "B"), ElementsAre("192.0.2.1", "192.0.2.22"));
}

// What an incremental apply produced must equal a compiler fed everything at once.
TEST_F(GatewayViewTest, IncrementalFailoverMatchesAFreshCompile) {
  set_alive("hv2", "192.0.2.2", 2, false);
  ViewCompiler fresh{ViewCompilerConfig{.epoch = "e2"}};
  ChangeSet all;
  all.networks = {net("A", 100), net("B", 200), net("C", 300), flat("P", 900, "physnet1")};
  all.hosts = {gateway_host("hv1", "192.0.2.1", 1, {"physnet1"}), gateway_host("hv2", "192.0.2.2", 2, {"physnet1"}, false),
               host("hv3", "192.0.2.3"), gateway_host("hv4", "192.0.2.4", 9, {}), host("hv5", "192.0.2.5")};
  all.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.5"}),
               port("pb3", "B", "hv3", "fa:16:3e:00:00:b3", {"10.2.0.5"}),
               port("pc5", "C", "hv5", "fa:16:3e:00:00:c5", {"10.3.0.5"})};
  all.routers = {router_with_gateway()};
  fresh.apply(all);
  for (const char* name : {"hv1", "hv2", "hv3", "hv4", "hv5"}) {
    const View incremental = view_of(compiler.snapshot(name));
    const View whole = view_of(fresh.snapshot(name));
    ASSERT_EQ(keys_of(incremental), keys_of(whole)) << name;
    for (const auto& [key, entry] : whole) {
      EXPECT_EQ(incremental.at(key).SerializeAsString(), entry.SerializeAsString()) << name << " " << key;
    }
  }
}

}  // namespace
}  // namespace overcast::controller

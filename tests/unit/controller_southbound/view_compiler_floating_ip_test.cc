// Floating IPs NATed on their VM's own host (Neutron DVR style) in the views: the router
// entry names, per floating IP, the host that NATs it (served_by_host: the port's binding
// host when it is registered, maps the external network's physnet and is not the active
// gateway host; else "", the gateway host), and such a host holds the external network
// entry. Every change that moves a floating IP's host (association, the port's binding
// host, a host's registration or mappings, the gateway election, the external network)
// reaches every host of the router and the old and new host, and the incremental views
// (replayed from the deltas) always equal a compiler fed the final facts at once.
#include "controller_southbound/view_compiler_floating_ip_fixture.h"

namespace overcast::controller::floating_ip_views {
namespace {

TEST_F(FloatingIpViewTest, ServedByTheVmsHostWhenItMapsTheExternalPhysnet) {
  expect_served_by("203.0.113.20", "hv2");  // pa2 on hv2, which maps physnet1
  expect_served_by("203.0.113.21", "");     // pb3 on hv3, which does not: the gateway host
  // hv2 holds the external network as the gateway host does: entry (a provider network, no
  // flood list) and subnets.
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(keys_of(hv2), ElementsAre("lport/pa2", "net/A", "net/B", "net/P", "router/R", "rport/pa4", "rport/pb3",
                                        "subnet/sP"));
  EXPECT_EQ(hv2.at("net/P").network().network_type(), "flat");
  EXPECT_EQ(hv2.at("net/P").network().physical_network(), "physnet1");
  EXPECT_THAT(flood_of(hv2, "P"), IsEmpty());
  EXPECT_EQ(hv2.at("subnet/sP").SerializeAsString(),
            view_of(compiler.snapshot("hv1")).at("subnet/sP").SerializeAsString());
  EXPECT_EQ(hv2.at("router/R").router().external().gateway_host(), "hv1");
  EXPECT_FALSE(holds_external("hv3"));
  EXPECT_TRUE(holds_external("hv1"));   // the active gateway host, as before
  EXPECT_FALSE(holds_external("hv4"));  // standby with no floating IP of its own here
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv5"))), ElementsAre("lport/pc5", "net/C"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, StandbyGatewayHostNatsItsOwnVmsFloatingIp) {
  auto deltas = set_router({kFipA2, kFipB3, kFipA4});
  expect_served_by("203.0.113.22", "hv4");
  EXPECT_TRUE(holds_external("hv4"));
  EXPECT_FALSE(delta_for(deltas, "hv5").has_value());  // not a host of the router
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, FloatingIpOfAPortOnTheActiveGatewayHostIsTheGatewaysOwn) {
  ChangeSet changes;
  changes.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.11"})};
  changes.routers = {router({kFipA2, {"203.0.113.23", "10.1.0.11", "pa1"}})};
  apply(changes);
  expect_served_by("203.0.113.23", "");
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv1"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, AssociationDisassociationAndMoveReachTheRoutersHostsAndTheVmHost) {
  set_router({kFipB3});
  expect_served_by("203.0.113.21", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
  // Associated with pa2: every host of the router hears (the entry changed), hv2 gets P.
  auto deltas = set_router({kFipA2, kFipB3});
  for (const char* h : {"hv1", "hv2", "hv3", "hv4"}) EXPECT_TRUE(delta_for(deltas, h).has_value()) << h;
  EXPECT_FALSE(delta_for(deltas, "hv5").has_value());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("net/P", "router/R", "subnet/sP"));
  expect_served_by("203.0.113.20", "hv2");
  expect_matches_fresh();
  // Moved to pb3 (hv3 maps nothing): hv2 loses P.
  deltas = set_router({{"203.0.113.20", "10.2.0.3", "pb3"}});
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv2")), ElementsAre("net/P", "subnet/sP"));
  expect_served_by("203.0.113.20", "");
  EXPECT_FALSE(holds_external("hv2"));
  EXPECT_FALSE(holds_external("hv3"));
  expect_matches_fresh();
  // Moved to pa4: the standby gateway hv4 takes it and P.
  set_router({{"203.0.113.20", "10.1.0.4", "pa4"}});
  expect_served_by("203.0.113.20", "hv4");
  EXPECT_TRUE(holds_external("hv4"));
  expect_matches_fresh();
  // Disassociated.
  deltas = set_router({});
  EXPECT_FALSE(holds_external("hv4"));
  EXPECT_FALSE(holds_external("hv2"));
  EXPECT_TRUE(holds_external("hv1"));
  expect_matches_fresh();
  // The external gateway itself removed: nobody holds P.
  RouterFacts without = router({kFipA2});
  without.external.reset();
  ChangeSet changes;
  changes.routers = {without};
  set_router({kFipA2});
  EXPECT_TRUE(holds_external("hv2"));
  apply(changes);
  for (const auto& h : kHosts) EXPECT_FALSE(holds_external(h)) << h;
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, PortMovingToAHostWithoutTheMappingMovesItsFloatingIpToTheGateway) {
  // pa2 moves to hv3 (no physnet1): hv2 leaves A and P, hv3 does not get P.
  auto deltas = set_port(port("pa2", "A", "hv3", "fa:16:3e:00:00:a2", {"10.1.0.2"}));
  expect_served_by("203.0.113.20", "");
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv2"))), IsEmpty());
  EXPECT_FALSE(holds_external("hv3"));
  EXPECT_TRUE(delta_for(deltas, "hv1").has_value());  // the gateway's router entry
  expect_matches_fresh();
  // pb3 moves to hv2 (physnet1): its floating IP is NATed there now.
  set_port(port("pb3", "B", "hv2", "fa:16:3e:00:00:b3", {"10.2.0.3"}));
  expect_served_by("203.0.113.21", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  expect_matches_fresh();
  // Unbound: back to the gateway, and hv2 lets P go.
  set_port(port("pb3", "B", "", "fa:16:3e:00:00:b3", {"10.2.0.3"}));
  expect_served_by("203.0.113.21", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
  // pa2 back to hv2, then deleted.
  set_port(port("pa2", "A", "hv2", "fa:16:3e:00:00:a2", {"10.1.0.2"}));
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  expect_matches_fresh();
  ChangeSet removal;
  removal.removed_ports = {"pa2"};
  apply(removal);
  expect_served_by("203.0.113.20", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, PortMovingBetweenTwoMappedHostsMovesTheExternalNetworkWithIt) {
  set_host(mapped_host("hv6", "192.0.2.6", {"physnet1"}));
  // hv2 keeps a port in A: it stays on the router, only P leaves it.
  set_port(port("pa2b", "A", "hv2", "fa:16:3e:00:00:2b", {"10.1.0.12"}));
  auto deltas = set_port(port("pa2", "A", "hv6", "fa:16:3e:00:00:a2", {"10.1.0.2"}));
  expect_served_by("203.0.113.20", "hv6");
  EXPECT_TRUE(holds_external("hv6"));
  EXPECT_FALSE(holds_external("hv2"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv2")), ElementsAre("lport/pa2", "net/P", "subnet/sP"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, HostMappingsDecide) {
  // hv3 maps physnet1 now: pb3's floating IP is NATed on hv3.
  auto deltas = set_host(mapped_host("hv3", "192.0.2.3", {"physnet1"}));
  expect_served_by("203.0.113.21", "hv3");
  EXPECT_TRUE(holds_external("hv3"));
  for (const char* h : {"hv1", "hv2", "hv4"}) EXPECT_TRUE(delta_for(deltas, h).has_value()) << h;
  EXPECT_FALSE(delta_for(deltas, "hv5").has_value());
  expect_matches_fresh();
  // hv2 loses physnet1 (another physnet instead): back to the gateway, P leaves hv2.
  set_host(mapped_host("hv2", "192.0.2.2", {"physnet2"}));
  expect_served_by("203.0.113.20", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
  // An unrelated change of hv3 (its underlay address) does not move anything.
  set_host(mapped_host("hv3", "192.0.2.33", {"physnet1"}));
  expect_served_by("203.0.113.21", "hv3");
  EXPECT_TRUE(holds_external("hv3"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, HostRemovedAndRegisteredAgain) {
  ChangeSet removal;
  removal.removed_hosts = {"hv2"};
  apply(removal);
  expect_served_by("203.0.113.20", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
  set_host(mapped_host("hv2", "192.0.2.2", {"physnet1"}));
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, PortBoundBeforeItsHostRegisters) {
  set_port(port("pa6", "A", "hv6", "fa:16:3e:00:00:a6", {"10.1.0.6"}));
  set_router({kFipA2, kFipB3, {"203.0.113.26", "10.1.0.6", "pa6"}});
  expect_served_by("203.0.113.26", "");  // hv6 unknown
  expect_matches_fresh();
  auto deltas = set_host(mapped_host("hv6", "192.0.2.6", {"physnet1"}));
  expect_served_by("203.0.113.26", "hv6");
  EXPECT_TRUE(holds_external("hv6"));
  EXPECT_TRUE(delta_for(deltas, "hv3").has_value());  // its router entry names hv6
  expect_matches_fresh();
}

}  // namespace
}  // namespace overcast::controller::floating_ip_views

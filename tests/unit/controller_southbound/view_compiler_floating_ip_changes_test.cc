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

TEST_F(FloatingIpViewTest, GatewayElectionMovesTheFloatingIpsOfTheOldAndNewGatewayHost) {
  set_router({kFipA2, kFipB3, kFipA4});
  expect_served_by("203.0.113.22", "hv4");
  // hv1 (active) dies: hv4 is the gateway now, and NATs pa4's floating IP as the gateway.
  set_host(gateway_host("hv1", "192.0.2.1", 2, {"physnet1"}, false));
  expect_served_by("203.0.113.22", "");
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_EQ(view_of(compiler.snapshot("hv3")).at("router/R").router().external().gateway_host(), "hv4");
  EXPECT_TRUE(holds_external("hv4"));
  EXPECT_FALSE(holds_external("hv1"));
  expect_matches_fresh();
  // hv1 returns: hv4 stands by again and NATs its own VM's floating IP.
  set_host(gateway_host("hv1", "192.0.2.1", 2, {"physnet1"}, true));
  expect_served_by("203.0.113.22", "hv4");
  EXPECT_TRUE(holds_external("hv4"));
  EXPECT_TRUE(holds_external("hv1"));
  expect_matches_fresh();
  // hv4's priority rises above hv1's: the election moves by priority.
  set_host(gateway_host("hv4", "192.0.2.4", 5, {"physnet1"}));
  expect_served_by("203.0.113.22", "");
  EXPECT_FALSE(holds_external("hv1"));
  EXPECT_TRUE(holds_external("hv4"));
  expect_matches_fresh();
  // hv4 loses physnet1: neither gateway nor NAT host; hv1 is the gateway again.
  set_host(gateway_host("hv4", "192.0.2.4", 5, {}));
  expect_served_by("203.0.113.22", "");
  EXPECT_FALSE(holds_external("hv4"));
  EXPECT_TRUE(holds_external("hv1"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, NoGatewayAliveTheVmHostsStillNatTheirOwn) {
  set_host(gateway_host("hv1", "192.0.2.1", 2, {"physnet1"}, false));
  set_host(gateway_host("hv4", "192.0.2.4", 1, {"physnet1"}, false));
  EXPECT_EQ(view_of(compiler.snapshot("hv3")).at("router/R").router().external().gateway_host(), "");
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  EXPECT_FALSE(holds_external("hv1"));
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, ExternalNetworkChanges) {
  // P moves to physnet2, which nobody maps: no gateway, no NAT host.
  ChangeSet changes;
  changes.networks = {flat("P", 900, "physnet2")};
  apply(changes);
  expect_served_by("203.0.113.20", "");
  for (const auto& h : kHosts) EXPECT_FALSE(holds_external(h)) << h;
  expect_matches_fresh();
  // hv2 maps physnet2: it NATs pa2's floating IP with no gateway host at all.
  set_host(mapped_host("hv2", "192.0.2.2", {"physnet1", "physnet2"}));
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  expect_matches_fresh();
  // An overlay external network has no physnet to map: the gateway hosts only.
  changes.networks = {net("P", 900)};
  apply(changes);
  expect_served_by("203.0.113.20", "");
  EXPECT_FALSE(holds_external("hv2"));
  expect_matches_fresh();
  // Back on physnet1; then removed.
  changes.networks = {flat("P", 900, "physnet1")};
  apply(changes);
  expect_served_by("203.0.113.20", "hv2");
  EXPECT_TRUE(holds_external("hv2"));
  expect_matches_fresh();
  ChangeSet removal;
  removal.removed_subnets = {"sP"};
  removal.removed_networks = {"P"};
  apply(removal);
  expect_served_by("203.0.113.20", "");
  for (const auto& h : kHosts) EXPECT_EQ(view_of(compiler.snapshot(h)).count("net/P"), 0u) << h;
  expect_matches_fresh();
}

TEST_F(FloatingIpViewTest, ExternalSubnetAndPortChangesReachTheNatHost) {
  SubnetFacts subnet = external_subnet();
  subnet.dns_nameservers = {"192.0.2.53"};
  ChangeSet changes;
  changes.subnets = {subnet};
  auto deltas = apply(changes);
  ASSERT_TRUE(delta_for(deltas, "hv2").has_value());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("subnet/sP"));
  // A VM directly on P (hv4 maps physnet1): hv2 sees it as a remote port, as hv1 does.
  deltas = set_port(port("pp4", "P", "hv4", "fa:16:3e:00:00:f4", {"203.0.113.40"}));
  ASSERT_TRUE(delta_for(deltas, "hv2").has_value());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("rport/pp4"));
  expect_matches_fresh();
}

// Random changes of everything a floating IP's host depends on: after every one, the
// views replayed from the deltas equal a fresh compile.
TEST_F(FloatingIpViewTest, RandomChangesMatchAFromScratchCompilation) {
  std::mt19937 rng(7);
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> port_ids = {"pa2", "pb3", "pa4", "px1", "px2"};
  const std::vector<std::string> nets = {"A", "B", "C", "P"};
  const std::vector<std::vector<std::string>> mappings = {{}, {"physnet1"}, {"physnet2"}, {"physnet1", "physnet2"}};
  for (int round = 0; round < 400; ++round) {
    ChangeSet c;
    switch (rng() % 8) {
      case 0:
      case 1: {  // floating IPs associated with random ports
        std::vector<FloatingIpFacts> fips;
        for (int i = 0; i < 3; ++i) {
          if (rng() % 3 == 0) continue;
          fips.push_back({"203.0.113." + std::to_string(20 + i), "10.9.0." + std::to_string(i), pick(port_ids)});
        }
        RouterFacts r = router(fips);
        if (rng() % 8 == 0) r.external.reset();
        c.routers = {r};
        break;
      }
      case 2:
      case 3: {  // a port moves (or is unbound, or deleted)
        const std::string id = pick(port_ids);
        if (rng() % 6 == 0) {
          c.removed_ports = {id};
        } else {
          const std::string h = rng() % 6 ? pick(kHosts) : "";
          c.ports = {port(id, pick(nets), h, "fa:16:3e:00:10:0" + std::to_string(rng() % 5),
                          {"10.9.1." + std::to_string(rng() % 5)})};
        }
        break;
      }
      case 4: {  // a host's mappings, gateway role and liveness
        const std::string h = pick(kHosts);
        const std::string ip = "192.0.2." + std::to_string(1 + rng() % 6);
        if (rng() % 7 == 0) {
          c.removed_hosts = {h};
        } else if (rng() % 2) {
          c.hosts = {gateway_host(h, ip, rng() % 3, pick(mappings), rng() % 3 != 0)};
        } else {
          c.hosts = {mapped_host(h, ip, pick(mappings))};
        }
        break;
      }
      case 5: {  // the external network
        if (rng() % 6 == 0) {
          c.removed_networks = {"P"};
        } else {
          c.networks = {rng() % 5 ? flat("P", 900, rng() % 2 ? "physnet1" : "physnet2") : net("P", 900)};
        }
        break;
      }
      case 6: {  // its subnet
        SubnetFacts subnet = external_subnet();
        subnet.gateway_ip = "203.0.113." + std::to_string(1 + rng() % 3);
        c.subnets = {subnet};
        break;
      }
      default: {  // a router that has no floating IP
        RouterFacts other;
        other.id = "S";
        other.project_id = "tenant2";
        other.interfaces = {{"sc", "C", "sC", "10.3.0.1/24", "fa:16:3e:00:02:0c"}};
        if (rng() % 2) other.external = RouterExternalFacts{"P", "203.0.113.11/24", "fa:16:3e:00:02:ee", true, ""};
        c.routers = {other};
      }
    }
    apply(c);
    expect_matches_fresh();
    if (HasFatalFailure() || HasFailure()) {
      ADD_FAILURE() << "after round " << round;
      return;
    }
  }
}

}  // namespace
}  // namespace overcast::controller::floating_ip_views

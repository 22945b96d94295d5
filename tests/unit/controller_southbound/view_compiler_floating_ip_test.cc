// Floating IPs NATed on their VM's own host (Neutron DVR style) in the views: the router
// entry names, per floating IP, the host that NATs it (served_by_host: the port's binding
// host when it is registered, maps the external network's physnet and is not the active
// gateway host; else "", the gateway host), and such a host holds the external network
// entry. Every change that moves a floating IP's host (association, the port's binding
// host, a host's registration or mappings, the gateway election, the external network)
// reaches every host of the router and the old and new host, and the incremental views
// (replayed from the deltas) always equal a compiler fed the final facts at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

NetworkFacts flat(const std::string& id, uint32_t vni, const std::string& physnet) {
  NetworkFacts facts = net(id, vni, 1500);
  facts.network_type = "flat";
  facts.physical_network = physnet;
  return facts;
}

HostFacts mapped_host(const std::string& name, const std::string& ip, std::vector<std::string> physnets) {
  HostFacts facts = host(name, ip);
  facts.physnets = std::move(physnets);
  return facts;
}

HostFacts gateway_host(const std::string& name, const std::string& ip, uint32_t priority,
                       std::vector<std::string> physnets, bool alive = true) {
  HostFacts facts = mapped_host(name, ip, std::move(physnets));
  facts.gateway = true;
  facts.gateway_priority = priority;
  facts.alive = alive;
  return facts;
}

SubnetFacts external_subnet() {
  SubnetFacts subnet;
  subnet.id = "sP";
  subnet.network_id = "P";
  subnet.cidr = "203.0.113.0/24";
  subnet.gateway_ip = "203.0.113.1";
  subnet.enable_dhcp = false;
  return subnet;
}

RouterFacts router(std::vector<FloatingIpFacts> floating_ips) {
  RouterFacts r;
  r.id = "R";
  r.project_id = "tenant1";
  r.interfaces = {{"ra", "A", "sA", "10.1.0.1/24", "fa:16:3e:00:01:0a"},
                  {"rb", "B", "sB", "10.2.0.1/24", "fa:16:3e:00:01:0b"}};
  r.external = RouterExternalFacts{"P", "203.0.113.10/24", "fa:16:3e:00:01:ee", true, "203.0.113.1"};
  r.floating_ips = std::move(floating_ips);
  return r;
}

const FloatingIpFacts kFipA2{"203.0.113.20", "10.1.0.2", "pa2"};
const FloatingIpFacts kFipB3{"203.0.113.21", "10.2.0.3", "pb3"};
const FloatingIpFacts kFipA4{"203.0.113.22", "10.1.0.4", "pa4"};

// The model's facts, mirrored from what a test sends, for a compile from scratch.
struct Facts {
  std::map<std::string, NetworkFacts> networks;
  std::map<std::string, SubnetFacts> subnets;
  std::map<std::string, HostFacts> hosts;
  std::map<std::string, PortFacts> ports;
  std::map<std::string, RouterFacts> routers;

  void apply(const ChangeSet& c) {
    for (const auto& id : c.removed_ports) ports.erase(id);
    for (const auto& id : c.removed_hosts) hosts.erase(id);
    for (const auto& id : c.removed_subnets) subnets.erase(id);
    for (const auto& id : c.removed_networks) networks.erase(id);
    for (const auto& id : c.removed_routers) routers.erase(id);
    for (const auto& n : c.networks) networks[n.id] = n;
    for (const auto& s : c.subnets) subnets[s.id] = s;
    for (const auto& h : c.hosts) hosts[h.host] = h;
    for (const auto& p : c.ports) ports[p.id] = p;
    for (const auto& r : c.routers) routers[r.id] = r;
  }
  ChangeSet everything() const {
    ChangeSet all;
    for (const auto& [id, n] : networks) all.networks.push_back(n);
    for (const auto& [id, s] : subnets) all.subnets.push_back(s);
    for (const auto& [id, h] : hosts) all.hosts.push_back(h);
    for (const auto& [id, p] : ports) all.ports.push_back(p);
    for (const auto& [id, r] : routers) all.routers.push_back(r);
    return all;
  }
};

const std::vector<std::string> kHosts = {"hv1", "hv2", "hv3", "hv4", "hv5", "hv6"};

// hv1: the active gateway (priority 2, physnet1), no VM. hv2: no --gateway, maps physnet1,
// a VM port pa2 in A. hv3: a VM port pb3 in B, maps nothing. hv4: a standby gateway
// (priority 1, physnet1) with a VM port pa4 in A. hv5: a port in C, which no router
// touches. P: the flat external network on physnet1 with subnet sP. Router R: A <-> B,
// external gateway on P, floating IPs of pa2 and pb3 (pa4's in some tests).
class FloatingIpViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100), net("B", 200), net("C", 300), flat("P", 900, "physnet1")};
    changes.subnets = {external_subnet()};
    changes.hosts = {gateway_host("hv1", "192.0.2.1", 2, {"physnet1"}), mapped_host("hv2", "192.0.2.2", {"physnet1"}),
                     host("hv3", "192.0.2.3"), gateway_host("hv4", "192.0.2.4", 1, {"physnet1"}),
                     host("hv5", "192.0.2.5")};
    changes.ports = {port("pa2", "A", "hv2", "fa:16:3e:00:00:a2", {"10.1.0.2"}),
                     port("pb3", "B", "hv3", "fa:16:3e:00:00:b3", {"10.2.0.3"}),
                     port("pa4", "A", "hv4", "fa:16:3e:00:00:a4", {"10.1.0.4"}),
                     port("pc5", "C", "hv5", "fa:16:3e:00:00:c5", {"10.3.0.5"})};
    changes.routers = {router({kFipA2, kFipB3})};
    apply(changes);
  }

  std::vector<HostDelta> apply(const ChangeSet& changes) {
    facts.apply(changes);
    auto deltas = compiler.apply_changes(changes);
    for (const auto& d : deltas) {
      View& view = views[d.host];
      for (const auto& entry : d.delta.upserts()) {
        auto old = view.find(entry.key());
        EXPECT_TRUE(old == view.end() || old->second.SerializeAsString() != entry.SerializeAsString())
            << "upsert without a difference: " << d.host << " " << entry.key();
      }
      for (const auto& key : d.delta.removals()) EXPECT_TRUE(view.count(key)) << "removal of absent " << key;
      apply_delta(view, d.delta);
    }
    return deltas;
  }
  std::vector<HostDelta> set_router(std::vector<FloatingIpFacts> floating_ips) {
    ChangeSet changes;
    changes.routers = {router(std::move(floating_ips))};
    return apply(changes);
  }
  std::vector<HostDelta> set_port(const PortFacts& p) {
    ChangeSet changes;
    changes.ports = {p};
    return apply(changes);
  }
  std::vector<HostDelta> set_host(const HostFacts& h) {
    ChangeSet changes;
    changes.hosts = {h};
    return apply(changes);
  }

  // served_by_host of the floating IP `floating_ip` in `host`'s router entry.
  std::string served_by(const std::string& host, const std::string& floating_ip) const {
    const View view = view_of(compiler.snapshot(host));
    auto it = view.find("router/R");
    if (it == view.end()) return "(no router on " + host + ")";
    for (const auto& f : it->second.router().floating_ips()) {
      if (f.floating_ip() == floating_ip) return f.served_by_host();
    }
    return "(no " + floating_ip + ")";
  }
  // The same on every host that holds the router.
  void expect_served_by(const std::string& floating_ip, const std::string& want) const {
    int holders = 0;
    for (const auto& h : kHosts) {
      if (view_of(compiler.snapshot(h)).count("router/R") == 0) continue;
      ++holders;
      EXPECT_EQ(served_by(h, floating_ip), want) << "on " << h;
    }
    EXPECT_GT(holders, 0);
  }
  bool holds_external(const std::string& host) const {
    const View view = view_of(compiler.snapshot(host));
    return view.count("net/P") != 0 && view.count("subnet/sP") != 0;
  }

  // The views replayed from the deltas, and the compiler's own, equal a fresh compile.
  void expect_matches_fresh() {
    ViewCompiler fresh{ViewCompilerConfig{.epoch = "e2"}};
    fresh.apply(facts.everything());
    for (const auto& h : kHosts) {
      const View want = view_of(fresh.snapshot(h));
      ASSERT_EQ(keys_of(views[h]), keys_of(want)) << h;
      ASSERT_EQ(keys_of(view_of(compiler.snapshot(h))), keys_of(want)) << h;
      for (const auto& [key, entry] : want) {
        EXPECT_EQ(views[h][key].SerializeAsString(), entry.SerializeAsString()) << h << " " << key;
      }
    }
  }

  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  Facts facts;
  std::map<std::string, View> views;
};

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
}  // namespace overcast::controller

// The fixture of the floating-IP view tests (view_compiler_floating_ip_*_test.cc): a lab of
// hosts, networks A and B routed by R with its external gateway on provider network P, the
// model's facts mirrored for a compile from scratch, and checks that the incremental views
// (replayed from the deltas) equal it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller::floating_ip_views {


using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

inline NetworkFacts flat(const std::string& id, uint32_t vni, const std::string& physnet) {
  NetworkFacts facts = net(id, vni, 1500);
  facts.network_type = "flat";
  facts.physical_network = physnet;
  return facts;
}

inline HostFacts mapped_host(const std::string& name, const std::string& ip, std::vector<std::string> physnets) {
  HostFacts facts = host(name, ip);
  facts.physnets = std::move(physnets);
  return facts;
}

inline HostFacts gateway_host(const std::string& name, const std::string& ip, uint32_t priority,
                       std::vector<std::string> physnets, bool alive = true) {
  HostFacts facts = mapped_host(name, ip, std::move(physnets));
  facts.gateway = true;
  facts.gateway_priority = priority;
  facts.alive = alive;
  return facts;
}

inline SubnetFacts external_subnet() {
  SubnetFacts subnet;
  subnet.id = "sP";
  subnet.network_id = "P";
  subnet.cidr = "203.0.113.0/24";
  subnet.gateway_ip = "203.0.113.1";
  subnet.enable_dhcp = false;
  return subnet;
}

inline RouterFacts router(std::vector<FloatingIpFacts> floating_ips) {
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


}  // namespace overcast::controller::floating_ip_views

// Incremental deltas: each change reaches only the hosts it concerns, with only
// the entries that really differ.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Two networks: A on hv1+hv2, B on hv3+hv4; hv5 registered with nothing.
class ViewDeltaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100), net("B", 200)};
    changes.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3"),
                     host("hv4", "192.0.2.4"), host("hv5", "192.0.2.5")};
    changes.ports = {port("a1", "A", "hv1"), port("a2", "A", "hv2"), port("b3", "B", "hv3"),
                     port("b4", "B", "hv4")};
    compiler.apply(changes);
    for (const char* h : {"hv1", "hv2", "hv3", "hv4", "hv5"}) views[h] = view_of(compiler.snapshot(h));
  }

  // Applies a change, keeps every host's view current through the deltas, and
  // checks that the deltas lead exactly to the compiler's snapshots.
  std::vector<HostDelta> change(const ChangeSet& changes) {
    auto deltas = compiler.apply_changes(changes);
    for (const auto& d : deltas) apply_delta(views[d.host], d.delta);
    for (auto& [h, view] : views) {
      EXPECT_EQ(keys_of(view), keys_of(view_of(compiler.snapshot(h)))) << h;
    }
    return deltas;
  }

  static std::vector<std::string> hosts_of(const std::vector<HostDelta>& deltas) {
    std::vector<std::string> hosts;
    for (const auto& d : deltas) hosts.push_back(d.host);
    return hosts;
  }

  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  std::map<std::string, View> views;
};

TEST_F(ViewDeltaTest, PortCreateReachesOnlyTheHostsOfItsNetwork) {
  ChangeSet c;
  c.ports = {port("a2b", "A", "hv2")};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv1", "hv2"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/a2b"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("lport/a2b"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv1")), IsEmpty());
}

TEST_F(ViewDeltaTest, FirstPortOnANewHostBringsTheWholeNetworkToIt) {
  ChangeSet c;
  c.ports = {port("a5", "A", "hv5")};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv1", "hv2", "hv5"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv5")), ElementsAre("lport/a5", "net/A", "rport/a1", "rport/a2"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("net/A", "rport/a5"));
  EXPECT_THAT(flood_of(views["hv1"], "A"), ElementsAre("192.0.2.2", "192.0.2.5"));
}

TEST_F(ViewDeltaTest, PortMoveBetweenHosts) {
  ChangeSet c;
  c.ports = {port("a2", "A", "hv5")};  // hv2 loses its only port in A
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv1", "hv2", "hv5"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv2")), ElementsAre("lport/a2", "net/A", "rport/a1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), IsEmpty());
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("net/A", "rport/a2"));
  EXPECT_EQ(views["hv1"].at("rport/a2").remote_port().vtep_ip(), "192.0.2.5");
  EXPECT_THAT(flood_of(views["hv1"], "A"), ElementsAre("192.0.2.5"));
  EXPECT_THAT(keys_of(views["hv2"]), IsEmpty());
}

TEST_F(ViewDeltaTest, PortMoveBetweenNetworksOnTheSameHost) {
  ChangeSet add;
  add.ports = {port("b1", "B", "hv1")};
  change(add);
  ChangeSet move;
  move.ports = {port("a1", "B", "hv1")};  // a1 leaves A (hv1 keeps B through b1)
  auto deltas = change(move);
  auto hv1 = delta_for(deltas, "hv1");
  ASSERT_TRUE(hv1);
  EXPECT_THAT(upsert_keys(*hv1), ElementsAre("lport/a1")) << "the key moves slices: an upsert, no removal";
  EXPECT_THAT(removal_keys(*hv1), ElementsAre("net/A", "rport/a2"));
  EXPECT_EQ(views["hv1"].at("lport/a1").local_port().vni(), 200u);
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv2")), ElementsAre("rport/a1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv3")), ElementsAre("rport/a1"));
}

TEST_F(ViewDeltaTest, PortDelete) {
  ChangeSet c;
  c.removed_ports = {"a1"};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv1", "hv2"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv2")), ElementsAre("rport/a1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("net/A"));
  EXPECT_THAT(flood_of(views["hv2"], "A"), IsEmpty());
  EXPECT_THAT(keys_of(views["hv1"]), IsEmpty());
}

TEST_F(ViewDeltaTest, PortFieldChangeUpdatesOnlyThatPortsEntries) {
  ChangeSet c;
  c.ports = {port("a1", "A", "hv1", "fa:16:3e:00:00:99", {"10.1.0.99"})};
  auto deltas = change(c);
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("lport/a1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("rport/a1"));
  EXPECT_EQ(views["hv2"].at("rport/a1").remote_port().mac(), "fa:16:3e:00:00:99");
}

TEST_F(ViewDeltaTest, HostIpChangeUpdatesTheOthersButNotItself) {
  ChangeSet c;
  c.hosts = {host("hv2", "198.51.100.2")};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), ElementsAre("hv1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("net/A", "rport/a2"));
  EXPECT_EQ(views["hv1"].at("rport/a2").remote_port().vtep_ip(), "198.51.100.2");
  EXPECT_THAT(flood_of(views["hv1"], "A"), ElementsAre("198.51.100.2"));
}

TEST_F(ViewDeltaTest, HostRemovalHidesItsPortsFromOthers) {
  ChangeSet c;
  c.removed_hosts = {"hv2"};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), ElementsAre("hv1"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/a2"));
  EXPECT_THAT(flood_of(views["hv1"], "A"), IsEmpty());
}

TEST_F(ViewDeltaTest, NetworkVniChangeRewritesThatNetworksEntriesOnly) {
  ChangeSet c;
  c.networks = {net("A", 111)};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv1", "hv2"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("lport/a1", "net/A", "rport/a2"));
  EXPECT_EQ(views["hv1"].at("net/A").network().vni(), 111u);
  EXPECT_EQ(views["hv1"].at("rport/a2").remote_port().vni(), 111u);
  EXPECT_EQ(views["hv2"].at("lport/a2").local_port().vni(), 111u);
}

TEST_F(ViewDeltaTest, ChangeInOneNetworkProducesNoDeltaForHostsWithoutIt) {
  uint64_t hv3_before = compiler.version("hv3");
  ChangeSet c;
  c.networks = {net("A", 101, 1400)};
  c.ports = {port("a1x", "A", "hv1")};
  c.removed_ports = {"a2"};
  auto deltas = change(c);
  EXPECT_FALSE(delta_for(deltas, "hv3"));
  EXPECT_FALSE(delta_for(deltas, "hv4"));
  EXPECT_FALSE(delta_for(deltas, "hv5"));
  EXPECT_EQ(compiler.version("hv3"), hv3_before);
}

// One ChangeSet that both rewrites network A and moves hv2's only port out of it:
// hv2 must still lose its slice of A.
TEST_F(ViewDeltaTest, NetworkChangeAndHostLeavingInOneChangeSet) {
  ChangeSet c;
  c.networks = {net("A", 150)};
  c.ports = {port("a2", "B", "hv2")};
  auto deltas = change(c);
  EXPECT_THAT(keys_of(views["hv2"]), ElementsAre("lport/a2", "net/B", "rport/b3", "rport/b4"));
  EXPECT_THAT(keys_of(views["hv1"]), ElementsAre("lport/a1", "net/A"));
  EXPECT_EQ(views["hv1"].at("net/A").network().vni(), 150u);
}

TEST_F(ViewDeltaTest, IdenticalUpsertsProduceNoDelta) {
  ChangeSet c;
  c.networks = {net("A", 100)};
  c.hosts = {host("hv1", "192.0.2.1")};
  c.ports = {port("a1", "A", "hv1")};
  EXPECT_THAT(change(c), IsEmpty());
}

TEST_F(ViewDeltaTest, NetworkRemovalEmptiesItsSlices) {
  ChangeSet c;
  c.removed_networks = {"B"};
  auto deltas = change(c);
  EXPECT_THAT(hosts_of(deltas), UnorderedElementsAre("hv3", "hv4"));
  EXPECT_THAT(keys_of(views["hv3"]), IsEmpty());
  ChangeSet back;
  back.networks = {net("B", 200)};
  change(back);
  EXPECT_THAT(keys_of(views["hv3"]), ElementsAre("lport/b3", "net/B", "rport/b4"));
}

// Many random changes: the deltas always lead every host to exactly its snapshot,
// every delta holds only real differences, and the incrementally kept views equal
// the views a fresh compiler computes from the final facts in one go.
TEST_F(ViewDeltaTest, RandomChangesMatchAFromScratchCompilation) {
  std::mt19937 rng(42);
  const std::vector<std::string> hosts = {"hv1", "hv2", "hv3", "hv4", "hv5", "hv6"};
  const std::vector<std::string> nets = {"A", "B", "C"};
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  // The facts as the model holds them, mirrored from what the test sends.
  std::map<std::string, NetworkFacts> model_nets = {{"A", net("A", 100)}, {"B", net("B", 200)}};
  std::map<std::string, HostFacts> model_hosts;
  for (int i = 1; i <= 5; ++i) model_hosts["hv" + std::to_string(i)] = host("hv" + std::to_string(i), "192.0.2." + std::to_string(i));
  std::map<std::string, PortFacts> model_ports = {{"a1", port("a1", "A", "hv1")}, {"a2", port("a2", "A", "hv2")},
                                                  {"b3", port("b3", "B", "hv3")}, {"b4", port("b4", "B", "hv4")}};
  for (int round = 0; round < 600; ++round) {
    ChangeSet c;
    switch (rng() % 7) {
      case 0: {
        auto n = net(pick(nets), 100 + rng() % 3);
        model_nets[n.id] = n;
        c.networks = {n};
        break;
      }
      case 1: {
        auto h = host(pick(hosts), "192.0.2." + std::to_string(rng() % 8));
        model_hosts[h.host] = h;
        c.hosts = {h};
        break;
      }
      case 2: {
        auto id = "p" + std::to_string(rng() % 20);
        model_ports.erase(id);
        c.removed_ports = {id};
        break;
      }
      case 3: {
        auto h = pick(hosts);
        model_hosts.erase(h);
        c.removed_hosts = {h};
        break;
      }
      case 4: {
        auto n = pick(nets);
        if (rng() % 4) break;  // rarer: removes a whole network
        model_nets.erase(n);
        c.removed_networks = {n};
        break;
      }
      default: {
        auto p = port("p" + std::to_string(rng() % 20), pick(nets), rng() % 5 ? pick(hosts) : "",
                      "fa:16:3e:00:00:0" + std::to_string(rng() % 3));
        model_ports[p.id] = p;
        c.ports = {p};
      }
    }
    for (const auto& d : compiler.apply_changes(c)) {
      auto& view = views[d.host];
      for (const auto& entry : d.delta.upserts()) {
        auto old = view.find(entry.key());
        EXPECT_TRUE(old == view.end() || old->second.SerializeAsString() != entry.SerializeAsString())
            << "upsert without a difference: " << entry.key();
      }
      for (const auto& key : d.delta.removals()) EXPECT_TRUE(view.count(key)) << "removal of absent " << key;
      apply_delta(view, d.delta);
    }
  }
  ViewCompiler fresh{ViewCompilerConfig{.epoch = "e2"}};
  ChangeSet everything;
  for (const auto& [id, n] : model_nets) everything.networks.push_back(n);
  for (const auto& [id, h] : model_hosts) everything.hosts.push_back(h);
  for (const auto& [id, p] : model_ports) everything.ports.push_back(p);
  fresh.apply(everything);
  for (const auto& h : hosts) {
    View expected = view_of(fresh.snapshot(h));
    ASSERT_EQ(keys_of(views[h]), keys_of(expected)) << h;
    ASSERT_EQ(keys_of(view_of(compiler.snapshot(h))), keys_of(expected)) << h;
    for (const auto& [key, entry] : expected) {
      EXPECT_EQ(views[h][key].SerializeAsString(), entry.SerializeAsString()) << h << " " << key;
    }
  }
}

}  // namespace
}  // namespace overcast::controller

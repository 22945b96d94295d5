// Which hosts see what: the shape of each host's view.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/topology/view_entries.h"
#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ViewShapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100), net("B", 200, 9000)};
    changes.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3")};
    changes.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1", {"10.1.0.1", "2001:db8::1"}),
                     port("pa2", "A", "hv2", "fa:16:3e:00:00:a2"), port("pa3", "A", "hv3"),
                     port("pb3", "B", "hv3"), port("unbound", "A", "")};
    compiler.apply(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
};

TEST_F(ViewShapeTest, HostSeesOnlyNetworksWithItsPorts) {
  View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_THAT(keys_of(hv1), ElementsAre("lport/pa1", "net/A", "rport/pa2", "rport/pa3"));
  View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_THAT(keys_of(hv3),
              ElementsAre("lport/pa3", "lport/pb3", "net/A", "net/B", "rport/pa1", "rport/pa2"));
}

TEST_F(ViewShapeTest, FloodListHoldsOtherHostsSortedAndExcludesItself) {
  EXPECT_THAT(flood_of(view_of(compiler.snapshot("hv2")), "A"), ElementsAre("192.0.2.1", "192.0.2.3"));
  EXPECT_THAT(flood_of(view_of(compiler.snapshot("hv1")), "A"), ElementsAre("192.0.2.2", "192.0.2.3"));
  // hv3 is alone in B: a network entry with nobody to flood to.
  View hv3 = view_of(compiler.snapshot("hv3"));
  ASSERT_TRUE(hv3.count("net/B"));
  EXPECT_THAT(flood_of(hv3, "B"), IsEmpty());
  EXPECT_EQ(hv3.at("net/B").network().vni(), 200u);
  EXPECT_EQ(hv3.at("net/B").network().mtu(), 9000u);
  EXPECT_EQ(hv3.at("net/B").network().encapsulation(), "vxlan");
}

TEST_F(ViewShapeTest, LocalPortCarriesEverythingTheAgentNeedsForItsTap) {
  View hv1 = view_of(compiler.snapshot("hv1"));
  const auto& local = hv1.at("lport/pa1").local_port();
  EXPECT_EQ(local.port_id(), "pa1");
  EXPECT_EQ(local.network_id(), "A");
  EXPECT_EQ(local.vni(), 100u);
  EXPECT_EQ(local.mtu(), 1450u);
  EXPECT_EQ(local.mac(), "fa:16:3e:00:00:a1");
  EXPECT_THAT(std::vector<std::string>(local.ips().begin(), local.ips().end()),
              ElementsAre("10.1.0.1", "2001:db8::1"));
  EXPECT_TRUE(local.admin_up());
  EXPECT_EQ(local.tap_name(), "tappa1");
}

TEST(TapNameTest, UsesTheFirstElevenCharactersOfThePortId) {
  EXPECT_EQ(tap_name_for_port("0123456789abcdef-xyz"), "tap0123456789a");
  EXPECT_EQ(tap_name_for_port("0123456789abcdef-xyz").size(), 14u);
}

TEST_F(ViewShapeTest, RemotePortPointsAtTheVtepOfItsHost) {
  View hv1 = view_of(compiler.snapshot("hv1"));
  const auto& remote = hv1.at("rport/pa2").remote_port();
  EXPECT_EQ(remote.vtep_ip(), "192.0.2.2");
  EXPECT_EQ(remote.mac(), "fa:16:3e:00:00:a2");
  EXPECT_EQ(remote.vni(), 100u);
  EXPECT_EQ(remote.network_id(), "A");
}

TEST_F(ViewShapeTest, UnboundPortIsNowhere) {
  for (const char* h : {"hv1", "hv2", "hv3"}) {
    View view = view_of(compiler.snapshot(h));
    EXPECT_EQ(view.count("rport/unbound"), 0u) << h;
    EXPECT_EQ(view.count("lport/unbound"), 0u) << h;
  }
}

TEST_F(ViewShapeTest, UnknownHostHasAnEmptyViewAtVersionZero) {
  sb::Snapshot snapshot = compiler.snapshot("hv-nobody");
  EXPECT_EQ(snapshot.entries_size(), 0);
  EXPECT_EQ(snapshot.version(), 0u);
  EXPECT_EQ(snapshot.epoch(), "e1");
}

TEST(ViewRegistrationTest, PortsOfAnUnregisteredHostAreInvisibleUntilItRegisters) {
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  ChangeSet setup;
  setup.networks = {net("A", 100)};
  setup.hosts = {host("hv1", "192.0.2.1")};
  setup.ports = {port("p1", "A", "hv1"), port("p9", "A", "hv9")};
  compiler.apply(setup);

  View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_EQ(hv1.count("rport/p9"), 0u);
  EXPECT_THAT(flood_of(hv1, "A"), IsEmpty());
  // hv9 itself already has its view, ready for when its agent connects.
  View hv9 = view_of(compiler.snapshot("hv9"));
  EXPECT_THAT(keys_of(hv9), ElementsAre("lport/p9", "net/A", "rport/p1"));

  ChangeSet registration;
  registration.hosts = {host("hv9", "192.0.2.9")};
  auto deltas = compiler.apply_changes(registration);
  auto for_hv1 = delta_for(deltas, "hv1");
  ASSERT_TRUE(for_hv1);
  EXPECT_THAT(upsert_keys(*for_hv1), ElementsAre("net/A", "rport/p9"));
  EXPECT_FALSE(delta_for(deltas, "hv9")) << "a host's own view does not depend on its own IP";
  apply_delta(hv1, *for_hv1);
  EXPECT_EQ(hv1.at("rport/p9").remote_port().vtep_ip(), "192.0.2.9");
  EXPECT_THAT(flood_of(hv1, "A"), ElementsAre("192.0.2.9"));
}

TEST(ViewInputTest, FactsWithoutIdsAreIgnoredAndCounted) {
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  ChangeSet changes;
  changes.networks = {net("", 5)};
  changes.hosts = {host("", "192.0.2.1")};
  changes.ports = {port("", "A", "hv1")};
  EXPECT_TRUE(compiler.apply_changes(changes).empty());
  EXPECT_EQ(compiler.stats().ignored_facts, 3u);
}

TEST(ViewInputTest, PortOfAnUnknownNetworkAppearsWhenTheNetworkDoes) {
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
  ChangeSet ports;
  ports.ports = {port("p1", "A", "hv1")};
  EXPECT_TRUE(compiler.apply_changes(ports).empty());
  ChangeSet network;
  network.networks = {net("A", 7)};
  auto deltas = compiler.apply_changes(network);
  auto for_hv1 = delta_for(deltas, "hv1");
  ASSERT_TRUE(for_hv1);
  EXPECT_THAT(upsert_keys(*for_hv1), ElementsAre("lport/p1", "net/A"));
}

}  // namespace
}  // namespace overcast::controller

namespace overcast::controller {
namespace {

using namespace testing;

// A dead host's record may keep an address that a new host then takes (a hypervisor
// replaced under a new name). The new host must never flood to itself nor see remote
// ports behind its own address — whether it registers with it or moves to it later.
TEST_F(ViewShapeTest, HostNeverListsItsOwnAddressEvenWhenAStaleRecordHoldsIt) {
  ChangeSet newcomer;
  newcomer.hosts = {host("hv9", "192.0.2.9")};
  newcomer.ports = {port("pa9", "A", "hv9")};
  compiler.apply(newcomer);
  View hv9 = view_of(compiler.snapshot("hv9"));
  ASSERT_TRUE(hv9.count("rport/pa2"));

  ChangeSet takes_hv2_address;  // hv2 is dead but still registered with 192.0.2.2
  takes_hv2_address.hosts = {host("hv9", "192.0.2.2")};
  const auto deltas = compiler.apply_changes(takes_hv2_address);
  auto delta = delta_for(deltas, "hv9");
  ASSERT_TRUE(delta);
  apply_delta(hv9, *delta);
  EXPECT_THAT(flood_of(hv9, "A"), ::testing::ElementsAre("192.0.2.1", "192.0.2.3"));
  EXPECT_FALSE(hv9.count("rport/pa2"));
  // The incremental view is the one a fresh snapshot gives.
  EXPECT_THAT(keys_of(hv9), ::testing::ElementsAreArray(keys_of(view_of(compiler.snapshot("hv9")))));
  EXPECT_THAT(flood_of(view_of(compiler.snapshot("hv9")), "A"), ::testing::ElementsAre("192.0.2.1", "192.0.2.3"));
}

}  // namespace
}  // namespace overcast::controller

namespace overcast::controller {
namespace {

// Memory at scale: a remote port's entry is the same for every host of its network,
// so the compiler holds it once, also for a host that joins the network later.
TEST_F(ViewShapeTest, RemotePortEntriesAreSharedByTheHostsOfTheNetwork) {
  // hv1: lport pa1, net A, rport pa2, rport pa3; hv2 likewise; hv3: lport pa3, pb3,
  // net A, net B, rport pa1, pa2. Three rports held twice each, once per object.
  auto stats = compiler.stats();
  EXPECT_EQ(stats.entries, 14u);
  EXPECT_EQ(stats.distinct_entries, 11u);

  // hv4 joins A: its rports of pa1..pa3 are the objects the others already hold, and
  // the new rport/pa4 is one object for hv1..hv3.
  ChangeSet join;
  join.hosts = {host("hv4", "192.0.2.4")};
  join.ports = {port("pa4", "A", "hv4")};
  compiler.apply(join);
  stats = compiler.stats();
  EXPECT_EQ(stats.entries, 14u + 3 /* rport/pa4 on hv1..hv3 */ + 5 /* hv4: lport, net, 3 rports */);
  // net/A: one per host (4, flood lists differ), net/B 1, lports 5, rports pa1..pa4: 4.
  EXPECT_EQ(stats.distinct_entries, 14u);
  // What each host sees is unchanged by the sharing.
  View hv4 = view_of(compiler.snapshot("hv4"));
  EXPECT_THAT(keys_of(hv4), ElementsAre("lport/pa4", "net/A", "rport/pa1", "rport/pa2", "rport/pa3"));
  EXPECT_EQ(hv4.at("rport/pa1").remote_port().vtep_ip(), "192.0.2.1");

  // pa2 moves to hv3: every holder of rport/pa2 gets the new VTEP, still from one object.
  ChangeSet move;
  move.ports = {port("pa2", "A", "hv3")};
  compiler.apply(move);
  EXPECT_EQ(view_of(compiler.snapshot("hv1")).at("rport/pa2").remote_port().vtep_ip(), "192.0.2.3");
  EXPECT_EQ(view_of(compiler.snapshot("hv4")).at("rport/pa2").remote_port().vtep_ip(), "192.0.2.3");
  EXPECT_FALSE(view_of(compiler.snapshot("hv2")).count("net/A")) << "hv2 left A with its only port";
}

}  // namespace
}  // namespace overcast::controller

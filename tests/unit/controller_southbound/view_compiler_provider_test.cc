// Provider networks (flat, vlan) in the views: their entries carry the physical network
// and VLAN, have no flood VTEPs, and reach only hosts that map the physical network;
// a port bound to a host without the mapping fails to bind and is in no view.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

NetworkFacts provider(const std::string& id, uint32_t vni, const std::string& type, const std::string& physnet,
                      uint32_t vlan = 0) {
  NetworkFacts facts = net(id, vni, 1500);
  facts.network_type = type;
  facts.physical_network = physnet;
  facts.segmentation_id = vlan;
  return facts;
}

HostFacts mapped(const std::string& name, const std::string& ip, std::vector<std::string> physnets) {
  HostFacts facts = host(name, ip);
  facts.physnets = std::move(physnets);
  return facts;
}

// hv1 and hv2 map physnet1, hv3 maps nothing; F is flat, V is VLAN 101, O is an overlay.
class ProviderViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {provider("F", 100, "flat", "physnet1"), provider("V", 101, "vlan", "physnet1", 101),
                        net("O", 102)};
    changes.hosts = {mapped("hv1", "192.0.2.1", {"physnet1"}), mapped("hv2", "192.0.2.2", {"physnet1"}),
                     host("hv3", "192.0.2.3")};
    changes.ports = {port("f1", "F", "hv1", "fa:16:3e:00:00:f1"), port("f2", "F", "hv2", "fa:16:3e:00:00:f2"),
                     port("v1", "V", "hv1", "fa:16:3e:00:00:01"), port("o1", "O", "hv1", "fa:16:3e:00:00:a1"),
                     port("o3", "O", "hv3", "fa:16:3e:00:00:a3")};
    compiler.apply(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
};

TEST_F(ProviderViewTest, NetworkEntriesCarryTheSegmentAndNoFloodVteps) {
  const View hv1 = view_of(compiler.snapshot("hv1"));
  const auto& flat = hv1.at("net/F").network();
  EXPECT_EQ(flat.network_type(), "flat");
  EXPECT_EQ(flat.physical_network(), "physnet1");
  EXPECT_EQ(flat.segmentation_id(), 0u);
  EXPECT_THAT(flat.flood_vteps(), IsEmpty());  // hv2 holds F too: the physical segment floods
  const auto& vlan = hv1.at("net/V").network();
  EXPECT_EQ(vlan.network_type(), "vlan");
  EXPECT_EQ(vlan.segmentation_id(), 101u);
  // The overlay is unchanged: no provider fields, hv3 in the flood list.
  const auto& overlay = hv1.at("net/O").network();
  EXPECT_EQ(overlay.network_type(), "");
  EXPECT_THAT(flood_of(hv1, "O"), ElementsAre("192.0.2.3"));
  // Remote ports of a provider network stay known (ARP answered locally).
  EXPECT_TRUE(hv1.count("rport/f2"));
}

TEST_F(ProviderViewTest, APortOnAHostWithoutTheMappingFailsToBind) {
  ChangeSet bind;
  bind.ports = {port("f3", "F", "hv3", "fa:16:3e:00:00:f3")};
  auto deltas = compiler.apply_changes(bind);
  // hv3 gets nothing of F, and hv1/hv2 hear of no new port either.
  EXPECT_THAT(deltas, IsEmpty());
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv3"))), ElementsAre("lport/o3", "net/O", "rport/o1"));
  EXPECT_FALSE(view_of(compiler.snapshot("hv1")).count("rport/f3"));

  // hv3 re-registers mapping physnet1: the port binds; everyone of F sees it.
  ChangeSet remap;
  remap.hosts = {mapped("hv3", "192.0.2.3", {"physnet1"})};
  deltas = compiler.apply_changes(remap);
  View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_TRUE(hv3.count("net/F"));
  EXPECT_TRUE(hv3.count("lport/f3"));
  EXPECT_TRUE(hv3.count("rport/f1"));
  ASSERT_TRUE(delta_for(deltas, "hv1"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/f3"));

  // And loses it again when the mapping goes away.
  ChangeSet unmap;
  unmap.hosts = {host("hv3", "192.0.2.3")};
  deltas = compiler.apply_changes(unmap);
  hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_FALSE(hv3.count("net/F"));
  EXPECT_FALSE(hv3.count("lport/f3"));
  ASSERT_TRUE(delta_for(deltas, "hv1"));
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv1")), ElementsAre("rport/f3"));
}

TEST_F(ProviderViewTest, AnUnregisteredHostBindsNoProviderPort) {
  ChangeSet bind;
  bind.ports = {port("f4", "F", "hv4", "fa:16:3e:00:00:f4")};
  compiler.apply_changes(bind);
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv4"))), IsEmpty());
  ChangeSet registered;
  registered.hosts = {mapped("hv4", "192.0.2.4", {"physnet1"})};
  compiler.apply_changes(registered);
  EXPECT_TRUE(view_of(compiler.snapshot("hv4")).count("lport/f4"));
}

}  // namespace
}  // namespace overcast::controller

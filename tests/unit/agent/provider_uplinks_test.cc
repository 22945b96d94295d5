// Provider networks on the agent: the view's flat/vlan networks open the uplink of their
// physical network (and close it when none is left), their segments are bridged onto it
// (no flood VTEPs, no VXLAN peers), and a network this host cannot bridge is NACKed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

sb::ViewEntry provider(const std::string& id, uint32_t vni, const std::string& type, const std::string& physnet,
                       uint32_t vlan = 0) {
  sb::ViewEntry e = network(id, vni);
  e.mutable_network()->set_network_type(type);
  e.mutable_network()->set_physical_network(physnet);
  e.mutable_network()->set_segmentation_id(vlan);
  return e;
}

class ProviderUplinksTest : public ::testing::Test {
 protected:
  ProviderUplinksTest()
      : sink_(driver_, [this](Table t) { published_.push_back(std::move(t)); }, "",
              ProviderUplinks({{"physnet1", "eth1"}}, [this](const std::string& interface, std::string& error) {
                opened_.push_back(interface);
                if (interface_down_) {
                  error = "uplink interface eth1 is down";
                  return std::shared_ptr<dataplane::PortIo>();
                }
                return std::shared_ptr<dataplane::PortIo>(std::make_shared<NullPortIo>(interface));
              })) {}

  std::vector<sb::ViewEntry> flat_and_vlan() {
    return {provider("f", 400, "flat", "physnet1"), provider("v", 500, "vlan", "physnet1", 101),
            local_port("p1", "f", 400, "fa:16:3e:00:00:01", {"203.0.113.10"}),
            local_port("p2", "v", 500, "fa:16:3e:00:00:02"),
            remote_port("r1", "f", 400, "fa:16:3e:00:00:0a", "192.0.2.2", {"203.0.113.11"})};
  }

  FakePortDriver driver_;
  std::vector<Table> published_;
  std::vector<std::string> opened_;
  bool interface_down_ = false;
  AgentViewSink sink_;
};

TEST_F(ProviderUplinksTest, ProviderSegmentsAreBridgedOntoOneUplink) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(flat_and_vlan(), reason)) << reason;
  EXPECT_THAT(opened_, ElementsAre("eth1"));  // once for both networks
  const auto& table = *published_.back();
  const dataplane::Segment& flat = table.segments.at(400);
  const dataplane::Segment& vlan = table.segments.at(500);
  ASSERT_TRUE(flat.is_provider());
  EXPECT_EQ(flat.uplink, vlan.uplink);
  EXPECT_EQ(flat.vlan, 0u);
  EXPECT_EQ(vlan.vlan, 101u);
  const dataplane::PortEntry* uplink = table.find_port(flat.uplink);
  ASSERT_NE(uplink, nullptr);
  EXPECT_TRUE(uplink->uplink);
  EXPECT_EQ(uplink->io->name(), "eth1");
  EXPECT_EQ(uplink->uplink_vnis, (std::unordered_map<uint16_t, uint32_t>{{0, 400}, {101, 500}}));
  // The remote VM is reached through the physical segment: its MAC is no VXLAN
  // destination and its host no tunnel peer; its address is still answered locally.
  EXPECT_EQ(flat.macs.count(MacAddress::parse("fa:16:3e:00:00:0a").value()), 0u);
  EXPECT_THAT(flat.vteps, IsEmpty());
  EXPECT_THAT(flat.flood_vteps, IsEmpty());
  EXPECT_EQ(flat.arp.count(Ipv4Address::parse("203.0.113.11")->value), 1u);
  // The uplink is not a VM port: it is never reported as one.
  for (const auto& status : sink_.take_port_status_changes()) EXPECT_NE(status.port_id(), "uplink:physnet1");
}

TEST_F(ProviderUplinksTest, TheGatewayOfAProviderSubnetIsLeftToTheSegment) {
  // On the physical segment the subnet's gateway may be a real router (the lab's `ext`):
  // the DHCP server must not answer ARP for it there, as it does on overlay networks.
  auto entries = flat_and_vlan();
  entries.push_back(subnet("fs", "f", "203.0.113.0/24", "203.0.113.1"));
  entries.push_back(network("o", 600));
  entries.push_back(subnet("os", "o", "10.0.0.0/24", "10.0.0.1"));
  entries.push_back(local_port("p3", "o", 600, "fa:16:3e:00:00:03", {"10.0.0.5"}));
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(entries, reason)) << reason;
  const auto& table = *published_.back();
  EXPECT_EQ(table.segments.at(400).arp.count(Ipv4Address::parse("203.0.113.1")->value), 0u);
  EXPECT_FALSE(table.segments.at(400).dhcp_leases.empty()) << "DHCP itself is still served";
  EXPECT_EQ(table.segments.at(600).arp.count(Ipv4Address::parse("10.0.0.1")->value), 1u)
      << "the overlay network's server address still answers";
}

TEST_F(ProviderUplinksTest, TheUplinkClosesWhenNoNetworkNeedsIt) {
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(flat_and_vlan(), reason)) << reason;
  std::weak_ptr<dataplane::PortIo> io = published_.back()->find_port(published_.back()->segments.at(400).uplink)->io;
  ASSERT_TRUE(sink_.apply_delta({}, {"net/f", "lport/p1", "rport/r1"}, reason)) << reason;
  EXPECT_TRUE(published_.back()->segments.at(500).is_provider());  // the VLAN network still holds it
  ASSERT_TRUE(sink_.apply_delta({network("o", 600)}, {"net/v", "lport/p2"}, reason)) << reason;
  EXPECT_FALSE(published_.back()->segments.at(600).is_provider());
  for (const auto& port : published_.back()->ports) EXPECT_FALSE(port.uplink);
  published_.clear();  // the tables were the last holders
  EXPECT_TRUE(io.expired());
}

TEST_F(ProviderUplinksTest, AnInterfaceThatIsDownIsRetried) {
  interface_down_ = true;
  std::string reason;
  ASSERT_TRUE(sink_.apply_snapshot(flat_and_vlan(), reason)) << reason;
  EXPECT_FALSE(published_.back()->segments.at(400).is_provider());
  interface_down_ = false;
  sink_.retry_down_ports();
  EXPECT_TRUE(published_.back()->segments.at(400).is_provider());
  EXPECT_THAT(opened_, ElementsAre("eth1", "eth1"));
}

TEST_F(ProviderUplinksTest, ANetworkOfAnUnmappedPhysnetIsNacked) {
  std::string reason;
  EXPECT_FALSE(sink_.apply_snapshot({provider("x", 700, "flat", "physnet2")}, reason));
  EXPECT_THAT(reason, HasSubstr("net/x"));
  EXPECT_THAT(reason, HasSubstr("physnet2"));
  EXPECT_THAT(opened_, IsEmpty());
  EXPECT_THAT(published_, IsEmpty());
}

TEST_F(ProviderUplinksTest, TwoNetworksOnOneVlanAreNacked) {
  std::string reason;
  EXPECT_FALSE(sink_.apply_snapshot(
      {provider("a", 400, "vlan", "physnet1", 101), provider("b", 500, "vlan", "physnet1", 101)}, reason));
  EXPECT_THAT(reason, HasSubstr("VLAN 101"));
  EXPECT_FALSE(sink_.apply_snapshot({provider("a", 400, "flat", "physnet1"), provider("b", 500, "flat", "physnet1")},
                                    reason));
  EXPECT_THAT(reason, HasSubstr("untagged"));
}

TEST(ProviderFields, EachTypeHasTheFieldsItNeeds) {
  EXPECT_FALSE(validate_provider_fields("net/a", network("a", 1).network()));
  EXPECT_FALSE(validate_provider_fields("net/a", provider("a", 1, "vlan", "p", 4094).network()));
  EXPECT_FALSE(validate_provider_fields("net/a", provider("a", 1, "flat", "p").network()));
  EXPECT_THAT(*validate_provider_fields("net/a", provider("a", 1, "vlan", "p", 4095).network()),
              HasSubstr("segmentation_id 4095"));
  EXPECT_THAT(*validate_provider_fields("net/a", provider("a", 1, "vlan", "p", 0).network()),
              HasSubstr("segmentation_id 0"));
  EXPECT_THAT(*validate_provider_fields("net/a", provider("a", 1, "flat", "").network()),
              HasSubstr("physical_network"));
  EXPECT_THAT(*validate_provider_fields("net/a", provider("a", 1, "flat", "p", 5).network()),
              HasSubstr("segmentation_id"));
  EXPECT_THAT(*validate_provider_fields("net/a", provider("a", 1, "gre", "p").network()), HasSubstr("gre"));
  auto flooded = provider("a", 1, "flat", "p");
  flooded.mutable_network()->add_flood_vteps("192.0.2.9");
  EXPECT_THAT(*validate_provider_fields("net/a", flooded.network()), HasSubstr("flood_vteps"));
  // The validator applies them to every network entry.
  EXPECT_TRUE(validate_entry(provider("a", 1, "vlan", "p", 9999)));
}

}  // namespace
}  // namespace overcast::agent

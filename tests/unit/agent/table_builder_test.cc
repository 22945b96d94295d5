// Table building, through the sink as the agent uses it: what the data plane gets.
#include "agent/view/table_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "common/ip_address.h"
#include "table_capture_fixture.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using dataplane::L2Destination;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

uint32_t ip(const char* text) { return Ipv4Address::parse(text)->value; }
MacAddress mac(const char* text) { return *MacAddress::parse(text); }

class TableBuilderTest : public TableCaptureTest {};

TEST_F(TableBuilderTest, BuildsSegmentsMacsArpAndVteps) {
  const auto& t = apply({
      network("blue", 100, {"192.0.2.2", "192.0.2.3"}, 1400),
      network("red", 200, {"192.0.2.3"}),
      local_port("b1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.1", "2001:db8::1"}),
      local_port("r1", "red", 200, "fa:16:3e:00:02:01", {"10.0.0.1"}),  // overlapping tenant space
      remote_port("b2", "blue", 100, "fa:16:3e:00:01:02", "192.0.2.2", {"10.0.0.2"}),
      remote_port("b3", "blue", 100, "fa:16:3e:00:01:03", "192.0.2.4"),  // VTEP not in any flood list
  });
  ASSERT_EQ(t.segments.size(), 2u);
  const auto* blue = t.find_segment(100);
  ASSERT_NE(blue, nullptr);
  EXPECT_EQ(blue->network_id, "blue");
  EXPECT_EQ(blue->mtu, 1400u);
  EXPECT_THAT(blue->flood_vteps, ElementsAre(ip("192.0.2.2"), ip("192.0.2.3")));
  EXPECT_EQ(t.find_segment(200)->mtu, 1450u);

  ASSERT_EQ(t.ports.size(), 2u);
  const auto& b1 = blue->macs.at(mac("fa:16:3e:00:01:01"));
  EXPECT_EQ(b1.kind, L2Destination::Kind::kLocalPort);
  ASSERT_NE(t.find_port(b1.port), nullptr);
  EXPECT_EQ(t.find_port(b1.port)->port_id, "b1");
  EXPECT_EQ(t.find_port(b1.port)->vni, 100u);
  EXPECT_THAT(blue->local_ports, ElementsAre(b1.port));

  const auto& b2 = blue->macs.at(mac("fa:16:3e:00:01:02"));
  EXPECT_EQ(b2.kind, L2Destination::Kind::kRemoteVtep);
  EXPECT_EQ(b2.vtep, ip("192.0.2.2"));
  EXPECT_EQ(blue->macs.at(mac("fa:16:3e:00:01:03")).vtep, ip("192.0.2.4"));
  EXPECT_EQ(blue->macs.count(mac("fa:16:3e:00:02:01")), 0u);  // red's port is not in blue

  EXPECT_EQ(blue->arp.size(), 2u);  // IPv6 fixed IPs are not ARP entries
  EXPECT_EQ(blue->arp.at(ip("10.0.0.1")), mac("fa:16:3e:00:01:01"));
  EXPECT_EQ(blue->arp.at(ip("10.0.0.2")), mac("fa:16:3e:00:01:02"));
  EXPECT_EQ(t.find_segment(200)->arp.at(ip("10.0.0.1")), mac("fa:16:3e:00:02:01"));

  EXPECT_THAT(t.known_vteps, UnorderedElementsAre(ip("192.0.2.2"), ip("192.0.2.3"), ip("192.0.2.4")));
  // Each segment accepts tunnel traffic only from its own VTEPs: 192.0.2.2 and .4 take part
  // in blue only, so they may not send into red.
  EXPECT_THAT(blue->vteps, UnorderedElementsAre(ip("192.0.2.2"), ip("192.0.2.3"), ip("192.0.2.4")));
  EXPECT_THAT(t.find_segment(200)->vteps, UnorderedElementsAre(ip("192.0.2.3")));
}

TEST_F(TableBuilderTest, SlotsAreStableAcrossAppliesAndReusedAfterRemoval) {
  auto n = network("n", 5);
  auto a = local_port("a", "n", 5, "fa:16:3e:00:00:0a");
  auto b = local_port("b", "n", 5, "fa:16:3e:00:00:0b");
  auto c = local_port("c", "n", 5, "fa:16:3e:00:00:0c");
  auto slot_of = [](const dataplane::ForwardingTable& t, const std::string& id) {
    for (size_t i = 0; i < t.ports.size(); ++i) {
      if (t.ports[i].io && t.ports[i].port_id == id) return static_cast<int>(i);
    }
    return -1;
  };
  const auto& t1 = apply({n, a, b, c});
  int sa = slot_of(t1, "a"), sb = slot_of(t1, "b"), sc = slot_of(t1, "c");
  EXPECT_THAT((std::vector<int>{sa, sb, sc}), UnorderedElementsAre(0, 1, 2));
  auto io_b = t1.ports[sb].io;

  const auto& t2 = apply({n, a, c});  // b leaves: a and c keep their slots
  EXPECT_EQ(slot_of(t2, "a"), sa);
  EXPECT_EQ(slot_of(t2, "c"), sc);
  EXPECT_EQ(t2.find_port(sb), nullptr);
  EXPECT_EQ(t2.ports[sc].io, t1.ports[sc].io);  // the same open device, not reopened

  auto d = local_port("d", "n", 5, "fa:16:3e:00:00:0d");
  const auto& t3 = apply({n, a, c, d});  // d takes the freed slot
  EXPECT_EQ(slot_of(t3, "d"), sb);
  EXPECT_NE(t3.ports[sb].io, io_b);
  EXPECT_EQ(t3.ports.size(), 3u);
}

// A down port keeps its MAC as a local destination (local delivery drops its frames as
// port_gone): without it, unicast to the port would be flooded to every VTEP of the network.
TEST_F(TableBuilderTest, DownPortKeepsItsMacButHasNoDevice) {
  driver_.failing.insert("tapa");
  const auto& t = apply({network("n", 5, {"192.0.2.9"}), local_port("a", "n", 5, "fa:16:3e:00:00:0a", {"10.1.0.1"})});
  const auto* seg = t.find_segment(5);
  ASSERT_NE(seg, nullptr);
  ASSERT_EQ(seg->macs.count(mac("fa:16:3e:00:00:0a")), 1u);
  EXPECT_EQ(seg->macs.at(mac("fa:16:3e:00:00:0a")).kind, L2Destination::Kind::kLocalPort);
  EXPECT_TRUE(seg->local_ports.empty());
  EXPECT_EQ(t.find_port(0), nullptr);
  EXPECT_EQ(seg->arp.count(ip("10.1.0.1")), 1u);  // ARP is still answered from the view
}

TEST_F(TableBuilderTest, LocalMacWinsOverTheSameMacRemote) {
  const auto& t = apply({network("n", 5), local_port("a", "n", 5, "fa:16:3e:00:00:0a"),
                         remote_port("a-old", "n", 5, "fa:16:3e:00:00:0a", "192.0.2.7")});
  EXPECT_EQ(t.find_segment(5)->macs.at(mac("fa:16:3e:00:00:0a")).kind, L2Destination::Kind::kLocalPort);
}

}  // namespace
}  // namespace overcast::agent

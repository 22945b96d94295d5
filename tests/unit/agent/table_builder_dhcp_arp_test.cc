// The DHCP server's address answers ARP: a client ARPs for the server identifier before
// its unicast renewal, so the table gives each enabled lease's server address the DHCP
// server's MAC, unless a port already owns that address.
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "agent/view/port_services.h"
#include "table_capture_fixture.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

MacAddress mac(const char* text) { return *MacAddress::parse(text); }

class DhcpServerArpTest : public TableCaptureTest {};

TEST_F(DhcpServerArpTest, ServerIdentifierOfEachEnabledSubnetAnswersWithTheServerMac) {
  auto dhcp_off = subnet("s3", "blue", "10.3.0.0/24", "10.3.0.1");
  dhcp_off.mutable_subnet()->set_enable_dhcp(false);
  const auto& t = apply({
      network("blue", 100),
      subnet("s1", "blue", "10.0.0.0/24", "10.0.0.1"),
      subnet("s2", "blue", "10.2.0.0/24"),  // no gateway: the server is the first address
      dhcp_off,
      local_port("p1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.5"}),
      local_port("p2", "blue", 100, "fa:16:3e:00:01:02", {"10.2.0.7"}),
      local_port("p3", "blue", 100, "fa:16:3e:00:01:03", {"10.3.0.8"}),
  });
  const auto& arp = t.find_segment(100)->arp;
  ASSERT_EQ(arp.count(0x0a000001u), 1u);
  EXPECT_EQ(arp.at(0x0a000001u), kDhcpServerMac);
  ASSERT_EQ(arp.count(0x0a020001u), 1u);
  EXPECT_EQ(arp.at(0x0a020001u), kDhcpServerMac);
  EXPECT_EQ(arp.count(0x0a030001u), 0u) << "no DHCP on s3: its gateway is nobody's here";
  EXPECT_EQ(arp.at(0x0a000005u), mac("fa:16:3e:00:01:01"));  // the ports' own entries stay
}

TEST_F(DhcpServerArpTest, APortOwningTheServerAddressKeepsIt) {
  const auto& t = apply({
      network("blue", 100),
      subnet("s1", "blue", "10.0.0.0/24", "10.0.0.1"),
      local_port("p1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.5"}),
      remote_port("gw", "blue", 100, "fa:16:3e:00:0f:01", "172.16.2.12", {"10.0.0.1"}),
  });
  EXPECT_EQ(t.find_segment(100)->arp.at(0x0a000001u), mac("fa:16:3e:00:0f:01"));
}

TEST_F(DhcpServerArpTest, ANetworkWithoutLocalLeasesGetsNoServerAddress) {
  const auto& t = apply({
      network("blue", 100),
      subnet("s1", "blue", "10.0.0.0/24", "10.0.0.1"),
      remote_port("r1", "blue", 100, "fa:16:3e:00:02:01", "172.16.2.12", {"10.0.0.9"}),
  });
  EXPECT_EQ(t.find_segment(100)->arp.count(0x0a000001u), 0u);
}

}  // namespace
}  // namespace overcast::agent

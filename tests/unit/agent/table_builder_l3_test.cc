// Table building for DHCP and port security: subnets land on their network's segment,
// port security fields on the port's entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "agent/view/port_services.h"
#include "agent/view/table_builder.h"
#include "common/ip_address.h"
#include "table_capture_fixture.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

IpAddress addr(const char* text) { return *IpAddress::parse(text); }
MacAddress mac(const char* text) { return *MacAddress::parse(text); }

class TableBuilderL3Test : public TableCaptureTest {
 protected:
  const dataplane::PortEntry& port_of(const dataplane::ForwardingTable& t, const char* mac_text, uint32_t vni) {
    const auto& dest = t.find_segment(vni)->macs.at(mac(mac_text));
    return t.ports.at(dest.port);
  }

};

TEST_F(TableBuilderL3Test, SubnetsLandOnTheirNetworksSegmentOnly) {
  auto blue_v4 = subnet("s-blue4", "blue", "10.0.0.0/24", "10.0.0.1");
  blue_v4.mutable_subnet()->add_dns_nameservers("192.0.2.53");
  auto* route = blue_v4.mutable_subnet()->add_host_routes();
  route->set_destination("172.16.0.0/16");
  route->set_nexthop("10.0.0.254");
  auto blue_v4_off = subnet("s-blue0", "blue", "10.1.0.0/24");
  blue_v4_off.mutable_subnet()->set_enable_dhcp(false);
  const auto& t = apply({
      network("blue", 100),
      network("red", 200),
      blue_v4,
      blue_v4_off,
      subnet("s-red6", "red", "2001:db8::/64", "2001:db8::1", 6),
      subnet("s-gone", "green", "10.9.0.0/24"),  // network not on this host: ignored
      local_port("b1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.5"}),
      local_port("r1", "red", 200, "fa:16:3e:00:02:01", {"2001:db8::5"}),
  });
  const auto& blue = *t.find_segment(100);
  ASSERT_EQ(blue.subnets.size(), 2u);
  // Ordered by subnet id, as the view is.
  EXPECT_EQ(blue.subnets[0].subnet_id, "s-blue0");
  EXPECT_FALSE(blue.subnets[0].enable_dhcp);
  EXPECT_FALSE(blue.subnets[0].gateway.has_value());
  const auto& s4 = blue.subnets[1];
  EXPECT_EQ(s4.subnet_id, "s-blue4");
  EXPECT_TRUE(s4.enable_dhcp);
  EXPECT_EQ(s4.cidr.to_string(), "10.0.0.0/24");
  ASSERT_TRUE(s4.gateway.has_value());
  EXPECT_EQ(*s4.gateway, addr("10.0.0.1"));
  EXPECT_THAT(s4.dns_nameservers, ElementsAre(addr("192.0.2.53")));
  ASSERT_EQ(s4.host_routes.size(), 1u);
  EXPECT_EQ(s4.host_routes[0].destination.to_string(), "172.16.0.0/16");
  EXPECT_EQ(s4.host_routes[0].nexthop, addr("10.0.0.254"));

  const auto& red = *t.find_segment(200);
  ASSERT_EQ(red.subnets.size(), 1u);
  EXPECT_EQ(red.subnets[0].subnet_id, "s-red6");
  EXPECT_EQ(*red.subnets[0].gateway, addr("2001:db8::1"));
}

TEST_F(TableBuilderL3Test, PortCarriesFixedIpsPortSecurityAndPairs) {
  auto secured = local_port("p1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.5", "2001:db8::5"});
  secured.mutable_local_port()->set_port_security_enabled(true);
  auto* single = secured.mutable_local_port()->add_allowed_address_pairs();
  single->set_ip_address("10.0.0.100");
  single->set_mac_address("fa:16:3e:00:01:01");
  auto* prefix = secured.mutable_local_port()->add_allowed_address_pairs();
  prefix->set_ip_address("10.8.0.0/16");
  prefix->set_mac_address("fa:16:3e:00:00:99");
  const auto& t = apply({
      network("blue", 100),
      secured,
      local_port("p2", "blue", 100, "fa:16:3e:00:01:02", {"10.0.0.6"}),
  });
  const auto& p1 = port_of(t, "fa:16:3e:00:01:01", 100);
  EXPECT_TRUE(p1.port_security_enabled);
  EXPECT_THAT(p1.ips, ElementsAre(addr("10.0.0.5"), addr("2001:db8::5")));
  ASSERT_EQ(p1.allowed_address_pairs.size(), 2u);
  EXPECT_EQ(p1.allowed_address_pairs[0].prefix.to_string(), "10.0.0.100/32");
  EXPECT_EQ(p1.allowed_address_pairs[0].mac, mac("fa:16:3e:00:01:01"));
  EXPECT_EQ(p1.allowed_address_pairs[1].prefix.to_string(), "10.8.0.0/16");
  EXPECT_EQ(p1.allowed_address_pairs[1].mac, mac("fa:16:3e:00:00:99"));

  const auto& p2 = port_of(t, "fa:16:3e:00:01:02", 100);
  EXPECT_FALSE(p2.port_security_enabled);
  EXPECT_THAT(p2.allowed_address_pairs, IsEmpty());
}

TEST_F(TableBuilderL3Test, SpoofFilterOnlyForPortsWithPortSecurity) {
  auto secured = local_port("p1", "blue", 100, "fa:16:3e:00:01:01", {"10.0.0.5"});
  secured.mutable_local_port()->set_port_security_enabled(true);
  const auto& t = apply({network("blue", 100), secured,
                         local_port("p2", "blue", 100, "fa:16:3e:00:01:02", {"10.0.0.6"})});
  ASSERT_NE(port_of(t, "fa:16:3e:00:01:01", 100).spoof_filter, nullptr);
  EXPECT_EQ(port_of(t, "fa:16:3e:00:01:02", 100).spoof_filter, nullptr);
}

TEST_F(TableBuilderL3Test, DhcpLeasesFromTheSubnetHoldingThePortsAddress) {
  auto with_gateway = subnet("s1", "blue", "10.0.0.0/24", "10.0.0.1");
  with_gateway.mutable_subnet()->add_dns_nameservers("192.0.2.53");
  with_gateway.mutable_subnet()->add_dns_nameservers("2001:db8::53");  // not for DHCPv4
  auto* route = with_gateway.mutable_subnet()->add_host_routes();
  route->set_destination("172.16.0.0/12");
  route->set_nexthop("10.0.0.254");
  auto dhcp_off = subnet("s3", "blue", "10.3.0.0/24", "10.3.0.1");
  dhcp_off.mutable_subnet()->set_enable_dhcp(false);
  const auto& t = apply({
      network("blue", 100, {}, 1400),
      with_gateway,
      subnet("s2", "blue", "10.2.0.0/24"),  // no gateway
      dhcp_off,
      local_port("p1", "blue", 100, "fa:16:3e:00:01:01", {"2001:db8::5", "10.0.0.5"}),
      local_port("p2", "blue", 100, "fa:16:3e:00:01:02", {"10.2.0.7"}),
      local_port("p3", "blue", 100, "fa:16:3e:00:01:03", {"10.3.0.8"}),
      local_port("p4", "blue", 100, "fa:16:3e:00:01:04", {"10.99.0.9"}),  // in no subnet
  });
  const auto& leases = t.find_segment(100)->dhcp_leases;
  ASSERT_EQ(leases.size(), 3u);
  const auto& p1 = leases.at(mac("fa:16:3e:00:01:01").to_u64());
  EXPECT_TRUE(p1.enabled);
  EXPECT_EQ(p1.lease.address, 0x0a000005u);
  EXPECT_EQ(p1.lease.prefix_length, 24);
  EXPECT_EQ(p1.lease.router, std::optional<uint32_t>(0x0a000001u));
  EXPECT_EQ(p1.lease.mtu, 1400);
  EXPECT_THAT(p1.lease.dns_servers, ElementsAre(0xc0000235u));
  ASSERT_EQ(p1.lease.host_routes.size(), 1u);
  EXPECT_EQ(p1.lease.host_routes[0].destination, 0xac100000u);
  EXPECT_EQ(p1.lease.host_routes[0].prefix_length, 12);
  EXPECT_EQ(p1.lease.host_routes[0].next_hop, 0x0a0000feu);
  EXPECT_EQ(p1.server.address, 0x0a000001u);  // the gateway
  EXPECT_EQ(p1.server.mac, kDhcpServerMac);

  const auto& p2 = leases.at(mac("fa:16:3e:00:01:02").to_u64());
  EXPECT_FALSE(p2.lease.router.has_value());
  EXPECT_EQ(p2.server.address, 0x0a020001u);  // the subnet's first address
  EXPECT_FALSE(leases.at(mac("fa:16:3e:00:01:03").to_u64()).enabled);
  EXPECT_EQ(leases.count(mac("fa:16:3e:00:01:04").to_u64()), 0u);
}

TEST_F(TableBuilderL3Test, BadSubnetIsRefusedAndTheTableKept) {
  apply({network("blue", 100), subnet("s1", "blue", "10.0.0.0/24")});
  size_t tables = tables_.size();
  std::string reason;
  EXPECT_FALSE(sink_.apply_snapshot({network("blue", 100), subnet("s1", "blue", "10.0.0.0/24", "10.1.0.1")}, reason));
  EXPECT_THAT(reason, ::testing::HasSubstr("subnet/s1: gateway_ip '10.1.0.1' is outside"));
  EXPECT_EQ(tables_.size(), tables);
}

}  // namespace
}  // namespace overcast::agent

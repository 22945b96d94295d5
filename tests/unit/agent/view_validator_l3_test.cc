// Validation of what DHCP and port security need: subnet entries and the port security
// fields of local ports. A bad value NACKs the view with a reason naming entry and field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/view_validator.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::HasSubstr;

std::string reason_of(const sb::ViewEntry& e) { return validate_entry(e).value_or(""); }

sb::ViewEntry full_subnet() {
  auto e = subnet("s1", "n1", "10.0.0.0/24", "10.0.0.1");
  e.mutable_subnet()->add_dns_nameservers("192.0.2.53");
  e.mutable_subnet()->add_dns_nameservers("2001:db8::53");
  auto* route = e.mutable_subnet()->add_host_routes();
  route->set_destination("172.16.0.0/16");
  route->set_nexthop("10.0.0.254");
  return e;
}

sb::ViewEntry secured_port(std::vector<std::pair<std::string, std::string>> pairs) {
  auto e = local_port("p1", "n1", 100, "fa:16:3e:00:00:01", {"10.0.0.5"});
  e.mutable_local_port()->set_port_security_enabled(true);
  for (const auto& [ip, mac] : pairs) {
    auto* pair = e.mutable_local_port()->add_allowed_address_pairs();
    pair->set_ip_address(ip);
    pair->set_mac_address(mac);
  }
  return e;
}

TEST(SubnetEntryValidationTest, AcceptsWellFormedSubnets) {
  EXPECT_EQ(validate_entry(full_subnet()), std::nullopt);
  EXPECT_EQ(validate_entry(subnet("s2", "n1", "10.0.1.0/24")), std::nullopt);  // no gateway
  EXPECT_EQ(validate_entry(subnet("s6", "n1", "2001:db8::/64", "2001:db8::1", 6)), std::nullopt);
}

TEST(SubnetEntryValidationTest, RejectsKeyAndIdMismatch) {
  auto e = subnet("s1", "n1", "10.0.0.0/24");
  e.set_key("subnet/other");
  EXPECT_THAT(reason_of(e), HasSubstr("subnet/other: key does not match"));
  EXPECT_THAT(reason_of(subnet("s1", "", "10.0.0.0/24")), HasSubstr("subnet/s1: network_id is empty"));
}

TEST(SubnetEntryValidationTest, RejectsBadCidrAndVersion) {
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0")), HasSubstr("subnet/s1: cidr '10.0.0.0'"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.5/24")), HasSubstr("is not a network prefix"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/33")), HasSubstr("cidr"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/24", "", 5)), HasSubstr("ip_version 5"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/24", "", 6)), HasSubstr("is not IPv6"));
}

TEST(SubnetEntryValidationTest, RejectsGatewayOutsideOrUnparsable) {
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/24", "10.0.1.1")), HasSubstr("gateway_ip '10.0.1.1' is outside"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/24", "2001:db8::1")), HasSubstr("is outside"));
  EXPECT_THAT(reason_of(subnet("s1", "n1", "10.0.0.0/24", "gw")), HasSubstr("gateway_ip 'gw' is not an IP address"));
}

TEST(SubnetEntryValidationTest, RejectsBadDnsAndHostRoutes) {
  auto dns = full_subnet();
  dns.mutable_subnet()->set_dns_nameservers(1, "ns.example");
  EXPECT_THAT(reason_of(dns), HasSubstr("dns_nameservers[1] 'ns.example'"));
  auto destination = full_subnet();
  destination.mutable_subnet()->mutable_host_routes(0)->set_destination("172.16.0.0");
  EXPECT_THAT(reason_of(destination), HasSubstr("host_routes[0].destination '172.16.0.0'"));
  auto nexthop = full_subnet();
  nexthop.mutable_subnet()->mutable_host_routes(0)->set_nexthop("");
  EXPECT_THAT(reason_of(nexthop), HasSubstr("host_routes[0].nexthop"));
}

TEST(PortSecurityValidationTest, AcceptsPairsOfAddressesAndPrefixes) {
  EXPECT_EQ(validate_entry(secured_port({{"10.0.0.100", "fa:16:3e:00:00:01"}, {"10.9.0.0/16", "fa:16:3e:00:00:99"},
                                         {"2001:db8::/64", "fa:16:3e:00:00:01"}})),
            std::nullopt);
  // Port security off and no pairs: what an older controller sends too.
  EXPECT_EQ(validate_entry(local_port("p1", "n1", 100, "fa:16:3e:00:00:01")), std::nullopt);
}

TEST(PortSecurityValidationTest, RejectsBadPairs) {
  EXPECT_THAT(reason_of(secured_port({{"10.0.0.300", "fa:16:3e:00:00:01"}})),
              HasSubstr("lport/p1: allowed_address_pairs[0].ip_address '10.0.0.300'"));
  EXPECT_THAT(reason_of(secured_port({{"10.0.0.1", "fa:16:3e:00:00:01"}, {"10.0.0.2", "01:00:5e:00:00:01"}})),
              HasSubstr("lport/p1: allowed_address_pairs[1].mac '01:00:5e:00:00:01' is not a unicast MAC"));
  EXPECT_THAT(reason_of(secured_port({{"10.0.0.1", ""}})), HasSubstr("allowed_address_pairs[0].mac"));
}

TEST(PortSecurityValidationTest, RejectsPairsWithoutPortSecurity) {
  auto e = secured_port({{"10.0.0.100", "fa:16:3e:00:00:01"}});
  e.mutable_local_port()->set_port_security_enabled(false);
  EXPECT_THAT(reason_of(e), HasSubstr("allowed_address_pairs are set while port_security_enabled is false"));
}

TEST(SubnetEntryValidationTest, SubnetRemovalKeysAreKnown) {
  EXPECT_EQ(validate_removal_key("subnet/s1"), std::nullopt);
  EXPECT_NE(validate_removal_key("subnet/"), std::nullopt);
  EXPECT_NE(validate_removal_key("subnets/s1"), std::nullopt);
}

}  // namespace
}  // namespace overcast::agent

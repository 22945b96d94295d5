// Router entries in the agent: the validator refuses malformed ones with a reason naming
// entry and field; the table builder compiles a router's LPM table, marks its interface
// MACs on their segments and answers its addresses by ARP suppression.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "agent/view/view_validator.h"
#include "table_capture_fixture.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::HasSubstr;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

sb::ViewEntry router(const std::string& id, std::vector<std::array<std::string, 4>> interfaces,
                     std::vector<std::pair<std::string, std::string>> routes = {}) {
  sb::ViewEntry e;
  e.set_key("router/" + id);
  auto* r = e.mutable_router();
  r->set_router_id(id);
  r->set_project_id("tenant");
  r->set_admin_up(true);
  for (const auto& [network, vni, address, mac] : interfaces) {
    auto* i = r->add_interfaces();
    i->set_port_id("rp-" + network);
    i->set_network_id(network);
    i->set_vni(static_cast<uint32_t>(std::stoul(vni)));
    i->set_subnet_id("s-" + network);
    i->set_address(address);
    i->set_mac(mac);
  }
  for (const auto& [destination, nexthop] : routes) {
    auto* route = r->add_routes();
    route->set_destination(destination);
    route->set_nexthop(nexthop);
  }
  return e;
}

sb::ViewEntry router_ab() {
  return router("R", {{"a", "100", "10.1.0.1/24", "fa:16:3e:00:01:0a"}, {"b", "200", "10.2.0.1/24", "fa:16:3e:00:01:0b"}},
                {{"172.16.0.0/16", "10.2.0.99"}});
}

std::string reason_of(const sb::ViewEntry& e) { return validate_entry(e).value_or(""); }

TEST(RouterEntryValidationTest, AcceptsAWellFormedRouter) { EXPECT_EQ(validate_entry(router_ab()), std::nullopt); }

TEST(RouterEntryValidationTest, RefusesMalformedFieldsNamingThem) {
  auto e = router_ab();
  e.set_key("router/other");
  EXPECT_THAT(reason_of(e), HasSubstr("key does not match"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(1)->set_vni(0);
  EXPECT_THAT(reason_of(e), HasSubstr("router/R: interfaces[1].vni 0"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(0)->set_address("10.1.0.1");
  EXPECT_THAT(reason_of(e), HasSubstr("interfaces[0].address '10.1.0.1' is not an address/length"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(0)->set_address("10.1.0.0/24");
  EXPECT_THAT(reason_of(e), HasSubstr("network address"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(0)->set_address("10.1.0.255/24");
  EXPECT_THAT(reason_of(e), HasSubstr("broadcast address"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(0)->set_mac("ff:ff:ff:ff:ff:ff");
  EXPECT_THAT(reason_of(e), HasSubstr("interfaces[0].mac"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(1)->set_mac("FA:16:3E:00:01:0A");
  EXPECT_THAT(reason_of(e), HasSubstr("also another interface's"));
  e = router_ab();
  e.mutable_router()->mutable_interfaces(0)->set_network_id("a/b");
  EXPECT_THAT(reason_of(e), HasSubstr("interfaces[0].network_id"));
  e = router_ab();
  e.mutable_router()->mutable_routes(0)->set_destination("172.16.0.1/16");
  EXPECT_THAT(reason_of(e), HasSubstr("routes[0].destination"));
  e = router_ab();
  e.mutable_router()->mutable_routes(0)->set_nexthop("2001:db8::1");
  EXPECT_THAT(reason_of(e), HasSubstr("routes[0].nexthop"));
  e = router_ab();
  e.mutable_router()->set_router_id("");
  EXPECT_THAT(reason_of(e), HasSubstr("router_id"));
}

TEST(RouterEntryValidationTest, InterfaceVniMustBeItsNetworks) {
  ViewMap view;
  view["net/a"] = network("a", 100);
  auto r = router_ab();
  r.mutable_router()->mutable_interfaces(0)->set_vni(101);
  view["router/R"] = r;
  EXPECT_THAT(validate_view(view).value_or(""), HasSubstr("router/R: vni 101 differs from network 'a'"));
  EXPECT_EQ(validate_removal_key("router/R"), std::nullopt);
}

class RouterTableTest : public TableCaptureTest {};

uint32_t v4(const char* text) { return Ipv4Address::parse(text)->value; }

TEST_F(RouterTableTest, RouterMacsGatewayArpAndLpm) {
  auto b = network("b", 200);
  b.mutable_network()->add_routed_vteps("192.0.2.7");
  const auto& t = apply({network("a", 100), b, local_port("pa", "a", 100, "fa:16:3e:00:00:a1", {"10.1.0.5"}),
                         remote_port("pb", "b", 200, "fa:16:3e:00:00:b1", "192.0.2.2", {"10.2.0.5"}), router_ab()});
  const auto& sa = *t.find_segment(100);
  const auto& sb = *t.find_segment(200);
  EXPECT_TRUE(sb.vteps.count(v4("192.0.2.7")));  // routed into b: accepted, not flooded to
  EXPECT_TRUE(sb.flood_vteps.empty());
  EXPECT_TRUE(t.known_vteps.count(v4("192.0.2.7")));
  ASSERT_EQ(sa.router_ports.size(), 1u);
  const auto& port_a = sa.router_ports.at(*MacAddress::parse("fa:16:3e:00:01:0a"));
  const auto& r = *port_a.router;
  EXPECT_EQ(r.router_id, "R");
  EXPECT_EQ(r.interfaces[port_a.interface].address, v4("10.1.0.1"));
  // Both segments point at one instance.
  EXPECT_EQ(sb.router_ports.at(*MacAddress::parse("fa:16:3e:00:01:0b")).router.get(), &r);
  EXPECT_EQ(sa.arp.at(v4("10.1.0.1")), *MacAddress::parse("fa:16:3e:00:01:0a"));
  EXPECT_EQ(sb.arp.at(v4("10.2.0.1")), *MacAddress::parse("fa:16:3e:00:01:0b"));
  const auto* connected = r.routes.lookup(v4("10.2.0.5"));
  ASSERT_NE(connected, nullptr);
  EXPECT_TRUE(connected->connected);
  EXPECT_EQ(r.interfaces[connected->interface].vni, 200u);
  const auto* via = r.routes.lookup(v4("172.16.3.4"));
  ASSERT_NE(via, nullptr);
  EXPECT_FALSE(via->connected);
  EXPECT_EQ(static_cast<uint32_t>(via->next_hop), v4("10.2.0.99"));
  EXPECT_EQ(r.interfaces[via->interface].vni, 200u);
  EXPECT_EQ(r.routes.lookup(v4("8.8.8.8")), nullptr);
}

TEST_F(RouterTableTest, InterfacesOnAbsentSegmentsAndDownRoutersAreLeftOut) {
  const auto& t = apply({network("a", 100), local_port("pa", "a", 100, "fa:16:3e:00:00:a1", {"10.1.0.5"}),
                         router_ab()});
  const auto& r = *t.find_segment(100)->router_ports.begin()->second.router;
  EXPECT_EQ(r.interfaces.size(), 1u);
  EXPECT_EQ(r.routes.lookup(v4("172.16.3.4")), nullptr);  // its next hop's subnet is not here
  auto down = router_ab();
  down.mutable_router()->set_admin_up(false);
  const auto& t2 = apply({network("a", 100), local_port("pa", "a", 100, "fa:16:3e:00:00:a1", {"10.1.0.5"}), down});
  EXPECT_TRUE(t2.find_segment(100)->router_ports.empty());
  EXPECT_FALSE(t2.find_segment(100)->arp.count(v4("10.1.0.1")));
}

// Two tenants with the same addresses: each segment knows only its own router.
TEST_F(RouterTableTest, OverlappingTenantsKeepTheirOwnRouters) {
  auto r1 = router("R1", {{"a1", "101", "10.0.0.1/24", "fa:16:3e:00:02:01"}, {"b1", "201", "10.9.0.1/24", "fa:16:3e:00:02:02"}});
  auto r2 = router("R2", {{"a2", "102", "10.0.0.1/24", "fa:16:3e:00:03:01"}, {"b2", "202", "10.9.0.1/24", "fa:16:3e:00:03:02"}});
  const auto& t = apply({network("a1", 101), network("b1", 201), network("a2", 102), network("b2", 202), r1, r2});
  const auto& via1 = t.find_segment(101)->router_ports;
  const auto& via2 = t.find_segment(102)->router_ports;
  ASSERT_EQ(via1.size(), 1u);
  ASSERT_EQ(via2.size(), 1u);
  EXPECT_EQ(via1.begin()->second.router->router_id, "R1");
  EXPECT_EQ(via2.begin()->second.router->router_id, "R2");
  const auto* to1 = via1.begin()->second.router->routes.lookup(v4("10.9.0.5"));
  ASSERT_NE(to1, nullptr);
  EXPECT_EQ(via1.begin()->second.router->interfaces[to1->interface].vni, 201u);
  const auto* to2 = via2.begin()->second.router->routes.lookup(v4("10.9.0.5"));
  ASSERT_NE(to2, nullptr);
  EXPECT_EQ(via2.begin()->second.router->interfaces[to2->interface].vni, 202u);
}

}  // namespace
}  // namespace overcast::agent

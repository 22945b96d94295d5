// A router's external gateway in the agent: the validator refuses a malformed external
// leg or floating IP naming the field; the builder gives the router its ExternalGateway
// (which host serves it, its VTEP) and a default route to it that a tenant's own default
// route overrides.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "agent/view/view_validator.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::HasSubstr;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;

uint32_t v4(const char* text) { return Ipv4Address::parse(text)->value; }

sb::ViewEntry router_with_gateway(const std::string& gateway_host, const std::string& gateway_vtep) {
  sb::ViewEntry e;
  e.set_key("router/R");
  auto* r = e.mutable_router();
  r->set_router_id("R");
  r->set_project_id("tenant");
  r->set_admin_up(true);
  auto* i = r->add_interfaces();
  i->set_port_id("rp-a");
  i->set_network_id("a");
  i->set_vni(100);
  i->set_subnet_id("s-a");
  i->set_address("10.1.0.1/24");
  i->set_mac("fa:16:3e:00:01:0a");
  auto* x = r->mutable_external();
  x->set_network_id("public");
  x->set_address("203.0.113.10/24");
  x->set_mac("fa:16:3e:00:01:ee");
  x->set_enable_snat(true);
  x->set_gateway_ip("203.0.113.1");
  x->set_gateway_host(gateway_host);
  x->set_gateway_vtep(gateway_vtep);
  auto* f = r->add_floating_ips();
  f->set_floating_ip("203.0.113.20");
  f->set_fixed_ip("10.1.0.5");
  f->set_port_id("pa");
  return e;
}

std::string reason_of(const sb::ViewEntry& e) { return validate_entry(e).value_or(""); }

TEST(RouterGatewayValidationTest, AcceptsAWellFormedGatewayWithOrWithoutAnActiveHost) {
  EXPECT_EQ(validate_entry(router_with_gateway("hv2", "192.0.2.2")), std::nullopt);
  EXPECT_EQ(validate_entry(router_with_gateway("", "")), std::nullopt);
}

TEST(RouterGatewayValidationTest, RefusesMalformedFieldsNamingThem) {
  auto e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_external()->set_address("2001:db8::5/64");
  EXPECT_THAT(reason_of(e), HasSubstr("router/R: external.address"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_external()->set_mac("01:00:5e:00:00:01");
  EXPECT_THAT(reason_of(e), HasSubstr("external.mac"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_external()->set_gateway_vtep("hv2");
  EXPECT_THAT(reason_of(e), HasSubstr("external.gateway_vtep 'hv2'"));
  e = router_with_gateway("hv2", "");
  EXPECT_THAT(reason_of(e), HasSubstr("both be set or both be empty"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_external()->set_gateway_ip("nope");
  EXPECT_THAT(reason_of(e), HasSubstr("external.gateway_ip 'nope'"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_external()->set_network_id("");
  EXPECT_THAT(reason_of(e), HasSubstr("external.network_id"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->mutable_floating_ips(0)->set_fixed_ip("10.1.0");
  EXPECT_THAT(reason_of(e), HasSubstr("floating_ips[0].fixed_ip '10.1.0'"));
  e = router_with_gateway("hv2", "192.0.2.2");
  *e.mutable_router()->add_floating_ips() = e.router().floating_ips(0);
  EXPECT_THAT(reason_of(e), HasSubstr("floating_ips[1].floating_ip '203.0.113.20' is given twice"));
  e = router_with_gateway("hv2", "192.0.2.2");
  e.mutable_router()->clear_external();
  EXPECT_THAT(reason_of(e), HasSubstr("floating_ips without an external gateway"));
}

class RouterGatewayTableTest : public ::testing::Test {
 protected:
  RouterGatewayTableTest() : sink_(driver_, [this](Table t) { tables_.push_back(std::move(t)); }) {
    sink_.set_local_host("hv1");
  }
  const dataplane::route::RouterInstance& router_of(const std::vector<sb::ViewEntry>& entries) {
    std::string reason;
    EXPECT_TRUE(sink_.apply_snapshot(entries, reason)) << reason;
    return *tables_.back()->find_segment(100)->router_ports.begin()->second.router;
  }
  FakePortDriver driver_;
  std::vector<Table> tables_;
  AgentViewSink sink_;
};

TEST_F(RouterGatewayTableTest, ExternalGatewayAndDefaultRouteToIt) {
  const auto& r = router_of({network("a", 100), router_with_gateway("hv2", "192.0.2.2")});
  ASSERT_TRUE(r.external.has_value());
  EXPECT_EQ(r.external->network_id, "public");
  EXPECT_EQ(r.external->address, v4("203.0.113.10"));
  EXPECT_EQ(r.external->prefix_length, 24);
  EXPECT_EQ(r.external->mac, *MacAddress::parse("fa:16:3e:00:01:ee"));
  EXPECT_EQ(r.external->next_hop, v4("203.0.113.1"));
  EXPECT_TRUE(r.external->enable_snat);
  EXPECT_EQ(r.external->gateway_vtep, v4("192.0.2.2"));
  EXPECT_FALSE(r.external->served_here);  // hv2 serves it, this is hv1
  const auto* out = r.routes.lookup(v4("8.8.8.8"));
  ASSERT_NE(out, nullptr);
  EXPECT_TRUE(out->external);
  const auto* connected = r.routes.lookup(v4("10.1.0.7"));
  ASSERT_NE(connected, nullptr);
  EXPECT_FALSE(connected->external);
}

TEST_F(RouterGatewayTableTest, ServedHereWhenThisHostIsTheGatewayHost) {
  const auto& r = router_of({network("a", 100), router_with_gateway("hv1", "192.0.2.1")});
  ASSERT_TRUE(r.external.has_value());
  EXPECT_TRUE(r.external->served_here);
}

TEST_F(RouterGatewayTableTest, ATenantDefaultRouteWinsAndNoGatewayNoDefault) {
  auto e = router_with_gateway("hv2", "192.0.2.2");
  auto* route = e.mutable_router()->add_routes();
  route->set_destination("0.0.0.0/0");
  route->set_nexthop("10.1.0.254");
  const auto* out = router_of({network("a", 100), e}).routes.lookup(v4("8.8.8.8"));
  ASSERT_NE(out, nullptr);
  EXPECT_FALSE(out->external);
  EXPECT_EQ(static_cast<uint32_t>(out->next_hop), v4("10.1.0.254"));
  auto plain = router_with_gateway("hv2", "192.0.2.2");
  plain.mutable_router()->clear_external();
  plain.mutable_router()->clear_floating_ips();
  const auto& r = router_of({network("a", 100), plain});
  EXPECT_FALSE(r.external.has_value());
  EXPECT_EQ(r.routes.lookup(v4("8.8.8.8")), nullptr);
}

// The host serving the gateway: the external network's segment holds the router's NAT
// config by its external MAC and the addresses it answers ARP for there.
class RouterGatewaySegmentTest : public RouterGatewayTableTest {
 protected:
  const dataplane::ForwardingTable& table_of(const std::vector<sb::ViewEntry>& entries) {
    std::string reason;
    EXPECT_TRUE(sink_.apply_snapshot(entries, reason)) << reason;
    return *tables_.back();
  }
  static const dataplane::route::RouterInstance& router_in(const dataplane::ForwardingTable& table) {
    return *table.find_segment(100)->router_ports.begin()->second.router;
  }
  const MacAddress external_mac_ = *MacAddress::parse("fa:16:3e:00:01:ee");
};

TEST_F(RouterGatewaySegmentTest, TheServingHostGetsTheGatewayOnTheExternalSegment) {
  const auto& table = table_of({network("a", 100), network("public", 600), router_with_gateway("hv1", "192.0.2.1")});
  const auto* outside = table.find_segment(600);
  ASSERT_NE(outside, nullptr);
  ASSERT_EQ(outside->gateways.size(), 1u);
  auto it = outside->gateways.find(external_mac_);
  ASSERT_NE(it, outside->gateways.end());
  const dataplane::gateway::RouterGateway& gateway = *it->second;
  EXPECT_EQ(gateway.nat.external_ip, v4("203.0.113.10"));
  EXPECT_TRUE(gateway.nat.enable_snat);
  EXPECT_EQ(gateway.nat.fixed_by_floating, (std::unordered_map<uint32_t, uint32_t>{{v4("203.0.113.20"), v4("10.1.0.5")}}));
  EXPECT_EQ(gateway.nat.floating_by_fixed, (std::unordered_map<uint32_t, uint32_t>{{v4("10.1.0.5"), v4("203.0.113.20")}}));
  EXPECT_EQ(gateway.nat.zone, 0);  // zones are the gateway stage's to assign
  EXPECT_EQ(outside->gateway_addresses, (std::unordered_map<uint32_t, MacAddress>{
                                            {v4("203.0.113.10"), external_mac_}, {v4("203.0.113.20"), external_mac_}}));
  // The gateway routes with the very router the tenant's segment has.
  const auto& router = router_in(table);
  EXPECT_EQ(gateway.router.get(), &router);
  ASSERT_TRUE(router.external.has_value());
  EXPECT_EQ(router.external->vni, 600u);
  EXPECT_TRUE(router.external->served_here);
  EXPECT_TRUE(table.find_segment(100)->gateways.empty());
  EXPECT_TRUE(table.find_segment(100)->gateway_addresses.empty());
}

TEST_F(RouterGatewaySegmentTest, SnatOffIsCarriedToTheNatConfig) {
  auto entry = router_with_gateway("hv1", "192.0.2.1");
  entry.mutable_router()->mutable_external()->set_enable_snat(false);
  const auto& table = table_of({network("a", 100), network("public", 600), entry});
  ASSERT_EQ(table.find_segment(600)->gateways.count(external_mac_), 1u);
  EXPECT_FALSE(table.find_segment(600)->gateways.at(external_mac_)->nat.enable_snat);
  EXPECT_FALSE(router_in(table).external->enable_snat);
}

TEST_F(RouterGatewaySegmentTest, AHostNotServingTheGatewayGetsNone) {
  const auto& table = table_of({network("a", 100), network("public", 600), router_with_gateway("hv2", "192.0.2.2")});
  const auto* outside = table.find_segment(600);
  ASSERT_NE(outside, nullptr);
  EXPECT_TRUE(outside->gateways.empty());
  EXPECT_TRUE(outside->gateway_addresses.empty());
  const auto& router = router_in(table);
  EXPECT_FALSE(router.external->served_here);
  EXPECT_EQ(router.external->vni, 600u);  // the external segment is here, the gateway is not
  EXPECT_EQ(router.external->gateway_vtep, v4("192.0.2.2"));
}

TEST_F(RouterGatewaySegmentTest, WithoutTheExternalNetworkHereTheGatewayHasNowhereToLive) {
  const auto& table = table_of({network("a", 100), router_with_gateway("hv1", "192.0.2.1")});
  for (const auto& [vni, segment] : table.segments) {
    EXPECT_TRUE(segment.gateways.empty()) << vni;
    EXPECT_TRUE(segment.gateway_addresses.empty()) << vni;
  }
  EXPECT_EQ(router_in(table).external->vni, 0u);
}

}  // namespace
}  // namespace overcast::agent

namespace overcast::agent {
namespace {

// Floating IPs NATed on the VM's own host (served_by_host names it): that host's external
// segment gets a gateway of its own, on a MAC of the host's, with those floating IPs only
// and no SNAT; the gateway host leaves them out of its own.
class LocalFloatingIpTest : public RouterGatewaySegmentTest {
 protected:
  // R's floating IP 203.0.113.20 -> 10.1.0.5 NATed by `served_by`, and 203.0.113.21 ->
  // 10.1.0.6 by the gateway host (hv2, or this host hv1 with `gateway_here`).
  std::vector<sb::ViewEntry> view(const std::string& served_by, bool gateway_here = false) {
    auto entry = gateway_here ? router_with_gateway("hv1", "192.0.2.1") : router_with_gateway("hv2", "192.0.2.2");
    entry.mutable_router()->mutable_floating_ips(0)->set_served_by_host(served_by);
    auto* other = entry.mutable_router()->add_floating_ips();
    other->set_floating_ip("203.0.113.21");
    other->set_fixed_ip("10.1.0.6");
    other->set_port_id("pb");
    return {network("a", 100), network("public", 600), entry};
  }
};

TEST_F(LocalFloatingIpTest, TheVmHostNatsItsOwnFloatingIpOnAMacOfItsOwn) {
  const auto& table = table_of(view("hv1"));
  const auto& router = router_in(table);
  ASSERT_TRUE(router.external.has_value());
  EXPECT_FALSE(router.external->served_here);
  EXPECT_EQ(router.external->local_fixed_ips, std::vector<uint32_t>{v4("10.1.0.5")});
  EXPECT_TRUE(router.external->nats_locally(v4("10.1.0.5")));
  EXPECT_FALSE(router.external->nats_locally(v4("10.1.0.6")));  // the gateway host's
  const MacAddress mac = router.external->local_mac;
  EXPECT_FALSE(mac.is_multicast());
  EXPECT_TRUE(mac.bytes[0] & 0x02);  // locally administered
  EXPECT_NE(mac, external_mac_);     // never the router's own: the gateway host answers for that one
  const auto* outside = table.find_segment(600);
  ASSERT_EQ(outside->gateways.size(), 1u);
  ASSERT_EQ(outside->gateways.count(mac), 1u);
  const auto& gateway = *outside->gateways.at(mac);
  EXPECT_EQ(gateway.nat.external_ip, 0u);
  EXPECT_FALSE(gateway.nat.enable_snat);
  EXPECT_EQ(gateway.nat.fixed_by_floating, (std::unordered_map<uint32_t, uint32_t>{{v4("203.0.113.20"), v4("10.1.0.5")}}));
  EXPECT_EQ(outside->gateway_addresses, (std::unordered_map<uint32_t, MacAddress>{{v4("203.0.113.20"), mac}}));
  EXPECT_EQ(gateway.router.get(), &router);
}

TEST_F(LocalFloatingIpTest, TheMacIsTheSameAtEveryBuildAndDiffersPerHost) {
  const MacAddress first = router_in(table_of(view("hv1"))).external->local_mac;
  const MacAddress again = router_in(table_of(view("hv1"))).external->local_mac;
  EXPECT_EQ(first, again);
  sink_.set_local_host("hv3");
  const MacAddress other_host = router_in(table_of(view("hv3"))).external->local_mac;
  EXPECT_NE(first, other_host);
}

TEST_F(LocalFloatingIpTest, AnotherHostsFloatingIpIsNotNatedHere) {
  const auto& table = table_of(view("hv3"));
  EXPECT_TRUE(router_in(table).external->local_fixed_ips.empty());
  EXPECT_TRUE(table.find_segment(600)->gateways.empty());
  EXPECT_TRUE(table.find_segment(600)->gateway_addresses.empty());
}

TEST_F(LocalFloatingIpTest, TheGatewayHostLeavesAVmHostsFloatingIpAlone) {
  const auto& table = table_of(view("hv3", /*gateway_here=*/true));
  const auto* outside = table.find_segment(600);
  ASSERT_EQ(outside->gateways.count(external_mac_), 1u);
  const auto& gateway = *outside->gateways.at(external_mac_);
  EXPECT_EQ(gateway.nat.fixed_by_floating, (std::unordered_map<uint32_t, uint32_t>{{v4("203.0.113.21"), v4("10.1.0.6")}}));
  EXPECT_EQ(outside->gateway_addresses,
            (std::unordered_map<uint32_t, MacAddress>{{v4("203.0.113.10"), external_mac_},
                                                      {v4("203.0.113.21"), external_mac_}}));
  EXPECT_TRUE(router_in(table).external->local_fixed_ips.empty());
}

}  // namespace
}  // namespace overcast::agent

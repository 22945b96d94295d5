// The L3 gateway across tables and tenants: a host that takes a router's gateway over
// announces its addresses (gratuitous ARP), one that loses it ends its connections, and
// two tenants' identical inside addresses never meet (one zone per router)
// (gateway_stage_fixture.h).
#include <algorithm>

#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

std::vector<uint8_t> gratuitous(uint32_t ip) {
  return arp_frame(1, MacAddress::broadcast(), kExternalMac, ip, MacAddress{}, ip);
}

std::vector<std::vector<uint8_t>> sorted(std::vector<std::vector<uint8_t>> frames) {
  std::sort(frames.begin(), frames.end());
  return frames;
}

using GatewayFailoverTest = GatewayStageTest;

TEST_F(GatewayFailoverTest, ANewlyServedRouterAnnouncesEachOfItsAddressesOnce) {
  // The fixture's table made this host R's gateway host.
  pipeline_.housekeeping();
  EXPECT_EQ(sorted(uplink().sent()), sorted({gratuitous(kExternalIp), gratuitous(kFloatingIp)}));
  EXPECT_EQ(sent_total(), 2u);
  EXPECT_EQ(counter("gateway", "announcements"), 2u);
  // A later table that still serves it: nothing more to announce.
  uplink().clear_sent();
  publish();
  pipeline_.housekeeping();
  EXPECT_EQ(uplink().sent_count(), 0u);
  // Lost, then served again (failover and back): announced again.
  move_gateway_away(kVtep2);
  pipeline_.housekeeping();
  EXPECT_EQ(uplink().sent_count(), 0u);
  Segment& outside = table_->segments[kExternalVni];
  router_ = make_router("R", kTenantVni, kRouterMac, kExternalIp, kExternalMac, true, 0);
  install(router_, {{kFloatingIp, kVm1}});
  ASSERT_EQ(outside.gateway_addresses.size(), 2u);
  publish();
  pipeline_.housekeeping();
  EXPECT_EQ(sorted(uplink().sent()), sorted({gratuitous(kExternalIp), gratuitous(kFloatingIp)}));
  expect_no_leak();
}

TEST_F(GatewayFailoverTest, ARouterNoLongerServedHereEndsItsConnections) {
  resolve_next_hop();  // its first frame opened one connection
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, tcp_syn(40000, 443)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  const uint16_t port = source_port(uplink().sent()[0]);
  EXPECT_EQ(counter("gateway_conntrack", "connections"), 2u);
  EXPECT_EQ(counter("snat_ports", "allocated"), 2u);

  move_gateway_away(kVtep2);
  EXPECT_EQ(counter("gateway_conntrack", "connections"), 0u);
  EXPECT_EQ(counter("snat_ports", "released"), 2u);
  EXPECT_EQ(counter("gateway", "zones_flushed"), 1u);
  // The outside's late reply finds no gateway here any more.
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(443, port)));
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_EQ(drops(DropReason::kNotLocal), 1u);
  expect_no_leak();
}

TEST_F(GatewayFailoverTest, ConnectionsSurviveANewTableThatStillServesTheRouter) {
  // The agent rebuilds the router and its gateway for every view change: new objects,
  // same router, same connections.
  resolve_next_hop();
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  const uint16_t port = source_port(uplink().sent()[0]);
  const auto* before = table_->segments[kExternalVni].gateways.at(kExternalMac).get();
  router_ = make_router("R", kTenantVni, kRouterMac, kExternalIp, kExternalMac, true, 0);
  install(router_, {{kFloatingIp, kVm1}});
  ASSERT_NE(table_->segments[kExternalVni].gateways.at(kExternalMac).get(), before);
  publish();
  EXPECT_EQ(counter("gateway_conntrack", "connections"), 2u);
  EXPECT_EQ(counter("gateway", "zones_flushed"), 0u);
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, port, "answer"), 60));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], ipv4_frame(mac(1), kRouterMac, kServer, kVm0, udp(53, 40000, "answer"), 59));
  // And the same flow keeps its port.
  uplink().clear_sent();
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(source_port(uplink().sent()[0]), port);
  expect_no_leak();
}

TEST_F(GatewayFailoverTest, TwoTenantsWithTheSameInsideAddressGetTheirOwnReplies) {
  // Tenant B: VNI 200 (slot 3, :04) behind router S, external 203.0.113.11 on :ef.
  // Both tenants have a VM at 10.0.0.5 and talk to the same server from the same port.
  constexpr uint32_t kInside = 0x0a000005;
  constexpr uint32_t kExternalS = 0xcb00710b;
  const MacAddress kRouterMacS = mac(0xf1);
  const MacAddress kExternalMacS = mac(0xef);
  table_->segments[kTenantVni].arp[kInside] = mac(1);
  table_->segments[200].arp[kInside] = mac(4);
  install(make_router("S", 200, kRouterMacS, kExternalS, kExternalMacS, true, 0));
  publish();
  resolve_next_hop();

  const auto from_a = ipv4_frame(kRouterMac, mac(1), kInside, kServer, udp(40000, 53, "from a"));
  const auto from_b = ipv4_frame(kRouterMacS, mac(4), kInside, kServer, udp(40000, 53, "from b"));
  from_port(0, from_a);
  from_port(3, from_b);
  ASSERT_EQ(uplink().sent_count(), 2u);
  const auto out_a = uplink().sent()[0];
  const auto out_b = uplink().sent()[1];
  EXPECT_EQ(ip_source(out_a), kExternalIp);
  EXPECT_EQ(ip_source(out_b), kExternalS);
  EXPECT_EQ(MacAddress::from_bytes(out_b.data() + 6), kExternalMacS);
  EXPECT_TRUE(l4_checksum_valid(out_a));
  EXPECT_TRUE(l4_checksum_valid(out_b));
  EXPECT_EQ(counter("gateway_conntrack", "connections"), 3u);  // with resolve_next_hop's

  // Replies in the other order, each to its own tenant's VM.
  from_uplink(ipv4_frame(kExternalMacS, kNextHopMac, kServer, kExternalS, udp(53, source_port(out_b), "to b"), 60));
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, source_port(out_a), "to a"), 60));
  ASSERT_EQ(ports_[3]->sent_count(), 1u);
  EXPECT_EQ(ports_[3]->sent()[0], ipv4_frame(mac(4), kRouterMacS, kServer, kInside, udp(53, 40000, "to b"), 59));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], ipv4_frame(mac(1), kRouterMac, kServer, kInside, udp(53, 40000, "to a"), 59));
  // S's address, reached through R's MAC, is no binding of R's.
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalS, udp(53, source_port(out_b), "x"), 60));
  EXPECT_EQ(ports_[3]->sent_count(), 1u);
  EXPECT_EQ(drops(DropReason::kNat), 1u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

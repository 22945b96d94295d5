// A floating IP NATed on the VM's own host (DVR): the host is not R's gateway host, but it
// maps the external network and the controller named it for the floating IP of its VM
// 10.0.0.2 (slot 1). Its frames leave this host's own uplink from the floating IP, on the
// host's own MAC; the answers come back through it; the VM without a floating IP still
// goes, unchanged, to the gateway host. Every frame checked byte for byte.
#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

constexpr uint32_t kGatewayHost = 0xc0a80009;  // 192.168.0.9
const MacAddress kHostMac{{0x06, 0x11, 0x22, 0x33, 0x44, 0x55}};

class GatewayLocalFloatingTest : public GatewayStageTest {
 protected:
  GatewayLocalFloatingTest() {
    table_->segments[kExternalVni].gateways.clear();
    table_->segments[kExternalVni].gateway_addresses.clear();
    auto router = make_router("R", kTenantVni, kRouterMac, kExternalIp, kExternalMac, false, kGatewayHost);
    router->external->local_fixed_ips = {kVm1};
    router->external->local_mac = kHostMac;
    install(router);
    Segment& outside = table_->segments[kExternalVni];
    auto gateway = std::make_shared<gateway::RouterGateway>();
    gateway->router = router;
    gateway->nat.enable_snat = false;
    EXPECT_TRUE(gateway->nat.add_floating_ip(kFloatingIp, kVm1));
    outside.gateways[kHostMac] = gateway;
    outside.gateway_addresses[kFloatingIp] = kHostMac;
    table_->segments[kTenantVni].vteps.insert(kGatewayHost);
    table_->known_vteps.insert(kGatewayHost);
    router_ = router;
    publish();
  }
};

TEST_F(GatewayLocalFloatingTest, TheVmLeavesFromItsFloatingIpOutOfThisHostsUplink) {
  const auto sent = ipv4_frame(kRouterMac, mac(2), kVm1, kServer, udp(40000, 53));
  from_port(1, sent);
  // Resolved from the floating IP on the host's MAC: never from the router's external
  // address, which the gateway host holds.
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0], arp_frame(1, MacAddress::broadcast(), kHostMac, kFloatingIp, MacAddress{}, kNextHop));
  uplink().clear_sent();
  from_uplink(arp_frame(2, kHostMac, kNextHopMac, kNextHop, kHostMac, kFloatingIp));
  ASSERT_EQ(uplink().sent_count(), 1u);  // the frame held for the answer
  auto expected = sent;
  set_macs(expected, kNextHopMac, kHostMac);
  set_ttl(expected, 63);
  set_ip_source(expected, kFloatingIp);
  refresh_checksums(expected);
  EXPECT_EQ(uplink().sent()[0], expected);
  EXPECT_TRUE(tunnel_.sent.empty());  // not by the gateway host
  EXPECT_EQ(counter("router", "to_external"), 1u);
  EXPECT_EQ(counter("router_nat", "floating_out"), 1u);

  // The answer, to the host's MAC, reaches the VM from the router's interface.
  from_uplink(ipv4_frame(kHostMac, kNextHopMac, kServer, kFloatingIp, udp(53, 40000, "answer"), 60));
  ASSERT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent()[0], ipv4_frame(mac(2), kRouterMac, kServer, kVm1, udp(53, 40000, "answer"), 59));
  expect_no_leak();
}

TEST_F(GatewayLocalFloatingTest, ArpForTheFloatingIpIsAnsweredWithTheHostsMacAndNothingElse) {
  from_uplink(arp_frame(1, MacAddress::broadcast(), kOutsiderMac, 0xcb007163, MacAddress{}, kFloatingIp));
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0], arp_frame(2, kOutsiderMac, kHostMac, kFloatingIp, kOutsiderMac, 0xcb007163));
  uplink().clear_sent();
  // The router's external address is the gateway host's to answer.
  from_uplink(arp_frame(1, MacAddress::broadcast(), kOutsiderMac, 0xcb007163, MacAddress{}, kExternalIp));
  EXPECT_EQ(uplink().sent_count(), 0u);
  expect_no_leak();
}

TEST_F(GatewayLocalFloatingTest, AVmWithoutAFloatingIpStillGoesToTheGatewayHost) {
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53));
  from_port(0, sent);
  EXPECT_EQ(uplink().sent_count(), 0u);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(tunnel_.sent[0].remote_vtep, kGatewayHost);
  EXPECT_EQ(inner_of(tunnel_.sent[0]), sent);  // unchanged: the gateway host routes it
  expect_no_leak();
}

TEST_F(GatewayLocalFloatingTest, NothingButTheFloatingIpIsReachableThroughTheHostsMac) {
  // No SNAT here: a packet to the router's external address sent to this host's MAC has
  // no binding.
  from_uplink(ipv4_frame(kHostMac, kNextHopMac, kServer, kExternalIp, udp(53, 1024, "stray"), 60));
  EXPECT_EQ(drops(DropReason::kNat), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

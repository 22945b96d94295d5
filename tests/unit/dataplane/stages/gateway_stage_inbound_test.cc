// The L3 gateway, arriving from the uplink: replies translated back to the VM (on its
// port or by VXLAN to its host), floating IPs, echo to the router, ARP answered for the
// addresses the router owns only, and counted drops for what has no binding or is
// malformed (gateway_stage_fixture.h).
#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

class GatewayInboundTest : public GatewayStageTest {
 protected:
  // A connection of `vm` (10.0.0.x:40000 -> kServer:53) as the gateway opened it: the
  // external port it was given.
  uint16_t open_connection(const std::vector<uint8_t>& from_vm, PortSlot slot) {
    if (slot == kNoPort) {
      from_tunnel(kVtep1, tunnel_payload(kTenantVni, from_vm));
    } else {
      from_port(slot, from_vm);
    }
    EXPECT_EQ(uplink().sent_count(), 1u);
    const uint16_t port = uplink().sent_count() == 1 ? source_port(uplink().sent()[0]) : 0;
    uplink().clear_sent();
    return port;
  }
};

TEST_F(GatewayInboundTest, TheReplyComesBackTranslatedToTheLocalVm) {
  resolve_next_hop();
  const uint16_t port = open_connection(ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53)), 0);
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, port, "answer"), 60));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], ipv4_frame(mac(1), kRouterMac, kServer, kVm0, udp(53, 40000, "answer"), 59));
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(counter("gateway", "in_routed"), 1u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, TheReplyForARemoteVmGoesByVxlanToItsHost) {
  resolve_next_hop();
  const uint16_t port =
      open_connection(ipv4_frame(kRouterMac, mac(0x0a), kRemoteVm, kServer, udp(40000, 53)), kNoPort);
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, port, "answer"), 60));
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(tunnel_.sent[0].remote_vtep, kVtep1);
  EXPECT_EQ(vni_of(tunnel_.sent[0]), kTenantVni);
  EXPECT_EQ(inner_of(tunnel_.sent[0]),
            ipv4_frame(mac(0x0a), kRouterMac, kServer, kRemoteVm, udp(53, 40000, "answer"), 59));
  EXPECT_EQ(sent_total(), 1u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, AVmPingsTheOutsideThroughSnat) {
  resolve_next_hop();
  const auto request = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, echo_request(0x4242, 9));
  from_port(0, request);
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto left = uplink().sent()[0];
  ASSERT_GE(left.size(), 14u + 20 + 8);
  const uint16_t id = static_cast<uint16_t>(left[14 + 20 + 4] << 8 | left[14 + 20 + 5]);  // SNAT's "port"
  auto expected_left = request;
  set_macs(expected_left, kNextHopMac, kExternalMac);
  set_ttl(expected_left, 63);
  set_ip_source(expected_left, kExternalIp);
  expected_left[14 + 20 + 4] = static_cast<uint8_t>(id >> 8);
  expected_left[14 + 20 + 5] = static_cast<uint8_t>(id);
  refresh_checksums(expected_left);
  EXPECT_EQ(left, expected_left);

  L4 reply = echo_request(id, 9);
  reply.bytes[0] = 0;
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, reply, 60));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  L4 back = echo_request(0x4242, 9);
  back.bytes[0] = 0;
  EXPECT_EQ(ports_[0]->sent()[0], ipv4_frame(mac(1), kRouterMac, kServer, kVm0, back, 59));
  expect_no_leak();
}

TEST_F(GatewayInboundTest, AnIcmpErrorAboutASnatedPacketReachesTheVmTranslated) {
  // Path MTU discovery through the gateway: the outside's "fragmentation needed" quotes
  // the packet as it left (source = the external address and port).
  resolve_next_hop();
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto left = uplink().sent()[0];
  std::vector<uint8_t> icmp = {3, 4, 0, 0, 0, 0, 0x05, 0x78};  // frag needed, MTU 1400
  icmp.insert(icmp.end(), left.begin() + 14, left.begin() + 14 + 28);  // its IP header + 8 bytes
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kNextHop, kExternalIp, L4{1, icmp}, 60));

  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  const auto got = ports_[0]->sent()[0];
  ASSERT_EQ(got.size(), 14u + 20 + 8 + 28);
  EXPECT_EQ(MacAddress::from_bytes(got.data()), mac(1));
  EXPECT_EQ(MacAddress::from_bytes(got.data() + 6), kRouterMac);
  EXPECT_EQ(ip_source(got), kNextHop);
  EXPECT_EQ(ip_destination(got), kVm0);
  EXPECT_EQ(got[14 + 8], 59);
  EXPECT_TRUE(ip_checksum_valid(got));
  EXPECT_TRUE(l4_checksum_valid(got));
  EXPECT_EQ(got[34], 3);
  EXPECT_EQ(got[35], 4);
  // The quoted packet is the VM's own again: its source address and port.
  // Viewed as a frame whose IP header is at 14, like the others (the quote is at 42).
  const std::vector<uint8_t> quoted_frame(got.begin() + 42 - 14, got.end());
  EXPECT_EQ(ip_source(quoted_frame), kVm0);
  EXPECT_EQ(ip_destination(quoted_frame), kServer);
  EXPECT_EQ(source_port(quoted_frame), 40000);
  EXPECT_EQ(destination_port(quoted_frame), 53);
  EXPECT_TRUE(ip_checksum_valid(quoted_frame));
  expect_no_leak();
}

TEST_F(GatewayInboundTest, TheFloatingIpReachesItsFixedAddress) {
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kFloatingIp, tcp_syn(50000, 22), 60));
  ASSERT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent()[0], ipv4_frame(mac(2), kRouterMac, kServer, kVm1, tcp_syn(50000, 22), 59));
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(counter("router_nat", "floating_in"), 1u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, NothingBoundToTheExternalAddressIsDropped) {
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, 4444)));
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, tcp_syn(50000, 22)));
  EXPECT_EQ(drops(DropReason::kNat), 2u);
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(counter("router_nat", "no_binding"), 2u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, AnEchoRequestToTheExternalAddressIsAnsweredOutOfTheUplink) {
  from_uplink(ipv4_frame(kExternalMac, kOutsiderMac, kServer, kExternalIp, echo_request(0x4242, 7), 50));
  ASSERT_EQ(uplink().sent_count(), 1u);
  L4 reply = echo_request(0x4242, 7);
  reply.bytes[0] = 0;  // echo reply
  EXPECT_EQ(uplink().sent()[0], ipv4_frame(kOutsiderMac, kExternalMac, kExternalIp, kServer, reply, 64));
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(counter("gateway", "echo_replies"), 1u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, ArpForTheExternalAndFloatingAddressesIsAnsweredToTheAsker) {
  constexpr uint32_t kAsker = 0xcb007163;  // 203.0.113.99
  for (uint32_t ours : {kExternalIp, kFloatingIp}) {
    uplink().clear_sent();
    from_uplink(arp_request(kOutsiderMac, kAsker, ours));
    ASSERT_EQ(uplink().sent_count(), 1u);
    EXPECT_EQ(uplink().sent()[0], arp_frame(2, kOutsiderMac, kExternalMac, ours, kOutsiderMac, kAsker));
  }
  EXPECT_EQ(counter("gateway", "arp_replies"), 2u);
  // The asker was learned: a frame to it needs no request of ours.
  uplink().clear_sent();
  const auto sent = ipv4_frame(kRouterMac, mac(2), kVm1, kAsker, udp(40000, 53));
  from_port(1, sent);
  ASSERT_EQ(uplink().sent_count(), 1u);
  auto expected = sent;
  set_macs(expected, kOutsiderMac, kExternalMac);
  set_ttl(expected, 63);
  set_ip_source(expected, kFloatingIp);
  refresh_checksums(expected);
  EXPECT_EQ(uplink().sent()[0], expected);
  EXPECT_EQ(counter("gateway", "arp_requests"), 0u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, ArpForAnAddressWeDoNotOwnIsNotAnswered) {
  from_uplink(arp_request(kOutsiderMac, 0xcb007163, 0xcb00714d));  // who has 203.0.113.77?
  from_uplink(arp_request(kOutsiderMac, 0xcb007163, kRouterInside));
  // A gratuitous ARP for our own address is someone else's claim, not a question.
  from_uplink(arp_request(kOutsiderMac, kExternalIp, kExternalIp));
  EXPECT_EQ(uplink().sent_count(), 0u);
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(counter("gateway", "arp_in"), 3u);
  EXPECT_EQ(counter("gateway", "arp_replies"), 0u);
  EXPECT_EQ(counter("neighbours", "learned"), 0u);  // nor planted in the cache
  expect_no_leak();
}

TEST_F(GatewayInboundTest, AVmOnTheExternalNetworkStillGetsItsArp) {
  // A VM plugged straight into the external network on the gateway host (slot 7, :08,
  // 203.0.113.50): the gateway takes the segment's ARP, but what is the VM's is the VM's.
  constexpr PortSlot kPublicVm = 7;
  constexpr uint32_t kPublicVmIp = 0xcb007132;
  ports_.push_back(std::make_shared<FakePort>("tap7"));
  PortEntry e;
  e.port_id = "port-7";
  e.vni = kExternalVni;
  e.mac = mac(8);
  e.io = ports_.back();
  table_->ports.push_back(e);
  Segment& outside = table_->segments[kExternalVni];
  outside.local_ports = {kPublicVm};
  outside.macs[mac(8)] = {L2Destination::Kind::kLocalPort, kPublicVm, 0};
  publish();

  // The next hop answers the VM's own request: unicast to the VM.
  const auto answer = arp_frame(2, mac(8), kNextHopMac, kNextHop, mac(8), kPublicVmIp);
  from_uplink(answer);
  ASSERT_EQ(ports_[kPublicVm]->sent_count(), 1u);
  EXPECT_EQ(ports_[kPublicVm]->sent()[0], answer);
  // A broadcast request reaches it too; nobody asked the gateway, so it stays quiet.
  const auto request = arp_request(kOutsiderMac, 0xcb007163, kPublicVmIp);
  from_uplink(request);
  ASSERT_EQ(ports_[kPublicVm]->sent_count(), 2u);
  EXPECT_EQ(ports_[kPublicVm]->sent()[1], request);
  EXPECT_EQ(uplink().sent_count(), 0u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(GatewayInboundTest, MalformedFramesToTheExternalMacAreCountedDrops) {
  const auto good = ipv4_frame(kExternalMac, kNextHopMac, kServer, kFloatingIp, udp(53, 40000));
  std::vector<std::vector<uint8_t>> bad;
  for (size_t length = 14; length < 34; ++length) bad.emplace_back(good.begin(), good.begin() + long(length));
  auto bad_sum = good;
  bad_sum[14 + 10] ^= 0xff;
  bad.push_back(bad_sum);
  auto long_total = good;
  long_total[14 + 2] = 0x05;  // total length past the frame
  bad.push_back(long_total);
  auto v6 = good;
  v6[12] = 0x86;
  v6[13] = 0xdd;
  bad.push_back(v6);
  for (const auto& frame : bad) from_uplink(frame);
  // An ARP frame cut short (the sender's address missing), broadcast: the gateway's too.
  const auto arp = arp_request(kOutsiderMac, 0xcb007163, kExternalIp);
  from_uplink(std::vector<uint8_t>(arp.begin(), arp.begin() + 30));
  EXPECT_EQ(drops(DropReason::kNotRoutable), bad.size());
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  EXPECT_EQ(total_drops(), bad.size() + 1);
  EXPECT_EQ(counter("gateway", "dropped"), bad.size() + 1);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

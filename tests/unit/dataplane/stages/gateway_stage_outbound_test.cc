// The L3 gateway, leaving: a VM's frame to the router MAC, from its port or by VXLAN
// from its own host, goes out of the uplink NATed (SNAT or floating IP) once the next
// hop is resolved; on a host that does not serve the gateway it goes, unchanged, to the
// host that does. Every frame checked byte for byte (gateway_stage_fixture.h).
#include <cstring>

#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

// What the gateway must send for `sent` (a VM's frame to the router): TTL - 1, source
// `source`:`port`, MACs external -> neighbour, both checksums right.
std::vector<uint8_t> natted(std::vector<uint8_t> sent, uint32_t source, uint16_t port,
                            const MacAddress& neighbour = kNextHopMac) {
  set_macs(sent, neighbour, kExternalMac);
  set_ttl(sent, 63);
  set_ip_source(sent, source);
  set_source_port(sent, port);
  refresh_checksums(sent);
  return sent;
}

using GatewayOutboundTest = GatewayStageTest;

// A gateway stage of its own over the fixture's table and pool, for what the pipeline
// does not expose: its clock (housekeeping's `now`) and its lifetime.
struct StandaloneGateway {
  StandaloneGateway(const ForwardingTable* table, PacketPool& packets, DropCounters& drops)
      : pool(packets), ctx{table, &packets, &drops} {
    stage.prepare(*table);
  }
  // One frame from the tenant network to the router, through process_outbound.
  void send(const std::vector<uint8_t>& frame) {
    Packet* p = pool.alloc();
    ASSERT_NE(p, nullptr);
    std::memcpy(p->data(), frame.data(), frame.size());
    p->set_length(static_cast<uint32_t>(frame.size()));
    p->meta.vni = kTenantVni;
    Batch in;
    in.push(p);
    stage.process_outbound(ctx, in, uplink_q);
    uplink_q.drain();
  }
  void free_out() {
    for (Packet* p : out) pool.free(p);
    out.clear();
  }

  PacketPool& pool;
  GatewayStage stage{GatewayConfig{}};
  StageContext ctx;
  Batch out;
  BatchQueue uplink_q{[](void* o, Batch& b) {
                        auto* dst = static_cast<Batch*>(o);
                        for (Packet* p : b) dst->push(p);
                        b.clear();
                      },
                      &out};
};

TEST_F(GatewayOutboundTest, FirstFrameWaitsForTheNextHopThenLeavesSnated) {
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53));
  from_port(0, sent);
  EXPECT_EQ(total_drops(), 0u);  // held, not dropped
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0],
            arp_frame(1, MacAddress::broadcast(), kExternalMac, kExternalIp, MacAddress{}, kNextHop));
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(counter("gateway", "held"), 1u);
  uplink().clear_sent();

  // The answer releases the held frame, translated, to the MAC it names.
  from_uplink(arp_frame(2, kExternalMac, kNextHopMac, kNextHop, kExternalMac, kExternalIp));
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto first = uplink().sent()[0];
  const uint16_t port = source_port(first);
  EXPECT_NE(port, 40000);
  EXPECT_GE(port, 1024);
  EXPECT_EQ(first, natted(sent, kExternalIp, port));
  EXPECT_TRUE(ip_checksum_valid(first));
  EXPECT_TRUE(l4_checksum_valid(first));
  EXPECT_EQ(counter("gateway", "released"), 1u);
  uplink().clear_sent();

  // The next frame of the flow leaves at once, with the same binding.
  from_port(0, sent);
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0], natted(sent, kExternalIp, port));
  EXPECT_EQ(counter("gateway", "out_forwarded"), 2u);
  EXPECT_EQ(counter("gateway", "arp_requests"), 1u);
  EXPECT_EQ(counter("snat", "committed"), 1u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, ADestinationOnTheExternalSubnetIsItsOwnNextHop) {
  constexpr uint32_t kOnLink = 0xcb007163;  // 203.0.113.99
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kOnLink, tcp_syn(40000, 443));
  from_port(0, sent);
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0],
            arp_frame(1, MacAddress::broadcast(), kExternalMac, kExternalIp, MacAddress{}, kOnLink));
  uplink().clear_sent();
  from_uplink(arp_frame(2, kExternalMac, kOutsiderMac, kOnLink, kExternalMac, kExternalIp));
  ASSERT_EQ(uplink().sent_count(), 1u);  // the held SYN
  const auto got = uplink().sent()[0];
  EXPECT_EQ(got, natted(sent, kExternalIp, source_port(got), kOutsiderMac));
  EXPECT_TRUE(l4_checksum_valid(got));
  expect_no_leak();
}

// A next hop that does not answer holds at most 4 frames (more are dropped), and those
// are dropped after 3 s; other next hops' frames are not affected.
TEST_F(GatewayOutboundTest, FramesWaitingForAnUnansweredNextHopAreBoundedAndExpire) {
  for (uint16_t i = 0; i < 6; ++i) from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(41000 + i, 53)));
  EXPECT_EQ(counter("gateway", "held"), 4u);
  EXPECT_EQ(drops(DropReason::kNoNeighbor), 2u);
  EXPECT_EQ(uplink().sent_count(), 1u);  // one ARP request for the burst
  // Not yet due: the worker's periodic turn keeps them.
  pipeline_.housekeeping();
  EXPECT_EQ(drops(DropReason::kNoNeighbor), 2u);
  // Due: the stage's own clock is the worker's; drive it directly past the hold time.
  StandaloneGateway gateway(table_.get(), pool_, drops_);
  gateway.send(ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(42000, 53)));
  ASSERT_EQ(gateway.out.size(), 1u);  // its ARP request
  gateway.free_out();
  GatewayStage& stage = gateway.stage;
  StageContext& ctx = gateway.ctx;
  BatchQueue& uplink_q = gateway.uplink_q;
  Batch& out = gateway.out;
  const uint64_t before = drops(DropReason::kNoNeighbor);
  stage.housekeeping(ctx, SecurityGroupStage::now_ms() + 2000, uplink_q);
  EXPECT_EQ(drops(DropReason::kNoNeighbor), before);
  stage.housekeeping(ctx, SecurityGroupStage::now_ms() + 3001, uplink_q);
  EXPECT_EQ(drops(DropReason::kNoNeighbor), before + 1);
  uplink_q.drain();
  for (Packet* sent : out) {  // its gratuitous ARP (newly serving), never the expired frame
    EXPECT_EQ(sent->data()[12] << 8 | sent->data()[13], 0x0806);
    pool_.free(sent);
  }
}

// Held frames still waiting when the stage goes away return to the pool.
TEST_F(GatewayOutboundTest, HeldFramesReturnToThePoolWithTheStage) {
  const size_t free_before = pool_.available();
  {
    StandaloneGateway gateway(table_.get(), pool_, drops_);
    gateway.send(ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(42001, 53)));
    gateway.free_out();
    EXPECT_EQ(pool_.available(), free_before - 1);  // the held frame
  }
  EXPECT_EQ(pool_.available(), free_before);
}

TEST_F(GatewayOutboundTest, AFrameFromTheTunnelToTheRouterMacIsRoutedTheSame) {
  resolve_next_hop();
  const auto sent = ipv4_frame(kRouterMac, mac(0x0a), kRemoteVm, kServer, udp(40001, 53));
  from_tunnel(kVtep1, tunnel_payload(kTenantVni, sent));
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto got = uplink().sent()[0];
  EXPECT_EQ(got, natted(sent, kExternalIp, source_port(got)));
  EXPECT_NE(source_port(got), 40001);
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(sent_total(), 1u);
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, AFloatingIpReplacesTheSourceAndKeepsThePort) {
  resolve_next_hop();
  const auto sent = ipv4_frame(kRouterMac, mac(2), kVm1, kServer, udp(40002, 53));
  from_port(1, sent);
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0], natted(sent, kFloatingIp, 40002));
  EXPECT_EQ(counter("router_nat", "floating_out"), 1u);
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, AChecksumTheVmLeftPartialIsFinishedBeforeNat) {
  // A virtio guest hands TCP over with only the pseudo-header sum in the checksum field
  // (needs_csum): NAT's incremental update needs the finished sum to start from.
  resolve_next_hop();
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, tcp_syn(40000, 443));
  auto partial = sent;
  const uint32_t pseudo = ones_sum(partial.data() + 14 + 12, 8, 6 + uint32_t{20});
  const uint16_t folded = static_cast<uint16_t>(~fold(pseudo));  // the sum itself, not its complement
  partial[14 + 20 + 16] = static_cast<uint8_t>(folded >> 8);
  partial[14 + 20 + 17] = static_cast<uint8_t>(folded);
  ASSERT_FALSE(l4_checksum_valid(partial));
  Batch rx;
  Packet* p = pool_.alloc();
  ASSERT_NE(p, nullptr);
  std::memcpy(p->data(), partial.data(), partial.size());
  p->set_length(static_cast<uint32_t>(partial.size()));
  p->meta.in_port = 0;
  p->meta.offload.needs_csum = true;
  p->meta.offload.csum_start = 14 + 20;
  p->meta.offload.csum_offset = 16;
  rx.push(p);
  pipeline_.process_port_rx(rx);
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto got = uplink().sent()[0];
  EXPECT_EQ(got, natted(sent, kExternalIp, source_port(got)));
  EXPECT_TRUE(l4_checksum_valid(got));
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, TtlExpiryOnTheGatewayIsACountedDrop) {
  resolve_next_hop();
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53), 1));
  EXPECT_EQ(drops(DropReason::kTtlExpired), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, OnAHostNotServingTheGatewayTheFrameGoesToTheGatewayHostUnchanged) {
  move_gateway_away(kVtep2);
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53));
  from_port(0, sent);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(tunnel_.sent[0].remote_vtep, kVtep2);
  EXPECT_EQ(vni_of(tunnel_.sent[0]), kTenantVni);
  EXPECT_EQ(inner_of(tunnel_.sent[0]), sent);
  EXPECT_EQ(uplink().sent_count(), 0u);  // no ARP, no NAT here
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(GatewayOutboundTest, OnAHostNotServingTheGatewayATunnelFrameForItIsNeverSentBack) {
  move_gateway_away(kVtep2);
  from_tunnel(kVtep2, tunnel_payload(kTenantVni, ipv4_frame(kRouterMac, mac(0x0a), kRemoteVm, kServer,
                                                           udp(40000, 53))));
  EXPECT_EQ(drops(DropReason::kNoRoute), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

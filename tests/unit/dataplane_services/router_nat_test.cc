// RouterNat: each translated packet is compared byte for byte with the packet built
// from scratch with the addresses it should carry (checksums computed in full).
#include "dataplane/nat/router_nat.h"

#include <gtest/gtest.h>

#include "dataplane/nat/snat_port_allocator.h"
#include "packet_builder.h"

namespace overcast::dataplane::nat {
namespace {

using namespace overcast::testing;
using Verdict = RouterNat::Verdict;

constexpr uint32_t kVmA = 0x0a000005;       // 10.0.0.5, tenant A
constexpr uint32_t kVmB = 0x0a000006;       // 10.0.0.6
constexpr uint32_t kServer = 0xcb007101;    // 203.0.113.1, the outside host
constexpr uint32_t kRouterA = 0xcb00710a;   // 203.0.113.10
constexpr uint32_t kRouterB = 0xcb00710b;   // 203.0.113.11: tenant B, same inside addresses
constexpr uint32_t kFloating = 0xcb007114;  // 203.0.113.20 -> kVmB of tenant A

class RouterNatTest : public ::testing::Test {
 protected:
  RouterNatTest() {
    a.zone = 1;
    a.external_ip = kRouterA;
    EXPECT_TRUE(a.add_floating_ip(kFloating, kVmB));
    b.zone = 2;
    b.external_ip = kRouterB;
  }
  Verdict out(const RouterNatConfig& config, std::vector<uint8_t>& pkt, uint64_t now = 0) {
    return nat.outbound(config, pkt.data(), pkt.size(), now);
  }
  Verdict in(const RouterNatConfig& config, std::vector<uint8_t>& pkt, uint64_t now = 1) {
    return nat.inbound(config, pkt.data(), pkt.size(), now);
  }
  uint64_t count(RouterNat::Count c) const { return nat.counters().value(c); }

  conntrack::ConnTracker tracker{{}};
  SnatPortAllocator ports{40000, 40003};
  SnatTranslator snat{tracker, ports};
  RouterNat nat{tracker, snat};
  RouterNatConfig a, b;
};

TEST_F(RouterNatTest, SnatOutAndRepliesBack) {
  auto syn = ipv4_packet(kVmA, kServer, 6, tcp_segment(5555, 80, 0x02));
  ASSERT_EQ(out(a, syn), Verdict::kForward);
  const uint16_t port = get16(syn, 20);
  EXPECT_EQ(syn, ipv4_packet(kRouterA, kServer, 6, tcp_segment(port, 80, 0x02)));
  auto synack = ipv4_packet(kServer, kRouterA, 6, tcp_segment(80, port, 0x12));
  ASSERT_EQ(in(a, synack), Verdict::kForward);
  EXPECT_EQ(synack, ipv4_packet(kServer, kVmA, 6, tcp_segment(80, 5555, 0x12)));
  EXPECT_EQ(count(RouterNat::kSnatOut), 1u);
  EXPECT_EQ(count(RouterNat::kSnatIn), 1u);
}

TEST_F(RouterNatTest, TwoTenantsWithTheSameAddressesLeaveFromTheirOwnRouters) {
  auto from_a = ipv4_packet(kVmA, kServer, 17, udp_datagram(1000, 53));
  auto from_b = ipv4_packet(kVmA, kServer, 17, udp_datagram(1000, 53));
  ASSERT_EQ(out(a, from_a), Verdict::kForward);
  ASSERT_EQ(out(b, from_b), Verdict::kForward);
  EXPECT_EQ(get32(from_a, 12), kRouterA);
  EXPECT_EQ(get32(from_b, 12), kRouterB);
  // Each reply goes back through its own router's connection only.
  auto reply_b = ipv4_packet(kServer, kRouterB, 17, udp_datagram(53, get16(from_b, 20)));
  EXPECT_EQ(in(a, reply_b), Verdict::kDrop) << "router A has no binding for router B's address";
  ASSERT_EQ(in(b, reply_b), Verdict::kForward);
  EXPECT_EQ(reply_b, ipv4_packet(kServer, kVmA, 17, udp_datagram(53, 1000)));
}

TEST_F(RouterNatTest, EchoIdsTranslateAndAnEchoToTheRouterIsTheRoutersOwn) {
  auto ping = ipv4_packet(kVmA, kServer, 1, icmp_echo(8, 0x0101));
  ASSERT_EQ(out(a, ping), Verdict::kForward);
  const uint16_t id = get16(ping, 24);
  auto pong = ipv4_packet(kServer, kRouterA, 1, icmp_echo(0, id));
  ASSERT_EQ(in(a, pong), Verdict::kForward);
  EXPECT_EQ(pong, ipv4_packet(kServer, kVmA, 1, icmp_echo(0, 0x0101)));
  auto to_router = ipv4_packet(kServer, kRouterA, 1, icmp_echo(8, 7));
  const auto before = to_router;
  EXPECT_EQ(in(a, to_router), Verdict::kToRouter);
  EXPECT_EQ(to_router, before) << "left for the router to answer";
}

TEST_F(RouterNatTest, UnsolicitedInboundHasNoBinding) {
  auto syn = ipv4_packet(kServer, kRouterA, 6, tcp_segment(4444, 22, 0x02));
  EXPECT_EQ(in(a, syn), Verdict::kDrop);
  auto elsewhere = ipv4_packet(kServer, 0xcb007163, 17, udp_datagram(1, 2));
  EXPECT_EQ(in(a, elsewhere), Verdict::kDrop);
  EXPECT_EQ(count(RouterNat::kNoBinding), 2u);
  EXPECT_EQ(tracker.size(), 0u) << "nothing remembered for unsolicited packets";
}

TEST_F(RouterNatTest, FloatingIpIsOneToOneBothWaysAndWinsOverSnat) {
  auto request = ipv4_packet(kServer, kFloating, 6, tcp_segment(4444, 80, 0x02));
  ASSERT_EQ(in(a, request), Verdict::kForward);
  EXPECT_EQ(request, ipv4_packet(kServer, kVmB, 6, tcp_segment(4444, 80, 0x02)));
  auto response = ipv4_packet(kVmB, kServer, 6, tcp_segment(80, 4444, 0x12));
  ASSERT_EQ(out(a, response), Verdict::kForward);
  EXPECT_EQ(response, ipv4_packet(kFloating, kServer, 6, tcp_segment(80, 4444, 0x12)))
      << "the reply comes from the floating IP, ports untouched";
  EXPECT_EQ(tracker.size(), 0u) << "floating IPs are stateless here";
  EXPECT_EQ(count(RouterNat::kFloatingIn), 1u);
  EXPECT_EQ(count(RouterNat::kFloatingOut), 1u);
}

TEST_F(RouterNatTest, IcmpErrorsAboutFloatingIpTrafficAreTranslatedInside) {
  // The outside says port unreachable about what the VM sent from its floating IP.
  const auto sent = ipv4_packet(kFloating, kServer, 17, udp_datagram(1000, 53));
  auto error = ipv4_packet(kServer, kFloating, 1, icmp_error(3, 3, sent));
  ASSERT_EQ(in(a, error), Verdict::kForward);
  EXPECT_EQ(error, ipv4_packet(kServer, kVmB, 1, icmp_error(3, 3, ipv4_packet(kVmB, kServer, 17,
                                                                                udp_datagram(1000, 53)))));
  // The VM says port unreachable about what came in to its fixed address.
  const auto came_in = ipv4_packet(kServer, kVmB, 17, udp_datagram(2000, 9));
  auto vm_error = ipv4_packet(kVmB, kServer, 1, icmp_error(3, 3, came_in));
  ASSERT_EQ(out(a, vm_error), Verdict::kForward);
  EXPECT_EQ(vm_error, ipv4_packet(kFloating, kServer, 1,
                                  icmp_error(3, 3, ipv4_packet(kServer, kFloating, 17, udp_datagram(2000, 9)))));
}

TEST_F(RouterNatTest, IcmpErrorAboutASnatConnectionReachesTheVm) {
  auto datagram = ipv4_packet(kVmA, kServer, 17, udp_datagram(1000, 53));
  ASSERT_EQ(out(a, datagram), Verdict::kForward);
  auto error = ipv4_packet(kServer, kRouterA, 1, icmp_error(3, 3, datagram));
  ASSERT_EQ(in(a, error), Verdict::kForward);
  EXPECT_EQ(error, ipv4_packet(kServer, kVmA, 1, icmp_error(3, 3, ipv4_packet(kVmA, kServer, 17,
                                                                                udp_datagram(1000, 53)))));
}

TEST_F(RouterNatTest, WithoutSnatTrafficLeavesUnchanged) {
  a.enable_snat = false;
  auto datagram = ipv4_packet(kVmA, kServer, 17, udp_datagram(1000, 53));
  const auto before = datagram;
  EXPECT_EQ(out(a, datagram), Verdict::kForward);
  EXPECT_EQ(datagram, before);
  EXPECT_EQ(count(RouterNat::kUnchanged), 1u);
}

TEST_F(RouterNatTest, ExhaustedPortsDropNewConnectionsOnly) {
  for (uint16_t i = 0; i < 4; ++i) {
    auto p = ipv4_packet(kVmA, kServer, 17, udp_datagram(2000 + i, 53));
    ASSERT_EQ(out(a, p), Verdict::kForward);
  }
  auto fifth = ipv4_packet(kVmA, kServer, 17, udp_datagram(3000, 53));
  EXPECT_EQ(out(a, fifth), Verdict::kDrop);
  EXPECT_EQ(count(RouterNat::kExhausted), 1u);
  auto again = ipv4_packet(kVmA, kServer, 17, udp_datagram(2001, 53));
  EXPECT_EQ(out(a, again), Verdict::kForward) << "existing connections keep their ports";
}

TEST_F(RouterNatTest, MalformedAndFragmentsAreCountedDrops) {
  auto truncated = ipv4_packet(kVmA, kServer, 6, tcp_segment(1, 2, 0x02));
  truncated.resize(30);
  EXPECT_EQ(out(a, truncated), Verdict::kDrop);
  auto fragment = ipv4_packet(kVmA, kServer, 17, udp_datagram(1, 2));
  put16(fragment, 6, 0x0010);  // offset 128 bytes: a later fragment
  put16(fragment, 10, 0);
  put16(fragment, 10, net::internet_checksum(fragment.data(), 20));
  EXPECT_EQ(out(a, fragment), Verdict::kDrop);
  std::vector<uint8_t> garbage(3, 0x45);
  EXPECT_EQ(in(a, garbage), Verdict::kDrop);
  EXPECT_EQ(count(RouterNat::kMalformed), 2u);
  EXPECT_EQ(count(RouterNat::kFragment), 1u);
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(RouterNatConfigTest, AnAddressFloatsOnlyOnce) {
  RouterNatConfig config;
  config.external_ip = kRouterA;
  EXPECT_TRUE(config.add_floating_ip(kFloating, kVmA));
  EXPECT_FALSE(config.add_floating_ip(kFloating, kVmB)) << "floating IP taken";
  EXPECT_FALSE(config.add_floating_ip(kFloating + 1, kVmA)) << "fixed IP already floats";
  EXPECT_FALSE(config.add_floating_ip(kRouterA, kVmB)) << "the router's own address";
  EXPECT_TRUE(config.owns_external(kRouterA));
  EXPECT_TRUE(config.owns_external(kFloating));
  EXPECT_FALSE(config.owns_external(kServer));
}

}  // namespace
}  // namespace overcast::dataplane::nat

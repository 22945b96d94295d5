#include <gtest/gtest.h>

#include "dataplane/port_security/spoof_filter.h"
#include "packet_builder.h"

namespace overcast::dataplane::port_security {
namespace {

using namespace overcast::testing;

const MacAddress kVmMac{{0xfa, 0x16, 0x3e, 0x12, 0x34, 0x56}};
const MacAddress kPairMac{{0xfa, 0x16, 0x3e, 0xaa, 0xbb, 0xcc}};
const MacAddress kOtherMac{{0xfa, 0x16, 0x3e, 0x99, 0x99, 0x99}};

std::vector<uint8_t> frame(const MacAddress& src, uint16_t ethertype, const std::vector<uint8_t>& l3) {
  std::vector<uint8_t> f(14);
  for (int i = 0; i < 6; ++i) {
    f[i] = 0xff;
    f[6 + i] = src.bytes[i];
  }
  put16(f, 12, ethertype);
  f.insert(f.end(), l3.begin(), l3.end());
  return f;
}

std::vector<uint8_t> arp(const MacAddress& sender_mac, uint32_t sender_ip, uint32_t target_ip) {
  std::vector<uint8_t> a(28, 0);
  put16(a, 0, 1);
  put16(a, 2, 0x0800);
  a[4] = 6;
  a[5] = 4;
  put16(a, 6, 1);
  for (int i = 0; i < 6; ++i) a[8 + i] = sender_mac.bytes[i];
  put32(a, 14, sender_ip);
  put32(a, 24, target_ip);
  return a;
}

AddressPrefix v4(uint32_t a, uint8_t len = 32) { return {4, conntrack::ipv4_bytes(a), len}; }

class SpoofFilterTest : public ::testing::Test {
 protected:
  SpoofFilterTest() {
    PortSecurityConfig c;
    c.mac = kVmMac;
    c.fixed_ips = {v4(0x0a000005)};
    AddressPrefix v6;
    v6.family = 6;
    v6.length = 128;
    v6.address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    c.fixed_ips.push_back(v6);
    c.allowed_address_pairs = {{kPairMac, v4(0xc0a80000, 24)}, {kVmMac, v4(0x0a0000c8)}};
    filter = SpoofFilter::compile(c);
  }
  SpoofVerdict check(const std::vector<uint8_t>& f) const { return filter->check(f.data(), f.size()); }
  std::shared_ptr<const SpoofFilter> filter;
};

TEST_F(SpoofFilterTest, Ipv4SourceMustBelongToTheSendingMac) {
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(1, 53)))),
            SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0x0a0000c8, 0x08080808, 6, tcp_segment(1, 80, 2)))),
            SpoofVerdict::kPass) << "a VIP pair on the port's own MAC";
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0x0a000006, 0x08080808, 17, udp_datagram(1, 53)))),
            SpoofVerdict::kSpoofedIp);
  EXPECT_EQ(check(frame(kOtherMac, 0x0800, ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(1, 53)))),
            SpoofVerdict::kSpoofedMac);
  EXPECT_EQ(check(frame(kPairMac, 0x0800, ipv4_packet(0xc0a80007, 1, 1, icmp_echo(8, 1)))), SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0xc0a80007, 1, 1, icmp_echo(8, 1)))), SpoofVerdict::kSpoofedIp)
      << "the pair's prefix belongs to the pair's MAC only";
}

TEST_F(SpoofFilterTest, DhcpClientAllowedDhcpServerNot) {
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0, 0xffffffff, 17, udp_datagram(68, 67)))), SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0, 0xffffffff, 17, udp_datagram(68, 53)))),
            SpoofVerdict::kSpoofedIp);
  EXPECT_EQ(check(frame(kVmMac, 0x0800, ipv4_packet(0x0a000005, 0xffffffff, 17, udp_datagram(67, 68)))),
            SpoofVerdict::kDhcpServer);
}

TEST_F(SpoofFilterTest, ArpSenderMustBeThePort) {
  EXPECT_EQ(check(frame(kVmMac, 0x0806, arp(kVmMac, 0x0a000005, 0x0a000001))), SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x0806, arp(kVmMac, 0, 0x0a000005))), SpoofVerdict::kPass) << "ARP probe";
  EXPECT_EQ(check(frame(kVmMac, 0x0806, arp(kVmMac, 0x0a000001, 0x0a000009))), SpoofVerdict::kSpoofedArp)
      << "claiming the gateway's address";
  EXPECT_EQ(check(frame(kVmMac, 0x0806, arp(kOtherMac, 0x0a000005, 0x0a000001))), SpoofVerdict::kSpoofedArp);
}

TEST_F(SpoofFilterTest, Ipv6LinkLocalDadAndRouterAdvertisements) {
  // fe80::f816:3eff:fe12:3456 is kVmMac's EUI-64 link-local address.
  auto ll = ipv6_packet(0, 2, 58, icmp_echo(128, 1));
  const uint8_t lla[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xf8, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56};
  std::copy(lla, lla + 16, ll.begin() + 8);
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, ll)), SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, ipv6_packet(5, 2, 17, udp_datagram(1000, 53)))), SpoofVerdict::kPass);
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, ipv6_packet(6, 2, 17, udp_datagram(1000, 53)))), SpoofVerdict::kSpoofedIp);
  auto dad = ipv6_packet(0, 2, 58, icmp_echo(135, 0));
  std::fill(dad.begin() + 8, dad.begin() + 24, 0);
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, dad)), SpoofVerdict::kPass);
  auto ra = ll;
  ra[40] = 134;
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, ra)), SpoofVerdict::kRouterAdvert);
  EXPECT_EQ(check(frame(kVmMac, 0x86dd, ipv6_packet(5, 2, 17, udp_datagram(547, 546)))), SpoofVerdict::kDhcpServer);
}

TEST_F(SpoofFilterTest, TruncatedFramesAreMalformedNotCrashes) {
  for (const auto& f : {frame(kVmMac, 0x0800, ipv4_packet(0x0a000005, 1, 17, udp_datagram(1, 2))),
                        frame(kVmMac, 0x0806, arp(kVmMac, 0x0a000005, 1)),
                        frame(kVmMac, 0x86dd, ipv6_packet(5, 2, 58, icmp_echo(128, 1)))}) {
    for (size_t cut = 0; cut < f.size(); ++cut) {
      EXPECT_EQ(filter->check(f.data(), cut), SpoofVerdict::kMalformed) << cut;
    }
  }
}

}  // namespace
}  // namespace overcast::dataplane::port_security

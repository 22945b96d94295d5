#include <gtest/gtest.h>

#include "dataplane/route/ipv4_router_ops.h"
#include "packet_builder.h"

namespace overcast::dataplane::route {
namespace {

using namespace overcast::testing;

TEST(RouterOps, TtlDecrementKeepsTheChecksumRightAndStopsAtOne) {
  auto p = ipv4_packet(0x0a000005, 0x0a000105, 17, udp_datagram(1, 2), 3);
  ASSERT_EQ(decrement_ttl(p.data(), p.size()), TtlResult::kForward);
  EXPECT_EQ(p[8], 2);
  EXPECT_EQ(p, ipv4_packet(0x0a000005, 0x0a000105, 17, udp_datagram(1, 2), 2)) << "as if built with TTL 2";
  ASSERT_EQ(decrement_ttl(p.data(), p.size()), TtlResult::kForward);
  EXPECT_EQ(decrement_ttl(p.data(), p.size()), TtlResult::kExpired);
  EXPECT_EQ(p[8], 1) << "an expired packet is not changed";
  EXPECT_EQ(decrement_ttl(p.data(), 19), TtlResult::kMalformed);
}

TEST(RouterOps, EchoReplyEqualsAReplyBuiltFromScratch) {
  auto request = ipv4_packet(0x0a000005, 0x0a000001, 1, icmp_echo(8, 0x4242, 7), 63);
  ASSERT_TRUE(echo_reply_in_place(request.data(), request.size()));
  EXPECT_EQ(request, ipv4_packet(0x0a000001, 0x0a000005, 1, icmp_echo(0, 0x4242, 7), 64));
  auto reply = request;
  EXPECT_FALSE(echo_reply_in_place(reply.data(), reply.size())) << "a reply is not answered";
  EXPECT_EQ(reply, request);
}

TEST(RouterOps, TimeExceededQuotesTheOriginal) {
  const auto original = ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(33434, 33434, 32), 1);
  uint8_t out[600];
  const size_t n = build_icmp_error(original.data(), original.size(), icmp_error::kTimeExceeded, 0, 0x0a000001, out,
                                    sizeof(out));
  const auto expected = ipv4_packet(0x0a000001, 0x0a000005, 1, overcast::testing::icmp_error(11, 0, original, 1000));
  ASSERT_EQ(n, expected.size());
  // The ICMP message byte for byte; the IP header up to its identification field.
  EXPECT_EQ(std::vector<uint8_t>(out + 20, out + n), std::vector<uint8_t>(expected.begin() + 20, expected.end()));
  EXPECT_TRUE(net::ipv4_checksum_ok(net::header_at<net::Ipv4Header>(out)));
  EXPECT_EQ(get32(std::vector<uint8_t>(out, out + 20), 12), 0x0a000001u);
  EXPECT_EQ(get32(std::vector<uint8_t>(out, out + 20), 16), 0x0a000005u);
  // Quotes are cut at 576 bytes in all.
  const auto big = ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(1, 2, 1400));
  EXPECT_EQ(build_icmp_error(big.data(), big.size(), 3, 0, 0x0a000001, out, sizeof(out)), 576u);
  EXPECT_EQ(build_icmp_error(big.data(), big.size(), 3, 0, 0x0a000001, out, 100), 0u) << "no room";
}

TEST(RouterOps, NoErrorsAboutErrorsBroadcastsOrLaterFragments) {
  uint8_t out[600];
  const auto udp = ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(1, 2));
  const auto error = ipv4_packet(0x08080808, 0x0a000005, 1, overcast::testing::icmp_error(3, 3, udp));
  EXPECT_EQ(build_icmp_error(error.data(), error.size(), 11, 0, 1, out, sizeof(out)), 0u);
  const auto echo = ipv4_packet(0x0a000005, 0x08080808, 1, icmp_echo(8, 1));
  EXPECT_GT(build_icmp_error(echo.data(), echo.size(), 11, 0, 1, out, sizeof(out)), 0u);
  const auto bcast = ipv4_packet(0x0a000005, 0xffffffff, 17, udp_datagram(1, 2));
  EXPECT_EQ(build_icmp_error(bcast.data(), bcast.size(), 11, 0, 1, out, sizeof(out)), 0u);
  const auto mcast = ipv4_packet(0x0a000005, 0xe0000001, 17, udp_datagram(1, 2));
  EXPECT_EQ(build_icmp_error(mcast.data(), mcast.size(), 11, 0, 1, out, sizeof(out)), 0u);
  auto later = udp;
  later[7] = 0x20;  // fragment offset 32
  EXPECT_EQ(build_icmp_error(later.data(), later.size(), 11, 0, 1, out, sizeof(out)), 0u);
  for (size_t cut = 0; cut < 20; ++cut) EXPECT_EQ(build_icmp_error(udp.data(), cut, 11, 0, 1, out, sizeof(out)), 0u);
}

}  // namespace
}  // namespace overcast::dataplane::route

#include "dataplane/route/ipv6_router_ops.h"

namespace overcast::dataplane::route {
namespace {

// The checksum verifies if summing with it included gives zero (checked with an
// independent sum: the pseudo-header laid out in a buffer and internet_checksum()).
bool icmp6_checksum_ok(const std::vector<uint8_t>& p) {
  std::vector<uint8_t> pseudo(40, 0);
  std::copy(p.begin() + 8, p.begin() + 40, pseudo.begin());
  const size_t n = p.size() - 40;
  put32(pseudo, 32, static_cast<uint32_t>(n));
  pseudo[39] = 58;
  pseudo.insert(pseudo.end(), p.begin() + 40, p.end());
  return net::internet_checksum(pseudo.data(), pseudo.size()) == 0;
}

std::vector<uint8_t> with_icmp6_checksum(std::vector<uint8_t> p) {
  put16(p, 42, 0);
  put16(p, 42, icmp6_checksum(p.data() + 8, p.data() + 24, p.data() + 40, p.size() - 40));
  return p;
}

TEST(Router6Ops, HopLimitEchoReplyAndErrors) {
  auto udp = ipv6_packet(5, 9, 17, udp_datagram(1, 2));
  ASSERT_EQ(decrement_hop_limit(udp.data(), udp.size()), TtlResult::kForward);
  EXPECT_EQ(udp[7], 63);
  udp[7] = 1;
  EXPECT_EQ(decrement_hop_limit(udp.data(), udp.size()), TtlResult::kExpired);
  EXPECT_EQ(decrement_hop_limit(udp.data(), 39), TtlResult::kMalformed);

  auto request = with_icmp6_checksum(ipv6_packet(5, 1, 58, icmp_echo(128, 77)));
  ASSERT_TRUE(icmp6_checksum_ok(request));
  ASSERT_TRUE(echo6_reply_in_place(request.data(), request.size()));
  auto expected = with_icmp6_checksum(ipv6_packet(1, 5, 58, icmp_echo(129, 77)));
  EXPECT_EQ(request, expected);
  EXPECT_TRUE(icmp6_checksum_ok(request));

  conntrack::IpBytes router{};
  router[0] = 0x20; router[1] = 0x01; router[2] = 0x0d; router[3] = 0xb8; router[15] = 1;
  udp[7] = 1;
  uint8_t out[1400];
  const size_t n = build_icmp6_error(udp.data(), udp.size(), icmp6_error::kTimeExceeded, 0, router, out, sizeof(out));
  ASSERT_EQ(n, 40 + 8 + udp.size());
  const std::vector<uint8_t> error(out, out + n);
  EXPECT_TRUE(icmp6_checksum_ok(error));
  EXPECT_EQ(error[40], 3);
  EXPECT_EQ(std::vector<uint8_t>(error.begin() + 48, error.end()), udp) << "the whole packet is quoted";
  EXPECT_EQ(std::vector<uint8_t>(error.begin() + 24, error.begin() + 40),
            std::vector<uint8_t>(udp.begin() + 8, udp.begin() + 24)) << "sent to the original source";
  // Never about an error; quotes stop at 1280 bytes.
  EXPECT_EQ(build_icmp6_error(error.data(), error.size(), 3, 0, router, out, sizeof(out)), 0u);
  const auto big = ipv6_packet(5, 9, 17, udp_datagram(1, 2, 1400));
  EXPECT_EQ(build_icmp6_error(big.data(), big.size(), 1, 0, router, out, sizeof(out)), 1280u);
  auto from_nowhere = udp;
  std::fill(from_nowhere.begin() + 8, from_nowhere.begin() + 24, 0);
  EXPECT_EQ(build_icmp6_error(from_nowhere.data(), from_nowhere.size(), 3, 0, router, out, sizeof(out)), 0u);
}

}  // namespace
}  // namespace overcast::dataplane::route

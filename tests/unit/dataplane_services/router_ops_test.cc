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

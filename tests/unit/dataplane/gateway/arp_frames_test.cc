// The gateway's ARP frames, byte for byte against frames written out by hand from
// RFC 826 (not built with our own structs), and the sender parser's refusals.
#include "dataplane/gateway/arp_frames.h"

#include <gtest/gtest.h>

#include <vector>

namespace overcast::dataplane::gateway {
namespace {

const MacAddress kRouterMac{{0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee}};
constexpr uint32_t kRouterIp = 0xcb00710a;   // 203.0.113.10
constexpr uint32_t kOutsideIp = 0xcb007101;  // 203.0.113.1

std::vector<uint8_t> expected_request(uint32_t target) {
  std::vector<uint8_t> f = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // to everyone
                            0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee,  // from the router's external MAC
                            0x08, 0x06,                          // ARP
                            0x00, 0x01, 0x08, 0x00, 6, 4,        // Ethernet, IPv4
                            0x00, 0x01,                          // request
                            0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee, 203, 0, 113, 10,
                            0, 0, 0, 0, 0, 0};
  f.push_back(static_cast<uint8_t>(target >> 24));
  f.push_back(static_cast<uint8_t>(target >> 16));
  f.push_back(static_cast<uint8_t>(target >> 8));
  f.push_back(static_cast<uint8_t>(target));
  f.resize(60, 0);  // padded to the Ethernet minimum
  return f;
}

TEST(ArpFramesTest, RequestIsTheRfc826Frame) {
  std::vector<uint8_t> out(128);
  const size_t n = build_arp_request(out.data(), out.size(), kRouterMac, kRouterIp, kOutsideIp);
  ASSERT_EQ(n, 60u);
  out.resize(n);
  EXPECT_EQ(out, expected_request(kOutsideIp));
}

TEST(ArpFramesTest, GratuitousArpAnnouncesItsOwnAddress) {
  std::vector<uint8_t> out(60);
  ASSERT_EQ(build_gratuitous_arp(out.data(), out.size(), kRouterMac, kRouterIp), 60u);
  EXPECT_EQ(out, expected_request(kRouterIp));
}

TEST(ArpFramesTest, ReplyIsUnicastToTheAskerWithBothPairsFilledIn) {
  const MacAddress asker{{0x02, 0x00, 0x00, 0x00, 0x00, 0x99}};
  std::vector<uint8_t> out(128, 0xaa);  // stale bytes the padding must overwrite
  const size_t n = build_arp_reply(out.data(), out.size(), kRouterMac, kRouterIp, asker, 0xcb007163);
  ASSERT_EQ(n, 60u);
  out.resize(n);
  std::vector<uint8_t> expected = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99,  // to the asker only
                                   0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee,  // from the router's external MAC
                                   0x08, 0x06,                          // ARP
                                   0x00, 0x01, 0x08, 0x00, 6, 4,        // Ethernet, IPv4
                                   0x00, 0x02,                          // reply
                                   0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee, 203, 0, 113, 10,   // we are here
                                   0x02, 0x00, 0x00, 0x00, 0x00, 0x99, 203, 0, 113, 99};  // you asked
  expected.resize(60, 0);
  EXPECT_EQ(out, expected);
  const auto sender = parse_arp_sender(out.data(), out.size());
  ASSERT_TRUE(sender.has_value());
  EXPECT_TRUE(sender->reply);
  EXPECT_EQ(sender->ip, kRouterIp);
  EXPECT_EQ(sender->mac, kRouterMac);
  EXPECT_EQ(sender->target_ip, 0xcb007163u);
}

TEST(ArpFramesTest, TooSmallABufferBuildsNothing) {
  std::vector<uint8_t> out(59);
  EXPECT_EQ(build_arp_request(out.data(), out.size(), kRouterMac, kRouterIp, kOutsideIp), 0u);
  EXPECT_EQ(build_gratuitous_arp(out.data(), out.size(), kRouterMac, kRouterIp), 0u);
  EXPECT_EQ(build_arp_reply(out.data(), out.size(), kRouterMac, kRouterIp, kRouterMac, kOutsideIp), 0u);
}

TEST(ArpFramesTest, ParsesTheSenderOfAReply) {
  std::vector<uint8_t> reply = expected_request(kRouterIp);
  // ext answers: 203.0.113.1 is at 02:00:00:00:00:01, to the router.
  const std::vector<uint8_t> body = {0x00, 0x02, 0x02, 0, 0, 0, 0, 0x01, 203, 0, 113, 1,
                                     0xfa, 0x16, 0x3e, 0x00, 0x01, 0xee, 203, 0, 113, 10};
  std::copy(body.begin(), body.end(), reply.begin() + 20);
  auto sender = parse_arp_sender(reply.data(), reply.size());
  ASSERT_TRUE(sender.has_value());
  EXPECT_TRUE(sender->reply);
  EXPECT_EQ(sender->ip, kOutsideIp);
  EXPECT_EQ(sender->mac, (MacAddress{{0x02, 0, 0, 0, 0, 0x01}}));
  EXPECT_EQ(sender->target_ip, kRouterIp);
}

TEST(ArpFramesTest, RefusesWhatIsNotEthernetIpv4Arp) {
  std::vector<uint8_t> f = expected_request(kOutsideIp);
  for (size_t cut = 0; cut < 42; ++cut) EXPECT_FALSE(parse_arp_sender(f.data(), cut).has_value()) << cut;
  auto bad = f;
  bad[12] = 0x08, bad[13] = 0x00;  // IPv4, not ARP
  EXPECT_FALSE(parse_arp_sender(bad.data(), bad.size()).has_value());
  bad = f;
  bad[19] = 16;  // protocol length of IPv6
  EXPECT_FALSE(parse_arp_sender(bad.data(), bad.size()).has_value());
  bad = f;
  bad[21] = 3;  // RARP request
  EXPECT_FALSE(parse_arp_sender(bad.data(), bad.size()).has_value());
  EXPECT_TRUE(parse_arp_sender(f.data(), 42).has_value());  // unpadded is fine
}

}  // namespace
}  // namespace overcast::dataplane::gateway

#include "net/arp.h"

#include <gtest/gtest.h>

#include <vector>

namespace overcast::net {
namespace {

std::vector<uint8_t> request_10_0_0_1_asks_10_0_0_2() {
  return {0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
          0xfa, 0x16, 0x3e, 0, 0, 1, 10, 0, 0, 1,
          0, 0, 0, 0, 0, 0, 10, 0, 0, 2};
}

TEST(Arp, ParsesEthernetIpv4) {
  auto a = request_10_0_0_1_asks_10_0_0_2();
  const ArpPacket* p = parse_arp_ethernet_ipv4(a.data(), a.size());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->operation.host(), arp::kOpRequest);
  EXPECT_EQ(p->sender_ip.host(), 0x0a000001u);
  EXPECT_EQ(p->target_ip.host(), 0x0a000002u);
}

TEST(Arp, RejectsTruncatedAndOtherTypes) {
  auto a = request_10_0_0_1_asks_10_0_0_2();
  for (size_t len = 0; len < a.size(); ++len) EXPECT_EQ(parse_arp_ethernet_ipv4(a.data(), len), nullptr) << len;
  auto bad_hw = a;
  bad_hw[1] = 6;  // IEEE 802
  EXPECT_EQ(parse_arp_ethernet_ipv4(bad_hw.data(), bad_hw.size()), nullptr);
  auto bad_proto = a;
  bad_proto[2] = 0x86;
  bad_proto[3] = 0xdd;
  EXPECT_EQ(parse_arp_ethernet_ipv4(bad_proto.data(), bad_proto.size()), nullptr);
  auto bad_len = a;
  bad_len[5] = 16;
  EXPECT_EQ(parse_arp_ethernet_ipv4(bad_len.data(), bad_len.size()), nullptr);
}

TEST(Arp, ReplyInPlaceHasExactBytes) {
  auto a = request_10_0_0_1_asks_10_0_0_2();
  auto* p = header_at<ArpPacket>(a.data());
  make_arp_reply_in_place(p, *MacAddress::parse("fa:16:3e:00:00:02"));
  const std::vector<uint8_t> expected = {0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
                                         0xfa, 0x16, 0x3e, 0, 0, 2, 10, 0, 0, 2,
                                         0xfa, 0x16, 0x3e, 0, 0, 1, 10, 0, 0, 1};
  EXPECT_EQ(a, expected);
}

}  // namespace
}  // namespace overcast::net

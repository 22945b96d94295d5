// parse_tcp_frame / parse_ip_frame on frames built byte by byte.
#include "dataplane/offload/frame_layout.h"

#include <gtest/gtest.h>

#include "dataplane/offload/offload_frames.h"

namespace overcast::dataplane::testing {
namespace {

TEST(FrameLayoutTest, OffsetsOfV4V6WithAndWithoutVlanAndOptions) {
  for (bool ipv6 : {false, true}) {
    for (bool vlan : {false, true}) {
      for (size_t words : {0u, 3u, 10u}) {
        TcpSpec s;
        s.ipv6 = ipv6;
        s.vlan = vlan;
        s.option_words = words;
        const auto f = tcp_frame(s, pattern_payload(10));
        const TcpOffsets want = tcp_offsets(s);
        auto got = parse_tcp_frame(f.data(), f.size());
        ASSERT_TRUE(got) << ipv6 << vlan << words;
        EXPECT_EQ(got->l3_offset, want.l3);
        EXPECT_EQ(got->l4_offset, want.l4);
        EXPECT_EQ(got->payload_offset, want.payload);
        EXPECT_EQ(got->ipv6, ipv6);
        auto ip = parse_ip_frame(f.data(), f.size());
        ASSERT_TRUE(ip);
        EXPECT_EQ(ip->l3_offset, want.l3);
        EXPECT_EQ(ip->ipv6, ipv6);
      }
    }
  }
}

TEST(FrameLayoutTest, Ipv4OptionsMoveTheL4Offset) {
  TcpSpec s;
  auto f = tcp_frame(s, pattern_payload(8));
  // Insert 4 bytes of IPv4 options (NOP x4) and set IHL 6.
  f.insert(f.begin() + 34, {1, 1, 1, 1});
  f[14] = 0x46;
  auto got = parse_tcp_frame(f.data(), f.size());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->l4_offset, 38);
  EXPECT_EQ(got->payload_offset, 58);
}

TEST(FrameLayoutTest, QinQTwoTagsAreSkipped) {
  TcpSpec s;
  auto f = tcp_frame(s, pattern_payload(8));
  f.insert(f.begin() + 12, {0x88, 0xa8, 0x00, 0x07, 0x81, 0x00, 0x00, 0x2a});
  auto got = parse_tcp_frame(f.data(), f.size());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->l3_offset, 22);
  EXPECT_EQ(got->l4_offset, 42);
}

TEST(FrameLayoutTest, RefusesWhatIsNotPlainTcpOverIp) {
  EXPECT_FALSE(parse_tcp_frame(nullptr, 0));
  const auto udp = udp_frame(mac(2), mac(1));
  EXPECT_FALSE(parse_tcp_frame(udp.data(), udp.size()));
  EXPECT_TRUE(parse_ip_frame(udp.data(), udp.size()));
  const auto arp = arp_request(mac(1), 0x0a000001, 0x0a000002);
  EXPECT_FALSE(parse_tcp_frame(arp.data(), arp.size()));
  EXPECT_FALSE(parse_ip_frame(arp.data(), arp.size()));

  TcpSpec s;
  const auto good = tcp_frame(s, pattern_payload(100));
  auto more_fragments = good;
  more_fragments[20] = 0x20;  // MF
  EXPECT_FALSE(parse_tcp_frame(more_fragments.data(), more_fragments.size()));
  auto later_fragment = good;
  later_fragment[20] = 0x00;
  later_fragment[21] = 0x10;  // offset 16 * 8
  EXPECT_FALSE(parse_tcp_frame(later_fragment.data(), later_fragment.size()));
  auto wrong_version = good;
  wrong_version[14] = 0x65;
  EXPECT_FALSE(parse_tcp_frame(wrong_version.data(), wrong_version.size()));
  auto short_ihl = good;
  short_ihl[14] = 0x44;
  EXPECT_FALSE(parse_tcp_frame(short_ihl.data(), short_ihl.size()));
  auto tcp_offset_too_small = good;
  tcp_offset_too_small[34 + 12] = 0x40;
  EXPECT_FALSE(parse_tcp_frame(tcp_offset_too_small.data(), tcp_offset_too_small.size()));

  s.ipv6 = true;
  auto hop_by_hop = tcp_frame(s, pattern_payload(100));
  hop_by_hop[14 + 6] = 0;  // next header: hop-by-hop options
  EXPECT_FALSE(parse_tcp_frame(hop_by_hop.data(), hop_by_hop.size()));
}

TEST(FrameLayoutTest, EveryTruncationOfTheHeadersIsRefused) {
  for (bool ipv6 : {false, true}) {
    TcpSpec s;
    s.ipv6 = ipv6;
    s.vlan = true;
    s.option_words = 2;
    const auto f = tcp_frame(s, {});
    const size_t headers = tcp_offsets(s).payload;
    ASSERT_EQ(f.size(), headers);
    for (size_t len = 0; len < headers; ++len) {
      EXPECT_FALSE(parse_tcp_frame(f.data(), len)) << "ipv6 " << ipv6 << " length " << len;
    }
    EXPECT_TRUE(parse_tcp_frame(f.data(), headers));
  }
}

}  // namespace
}  // namespace overcast::dataplane::testing

#include "net/ipv4.h"

#include <gtest/gtest.h>

#include <vector>

namespace overcast::net {
namespace {

// The classic example header (checksum 0xb861).
std::vector<uint8_t> example_header() {
  return {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
          0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
}

TEST(Ipv4, ChecksumMatchesKnownHeader) {
  auto h = example_header();
  auto* ip = header_at<Ipv4Header>(h.data());
  EXPECT_TRUE(ipv4_checksum_ok(ip));
  set_ipv4_checksum(ip);
  EXPECT_EQ(ip->checksum.host(), 0xb861);
  h[8] = 0x3f;  // TTL changed: the old checksum no longer verifies
  EXPECT_FALSE(ipv4_checksum_ok(ip));
}

TEST(Ipv4, InternetChecksumOddLength) {
  const uint8_t data[] = {0x01, 0x02, 0x03};
  // 0x0102 + 0x0300 = 0x0402 -> ~ = 0xfbfd
  EXPECT_EQ(internet_checksum(data, 3), 0xfbfd);
}

TEST(Ipv4, ParsesAndChecksLengths) {
  auto h = example_header();
  h.resize(0x73, 0);
  ParsedIpv4 p = parse_ipv4(h.data(), h.size());
  ASSERT_NE(p.header, nullptr);
  EXPECT_EQ(p.header_length, 20u);
  EXPECT_EQ(p.total_length, 0x73u);
  EXPECT_EQ(p.header->protocol, ip_proto::kUdp);
  EXPECT_EQ(p.header->src.host(), 0xc0a80001u);

  for (size_t len = 0; len < h.size(); ++len) {
    EXPECT_EQ(parse_ipv4(h.data(), len).header, nullptr) << "total_length beyond the bytes held, len " << len;
  }
}

TEST(Ipv4, RejectsBadHeaderFields) {
  auto h = example_header();
  h[3] = 20;  // total_length = header only
  EXPECT_NE(parse_ipv4(h.data(), h.size()).header, nullptr);
  auto v6 = h;
  v6[0] = 0x65;
  EXPECT_EQ(parse_ipv4(v6.data(), v6.size()).header, nullptr);
  auto short_ihl = h;
  short_ihl[0] = 0x44;
  EXPECT_EQ(parse_ipv4(short_ihl.data(), short_ihl.size()).header, nullptr);
  auto total_below_ihl = h;
  total_below_ihl[0] = 0x46;  // 24-byte header, total 20
  EXPECT_EQ(parse_ipv4(total_below_ihl.data(), total_below_ihl.size()).header, nullptr);
}

TEST(Ipv4, FragmentDetection) {
  auto h = example_header();
  auto* ip = header_at<Ipv4Header>(h.data());
  EXPECT_FALSE(ip->is_fragment());  // DF only
  ip->flags_fragment = be16::from_host(0x2000);  // MF
  EXPECT_TRUE(ip->is_fragment());
  ip->flags_fragment = be16::from_host(0x0010);  // offset
  EXPECT_TRUE(ip->is_fragment());
}

}  // namespace
}  // namespace overcast::net

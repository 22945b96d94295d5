#include <gtest/gtest.h>

#include <vector>

#include "net/ipv6.h"
#include "net/tcp.h"
#include "net/udp.h"

namespace overcast::net {
namespace {

TEST(Ipv6, ParsesAndChecksPayloadLength) {
  std::vector<uint8_t> h(48, 0);
  h[0] = 0x60;
  h[5] = 8;  // payload length
  h[6] = 17;  // UDP
  ASSERT_NE(parse_ipv6(h.data(), h.size()), nullptr);
  for (size_t len = 0; len < h.size(); ++len) EXPECT_EQ(parse_ipv6(h.data(), len), nullptr) << len;
  h[0] = 0x40;
  EXPECT_EQ(parse_ipv6(h.data(), h.size()), nullptr);
}

TEST(Udp, ChecksLengthField) {
  std::vector<uint8_t> u = {0x12, 0x34, 0x12, 0xb5, 0x00, 0x0a, 0x00, 0x00, 0xaa, 0xbb};
  const UdpHeader* h = parse_udp(u.data(), u.size());
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->src_port.host(), 0x1234);
  EXPECT_EQ(h->dst_port.host(), 4789);
  for (size_t len = 0; len < u.size(); ++len) EXPECT_EQ(parse_udp(u.data(), len), nullptr) << len;
  u[5] = 7;  // below the header size
  EXPECT_EQ(parse_udp(u.data(), u.size()), nullptr);
}

TEST(Tcp, ChecksDataOffset) {
  std::vector<uint8_t> t(24, 0);
  t[0] = 0x00; t[1] = 0x50;  // 80
  t[2] = 0xc0; t[3] = 0x00;  // 49152
  t[12] = 6 << 4;            // 24-byte header
  const TcpHeader* h = parse_tcp(t.data(), t.size());
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->src_port.host(), 80);
  EXPECT_EQ(h->dst_port.host(), 49152);
  for (size_t len = 0; len < t.size(); ++len) EXPECT_EQ(parse_tcp(t.data(), len), nullptr) << len;
  t[12] = 4 << 4;  // 16 bytes: below the fixed header
  EXPECT_EQ(parse_tcp(t.data(), t.size()), nullptr);
}

}  // namespace
}  // namespace overcast::net

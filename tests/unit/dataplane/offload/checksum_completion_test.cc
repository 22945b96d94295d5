// complete_partial_checksum: a frame left as a VM with NEEDS_CSUM leaves it (the
// field holds the folded pseudo-header sum), completed, must verify with the naive oracle.
#include "dataplane/offload/checksum_completion.h"

#include <gtest/gtest.h>

#include "dataplane/offload/offload_frames.h"

namespace overcast::dataplane::testing {
namespace {

constexpr size_t kL3 = 14, kUdpL4 = 34;

bool naive_l4_ok(const std::vector<uint8_t>& f, size_t l3, size_t l4, bool ipv6, uint8_t proto) {
  const uint32_t l4_length = static_cast<uint32_t>(f.size() - l4);
  const auto ph = ipv6 ? pseudo_header_v6(&f[l3 + 8], &f[l3 + 24], proto, l4_length)
                       : pseudo_header_v4(&f[l3 + 12], &f[l3 + 16], proto, static_cast<uint16_t>(l4_length));
  return naive_sum16(f.data() + l4, l4_length, naive_sum16(ph)) == 0xffff;
}

TEST(ChecksumCompletionTest, TcpV4AndV6OfManySizesComeOutAsAFullRecompute) {
  for (bool ipv6 : {false, true}) {
    for (size_t payload : {0u, 1u, 2u, 3u, 99u, 1448u, 1449u, 9001u}) {
      TcpSpec s;
      s.ipv6 = ipv6;
      s.option_words = payload % 3;
      auto f = tcp_frame(s, pattern_payload(payload, static_cast<uint8_t>(payload)));
      const auto reference = f;  // tcp_frame filled the checksum with the naive oracle
      const TcpOffsets o = tcp_offsets(s);
      const OffloadInfo info = make_partial(f, o.l3, o.l4, ipv6, 6, 16);
      ASSERT_TRUE(complete_partial_checksum(f.data(), f.size(), info));
      EXPECT_EQ(f, reference) << "ipv6 " << ipv6 << " payload " << payload;
      EXPECT_TRUE(naive_l4_ok(f, o.l3, o.l4, ipv6, 6));
    }
  }
}

TEST(ChecksumCompletionTest, UdpVerifiesAfterCompletion) {
  for (size_t payload : {0u, 1u, 18u, 333u, 1472u}) {
    auto f = udp_frame(mac(2), mac(1), 1000, payload);
    const OffloadInfo info = make_partial(f, kL3, kUdpL4, false, 17, 6);
    ASSERT_TRUE(complete_partial_checksum(f.data(), f.size(), info));
    EXPECT_NE(get16(&f[kUdpL4 + 6]), 0) << "payload " << payload;
    EXPECT_TRUE(naive_l4_ok(f, kL3, kUdpL4, false, 17)) << "payload " << payload;
  }
}

// Chooses the last two payload bytes so the completed checksum comes out as 0.
void force_zero_checksum(std::vector<uint8_t>& f, size_t l4) {
  f[f.size() - 2] = 0;
  f[f.size() - 1] = 0;
  const uint16_t sum = naive_sum16(f.data() + l4, f.size() - l4);  // the field already holds the pseudo sum
  const uint16_t fill = static_cast<uint16_t>(0xffff - sum);          // sum + fill = 0xffff, ~0xffff = 0
  f[f.size() - 2] = static_cast<uint8_t>(fill >> 8);
  f[f.size() - 1] = static_cast<uint8_t>(fill);
  ASSERT_EQ(naive_sum16(f.data() + l4, f.size() - l4), 0xffff);
}

TEST(ChecksumCompletionTest, UdpChecksumOfZeroIsSentAsAllOnes) {
  auto f = udp_frame(mac(2), mac(1), 1000, 20);
  const OffloadInfo info = make_partial(f, kL3, kUdpL4, false, 17, 6);
  force_zero_checksum(f, kUdpL4);
  ASSERT_TRUE(complete_partial_checksum(f.data(), f.size(), info));
  EXPECT_EQ(get16(&f[kUdpL4 + 6]), 0xffff);
  EXPECT_TRUE(naive_l4_ok(f, kL3, kUdpL4, false, 17));
}

TEST(ChecksumCompletionTest, TcpChecksumOfZeroStaysZero) {
  TcpSpec s;
  auto f = tcp_frame(s, pattern_payload(40));
  const TcpOffsets o = tcp_offsets(s);
  const OffloadInfo info = make_partial(f, o.l3, o.l4, false, 6, 16);
  force_zero_checksum(f, o.l4);
  ASSERT_TRUE(complete_partial_checksum(f.data(), f.size(), info));
  EXPECT_EQ(get16(&f[o.l4 + 16]), 0x0000);  // RFC 768's 0 -> 0xffff rule is UDP's only
  EXPECT_TRUE(naive_l4_ok(f, o.l3, o.l4, false, 6));
}

TEST(ChecksumCompletionTest, OffsetsOutOfRangeAreRefusedAndTheFrameIsUntouched) {
  const auto original = udp_frame(mac(2), mac(1), 1000, 10);  // 52 bytes
  struct Case {
    uint16_t start, offset;
  };
  const Case bad[] = {
      {52, 0},          // start at the end
      {60, 0},          // start past the end
      {34, 17},         // field straddles the end (34 + 17 + 2 = 53)
      {50, 2},          // field just past the end
      {35, 16},         // field's second byte past the end (51 + 2 = 53)
      {34, 7},          // odd offset
      {0xffff, 0xffff}, // far beyond, sum overflow in 16 bits must not wrap
  };
  for (const Case& c : bad) {
    auto f = original;
    OffloadInfo info;
    info.needs_csum = true;
    info.csum_start = c.start;
    info.csum_offset = c.offset;
    EXPECT_FALSE(complete_partial_checksum(f.data(), f.size(), info)) << c.start << "+" << c.offset;
    EXPECT_EQ(f, original);
  }
  // The last field that fits is accepted.
  auto f = original;
  OffloadInfo info;
  info.csum_start = 34;
  info.csum_offset = 16;
  EXPECT_TRUE(complete_partial_checksum(f.data(), f.size(), info));
}

}  // namespace
}  // namespace overcast::dataplane::testing

// net/checksum against the naive RFC 1071 loop of offload_frames.h.
#include "net/checksum.h"

#include <gtest/gtest.h>

#include <random>

#include "dataplane/offload/offload_frames.h"

namespace overcast::dataplane::testing {
namespace {

TEST(InternetChecksumTest, PartialMatchesNaiveOnRandomBuffersOfEveryParity) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    // Lengths 0..70 densely (every tail path of the 16/4/2/1-byte loops), then up to 64 KB.
    const size_t n = round < 142 ? static_cast<size_t>(round / 2) : rng() % 65536;
    const auto buf = random_bytes(rng, n);
    ASSERT_EQ(net::checksum_fold(net::checksum_partial(buf.data(), n)), naive_sum16(buf)) << "length " << n;
    ASSERT_EQ(net::checksum_finish(net::checksum_partial(buf.data(), n)), static_cast<uint16_t>(~naive_sum16(buf)))
        << "length " << n;
  }
}

TEST(InternetChecksumTest, AllOnesBuffersDoNotLoseCarries) {
  // 0xffff words are where a lost end-around carry shows; 64 KB of them folds to 0xffff.
  for (size_t n : {1u, 2u, 3u, 15u, 16u, 17u, 1500u, 65535u, 65536u}) {
    const std::vector<uint8_t> buf(n, 0xff);
    EXPECT_EQ(net::checksum_fold(net::checksum_partial(buf.data(), n)), naive_sum16(buf)) << "length " << n;
  }
}

TEST(InternetChecksumTest, PartialStartsFromTheGivenSum) {
  std::mt19937 rng(11);
  const auto buf = random_bytes(rng, 301);
  const uint64_t start = 0x1234567;
  const uint32_t folded_start = naive_sum16(nullptr, 0, 0x1234567);
  EXPECT_EQ(net::checksum_fold(net::checksum_partial(buf.data(), buf.size(), start)),
            naive_sum16(buf, folded_start));
}

TEST(InternetChecksumTest, EvenAlignedPiecesSumIncrementallyToTheWhole) {
  std::mt19937 rng(3);
  for (int round = 0; round < 500; ++round) {
    const size_t n = 1 + rng() % 9000;
    const auto buf = random_bytes(rng, n);
    uint64_t sum = 0;
    size_t at = 0;
    while (at < n) {
      size_t piece = 2 * (rng() % 700);  // even, so every piece starts even-aligned
      if (piece == 0 || at + piece > n) piece = n - at;  // the last piece may be odd
      sum = net::checksum_partial(buf.data() + at, piece, sum);
      at += piece;
    }
    ASSERT_EQ(net::checksum_fold(sum), naive_sum16(buf)) << "length " << n;
  }
}

TEST(InternetChecksumTest, FoldHandlesLargeUnfoldedSums) {
  EXPECT_EQ(net::checksum_fold(0), 0);
  EXPECT_EQ(net::checksum_fold(0xffff), 0xffff);
  EXPECT_EQ(net::checksum_fold(0x10000), 1);
  EXPECT_EQ(net::checksum_fold(0x1fffe), 0xffff);
  // 2^64-1 = 0xffff repeated four times: its one's complement 16-bit sum is 0xffff.
  EXPECT_EQ(net::checksum_fold(~uint64_t{0}), 0xffff);
  EXPECT_EQ(net::checksum_fold(0x0001000200030004ull), 10);
  EXPECT_EQ(net::checksum_finish(0), 0xffff);
}

TEST(InternetChecksumTest, PseudoHeaderV4MatchesTheRfcLayout) {
  std::mt19937 rng(5);
  for (int round = 0; round < 500; ++round) {
    const auto addrs = random_bytes(rng, 8);
    const uint8_t proto = static_cast<uint8_t>(rng());
    const uint16_t length = static_cast<uint16_t>(rng());
    const auto ph = pseudo_header_v4(addrs.data(), addrs.data() + 4, proto, length);
    ASSERT_EQ(net::checksum_fold(net::pseudo_header_sum_v4(addrs.data(), addrs.data() + 4, proto, length)),
              naive_sum16(ph));
  }
}

TEST(InternetChecksumTest, PseudoHeaderV6MatchesTheRfcLayoutIncludingLengthsAbove64K) {
  std::mt19937 rng(6);
  for (int round = 0; round < 500; ++round) {
    const auto addrs = random_bytes(rng, 32);
    const uint8_t nh = static_cast<uint8_t>(rng());
    const uint32_t length = round % 2 ? rng() : rng() % 65536;  // jumbogram-sized too
    const auto ph = pseudo_header_v6(addrs.data(), addrs.data() + 16, nh, length);
    ASSERT_EQ(net::checksum_fold(net::pseudo_header_sum_v6(addrs.data(), addrs.data() + 16, nh, length)),
              naive_sum16(ph));
  }
}

TEST(InternetChecksumTest, Rfc1624UpdateEqualsRecompute) {
  std::mt19937 rng(9);
  for (int round = 0; round < 3000; ++round) {
    auto buf = random_bytes(rng, 2 * (1 + rng() % 40));
    if (round % 10 == 0) std::fill(buf.begin(), buf.end(), 0);  // sums of 0 / -0 edge cases
    const size_t word = 2 * (rng() % (buf.size() / 2));
    const uint16_t before = static_cast<uint16_t>(~naive_sum16(buf));
    const uint16_t old_value = get16(&buf[word]);
    const uint16_t new_value = round % 7 == 0 ? 0 : round % 7 == 1 ? 0xffff : static_cast<uint16_t>(rng());
    buf[word] = static_cast<uint8_t>(new_value >> 8);
    buf[word + 1] = static_cast<uint8_t>(new_value);
    const uint16_t recomputed = static_cast<uint16_t>(~naive_sum16(buf));
    const uint16_t updated = net::checksum_update16(before, old_value, new_value);
    // One's complement has two zeros: 0x0000 and 0xffff are the same checksum value
    // (RFC 1624 §3); anything else must match exactly.
    if (updated != recomputed) {
      ASSERT_TRUE(recomputed == 0x0000 || recomputed == 0xffff) << "round " << round;
      ASSERT_TRUE(updated == 0x0000 || updated == 0xffff) << "round " << round;
    }
  }
}

TEST(InternetChecksumTest, Rfc1624ExampleFromTheRfc) {
  // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
  EXPECT_EQ(net::checksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

}  // namespace
}  // namespace overcast::dataplane::testing

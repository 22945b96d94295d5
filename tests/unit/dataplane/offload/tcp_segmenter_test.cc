// TcpSegmenter: every segment is compared byte for byte with a segment written
// independently by tcp_frame() (naive checksums), and its fields are checked one by one.
#include "dataplane/offload/tcp_segmenter.h"

#include <gtest/gtest.h>

#include <memory>

#include "dataplane/offload/offload_frames.h"

namespace overcast::dataplane::testing {
namespace {

const uint8_t kNoPrefix[1] = {0};

struct Emitted {
  std::vector<std::vector<uint8_t>> datagrams;
  std::vector<size_t> per_call;  // segments returned by each next()
};

// Runs the segmenter to the end, copying each datagram out of its two iovecs before
// the next call reuses the scratch. Checks the iovec shape on the way: a header iovec
// of segment_size() - mss bytes and a payload iovec pointing into `frame` itself.
Emitted drain(TcpSegmenter& seg, const std::vector<uint8_t>& frame, size_t payload_offset, size_t max_bytes) {
  Emitted e;
  size_t next_payload = payload_offset;
  for (int guard = 0; !seg.done() && guard < 100000; ++guard) {
    const size_t n = seg.next(max_bytes);
    EXPECT_GE(n, 1u);
    EXPECT_LE(n, TcpSegmenter::kMaxSegments);
    if (n == 0) break;
    e.per_call.push_back(n);
    const iovec* iov = seg.iov();
    for (size_t i = 0; i < n; ++i) {
      const auto* h = static_cast<const uint8_t*>(iov[2 * i].iov_base);
      const auto* p = static_cast<const uint8_t*>(iov[2 * i + 1].iov_base);
      EXPECT_EQ(p, frame.data() + next_payload) << "payload is a slice of the super-frame, not a copy";
      next_payload += iov[2 * i + 1].iov_len;
      std::vector<uint8_t> d(h, h + iov[2 * i].iov_len);
      d.insert(d.end(), p, p + iov[2 * i + 1].iov_len);
      e.datagrams.push_back(std::move(d));
    }
  }
  EXPECT_TRUE(seg.done());
  EXPECT_EQ(next_payload, frame.size());
  return e;
}

struct Case {
  const char* name;
  bool ipv6;
  bool vlan;
  size_t option_words;
  uint16_t mss;
  size_t payload;
  uint8_t flags;
  uint32_t seq;
  uint16_t ip_id;
};

void check_segmentation(const Case& c, const std::vector<uint8_t>& prefix) {
  SCOPED_TRACE(c.name);
  TcpSpec s;
  s.ipv6 = c.ipv6;
  s.vlan = c.vlan;
  s.option_words = c.option_words;
  s.flags = c.flags;
  s.seq = c.seq;
  s.ip_id = c.ip_id;
  const auto payload = pattern_payload(c.payload, 3);
  const auto frame = tcp_frame(s, payload);
  const TcpOffsets o = tcp_offsets(s);

  auto seg = std::make_unique<TcpSegmenter>();
  const uint8_t* prefix_bytes = prefix.empty() ? kNoPrefix : prefix.data();
  ASSERT_TRUE(seg->start(prefix_bytes, prefix.size(), frame.data(), frame.size(), c.mss));
  EXPECT_EQ(seg->segment_size(), prefix.size() + o.payload + c.mss);
  const Emitted e = drain(*seg, frame, o.payload, SIZE_MAX);

  const size_t expected_count = (c.payload + c.mss - 1) / c.mss;
  ASSERT_EQ(e.datagrams.size(), expected_count);
  std::vector<uint8_t> reassembled;
  for (size_t i = 0; i < expected_count; ++i) {
    SCOPED_TRACE("segment " + std::to_string(i));
    const bool first = i == 0, last = i + 1 == expected_count;
    const size_t begin = i * c.mss;
    const size_t len = std::min<size_t>(c.mss, c.payload - begin);
    const std::vector<uint8_t> slice(payload.begin() + static_cast<long>(begin),
                                     payload.begin() + static_cast<long>(begin + len));

    TcpSpec si = s;
    si.seq = c.seq + static_cast<uint32_t>(begin);
    si.ip_id = static_cast<uint16_t>(c.ip_id + i);
    si.flags = c.flags;
    if (!last) si.flags &= static_cast<uint8_t>(~(kFin | kPsh));
    if (!first) si.flags &= static_cast<uint8_t>(~kCwr);
    std::vector<uint8_t> expected = prefix;
    const auto inner = tcp_frame(si, slice);
    expected.insert(expected.end(), inner.begin(), inner.end());

    const std::vector<uint8_t>& d = e.datagrams[i];
    ASSERT_EQ(d.size(), expected.size());
    // Field by field first (readable failures), then every byte.
    EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), d.begin()));
    const uint8_t* f = d.data() + prefix.size();
    const size_t flen = d.size() - prefix.size();
    EXPECT_EQ(get32(f + o.l4 + 4), si.seq);
    EXPECT_EQ(f[o.l4 + 13], si.flags);
    if (!c.ipv6) {
      EXPECT_EQ(get16(f + o.l3 + 2), flen - o.l3);
      EXPECT_EQ(get16(f + o.l3 + 4), si.ip_id);
      EXPECT_TRUE(naive_ipv4_header_ok(f, o.l3));
    } else {
      EXPECT_EQ(get16(f + o.l3 + 4), flen - o.l4);
    }
    EXPECT_TRUE(naive_tcp_checksum_ok(f, flen, o.l3, o.l4, c.ipv6));
    EXPECT_EQ(d, expected);
    reassembled.insert(reassembled.end(), f + o.payload, f + flen);
  }
  EXPECT_EQ(reassembled, payload);
}

const std::vector<uint8_t> kPrefix = tunnel_prefix(0x123456);

TEST(TcpSegmenterTest, Ipv4SixtyFourKilobytesAtMss1448) {
  check_segmentation({"v4 64K", false, false, 0, 1448, 65000, kAck | kPsh, 1000, 0x1234}, kPrefix);
}

TEST(TcpSegmenterTest, Ipv4WithOptionsAndVlanAndOddMss) {
  check_segmentation({"v4 opts vlan", false, true, 3, 1001, 10007, kAck | kPsh, 77, 9}, kPrefix);
}

TEST(TcpSegmenterTest, Ipv6SuperFrame) {
  check_segmentation({"v6", true, false, 0, 1428, 30000, kAck | kPsh, 5, 0}, kPrefix);
}

TEST(TcpSegmenterTest, Ipv6WithOptionsAndVlanAndOddMss) {
  check_segmentation({"v6 opts vlan", true, true, 10, 777, 5000, kAck, 123456, 0}, kPrefix);
}

TEST(TcpSegmenterTest, PayloadAnExactMultipleOfMss) {
  check_segmentation({"multiple", false, false, 3, 1000, 4000, kAck | kPsh, 1, 1}, kPrefix);
}

TEST(TcpSegmenterTest, MssLargerThanPayloadGivesOneSegmentEqualToTheFrame) {
  check_segmentation({"one", false, false, 0, 1448, 500, kAck | kPsh | kFin | kCwr, 1, 1}, kPrefix);
  check_segmentation({"one v6", true, true, 0, 65535, 1, kAck | kPsh, 1, 1}, kPrefix);
}

TEST(TcpSegmenterTest, MssOfOneByte) {
  check_segmentation({"mss 1", false, false, 0, 1, 150, kAck | kPsh, 1, 1}, kPrefix);
}

TEST(TcpSegmenterTest, FlagsFinPshOnlyOnTheLastCwrOnlyOnTheFirstEceOnAll) {
  check_segmentation({"flags", false, false, 0, 100, 350, kAck | kPsh | kFin | kCwr | kEce, 1, 1}, kPrefix);
  check_segmentation({"flags v6", true, false, 1, 99, 1000, kAck | kPsh | kFin | kCwr | kEce, 1, 1}, kPrefix);
}

TEST(TcpSegmenterTest, SequenceAndIpIdWrapAround) {
  check_segmentation({"wrap", false, false, 0, 1000, 9000, kAck, 0xfffff000u, 0xfffd}, kPrefix);
}

TEST(TcpSegmenterTest, WithoutPrefix) {
  check_segmentation({"no prefix", false, true, 2, 1460, 20000, kAck | kPsh, 42, 7}, {});
}

TEST(TcpSegmenterTest, IgnoresTheSuperFramesOwnIpLengthAndChecksum) {
  TcpSpec s;
  const auto payload = pattern_payload(5000);
  auto frame = tcp_frame(s, payload);
  auto broken = frame;
  broken[16] = 0;  // IPv4 total length 0, header checksum now wrong: a GSO frame may say anything
  broken[17] = 0;
  TcpSegmenter a, b;
  ASSERT_TRUE(a.start(kPrefix.data(), kPrefix.size(), frame.data(), frame.size(), 1400));
  ASSERT_TRUE(b.start(kPrefix.data(), kPrefix.size(), broken.data(), broken.size(), 1400));
  const Emitted ea = drain(a, frame, 54, SIZE_MAX);
  const Emitted eb = drain(b, broken, 54, SIZE_MAX);
  EXPECT_EQ(ea.datagrams, eb.datagrams);
}

TEST(TcpSegmenterTest, NextRespectsMaxBytes) {
  TcpSpec s;
  const auto frame = tcp_frame(s, pattern_payload(20000));
  for (size_t per_call : {1u, 2u, 3u, 7u}) {
    auto seg = std::make_unique<TcpSegmenter>();
    ASSERT_TRUE(seg->start(kPrefix.data(), kPrefix.size(), frame.data(), frame.size(), 1000));
    const size_t max_bytes = per_call * seg->segment_size();
    const Emitted e = drain(*seg, frame, 54, max_bytes);
    ASSERT_EQ(e.datagrams.size(), 20u);
    size_t at = 0;
    for (size_t n : e.per_call) {
      size_t bytes = 0;
      for (size_t i = at; i < at + n; ++i) bytes += e.datagrams[i].size();
      EXPECT_LE(bytes, max_bytes);
      // Full segments until the last call: exactly per_call of them.
      if (at + n < e.datagrams.size()) {
        EXPECT_EQ(n, per_call);
      }
      at += n;
    }
  }
}

TEST(TcpSegmenterTest, NextEmitsAtLeastOneSegmentEvenWhenMaxBytesIsTooSmall) {
  TcpSpec s;
  const auto frame = tcp_frame(s, pattern_payload(3000));
  TcpSegmenter seg;
  ASSERT_TRUE(seg.start(kPrefix.data(), kPrefix.size(), frame.data(), frame.size(), 1000));
  const Emitted e = drain(seg, frame, 54, 10);
  EXPECT_EQ(e.per_call, (std::vector<size_t>{1, 1, 1}));
}

TEST(TcpSegmenterTest, NextStopsAtMaxSegments) {
  TcpSpec s;
  const auto frame = tcp_frame(s, pattern_payload(200));
  auto seg = std::make_unique<TcpSegmenter>();
  ASSERT_TRUE(seg->start(kPrefix.data(), kPrefix.size(), frame.data(), frame.size(), 1));
  const Emitted e = drain(*seg, frame, 54, SIZE_MAX);
  EXPECT_EQ(e.per_call, (std::vector<size_t>{64, 64, 64, 8}));
}

TEST(TcpSegmenterTest, StartRefusesWhatItCannotSegment) {
  TcpSegmenter seg;
  const uint8_t* p = kPrefix.data();
  const size_t pl = kPrefix.size();

  const auto udp = udp_frame(mac(2), mac(1), 1000, 3000);
  EXPECT_FALSE(seg.start(p, pl, udp.data(), udp.size(), 1000));
  const auto arp = arp_request(mac(1), 1, 2);
  EXPECT_FALSE(seg.start(p, pl, arp.data(), arp.size(), 1000));

  TcpSpec s;
  const auto good = tcp_frame(s, pattern_payload(3000));
  EXPECT_FALSE(seg.start(p, pl, good.data(), good.size(), 0)) << "mss 0";

  auto fragment = good;
  fragment[20] = 0x20;  // MF
  EXPECT_FALSE(seg.start(p, pl, fragment.data(), fragment.size(), 1000));
  auto later_fragment = good;
  later_fragment[20] = 0x00;
  later_fragment[21] = 0xb9;
  EXPECT_FALSE(seg.start(p, pl, later_fragment.data(), later_fragment.size(), 1000));

  TcpSpec s6;
  s6.ipv6 = true;
  auto ext = tcp_frame(s6, pattern_payload(3000));
  ext[14 + 6] = 44;  // next header: fragment extension header
  EXPECT_FALSE(seg.start(p, pl, ext.data(), ext.size(), 1000));
  ext[14 + 6] = 0;  // hop-by-hop
  EXPECT_FALSE(seg.start(p, pl, ext.data(), ext.size(), 1000));

  // Truncated anywhere in the headers, and headers with no payload at all.
  for (size_t len = 0; len <= 54; ++len) {
    EXPECT_FALSE(seg.start(p, pl, good.data(), len, 1000)) << "length " << len;
  }
  // A TCP data offset beyond the bytes held.
  auto long_options = tcp_frame(s, pattern_payload(10));
  long_options[34 + 12] = 0xf0;  // 60-byte header, only 30 bytes follow
  EXPECT_FALSE(seg.start(p, pl, long_options.data(), long_options.size(), 1000));

  // A prefix so long the per-segment headers would not fit the scratch.
  const std::vector<uint8_t> huge_prefix(TcpSegmenter::kMaxHeader - 54 + 1, 0);
  EXPECT_FALSE(seg.start(huge_prefix.data(), huge_prefix.size(), good.data(), good.size(), 1000));
  const std::vector<uint8_t> max_prefix(TcpSegmenter::kMaxHeader - 54, 0);
  EXPECT_TRUE(seg.start(max_prefix.data(), max_prefix.size(), good.data(), good.size(), 1000));
}

TEST(TcpSegmenterTest, RestartAfterAPartialRunStartsClean) {
  TcpSpec s;
  const auto big = tcp_frame(s, pattern_payload(10000));
  auto seg = std::make_unique<TcpSegmenter>();
  ASSERT_TRUE(seg->start(kPrefix.data(), kPrefix.size(), big.data(), big.size(), 1000));
  ASSERT_EQ(seg->next(2 * seg->segment_size()), 2u);
  // A new frame: IP IDs restart from its own ID, sequence from its own.
  s.ip_id = 100;
  s.seq = 9;
  const auto other = tcp_frame(s, pattern_payload(3000, 3));
  ASSERT_TRUE(seg->start(kPrefix.data(), kPrefix.size(), other.data(), other.size(), 1000));
  const Emitted e = drain(*seg, other, 54, SIZE_MAX);
  ASSERT_EQ(e.datagrams.size(), 3u);
  EXPECT_EQ(get16(e.datagrams[0].data() + 8 + 14 + 4), 100);
  EXPECT_EQ(get32(e.datagrams[0].data() + 8 + 34 + 4), 9u);
}

}  // namespace
}  // namespace overcast::dataplane::testing

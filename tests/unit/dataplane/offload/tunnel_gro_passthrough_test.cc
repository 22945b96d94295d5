// TunnelGro on what must not be merged (non-TCP, runts, SYNs, pure ACKs), on
// buffers it must pass or drop whole, on pool exhaustion, and a TSO -> GRO -> TSO
// round trip through TcpSegmenter.
#include <memory>

#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/offload/tunnel_gro_fixture.h"

namespace overcast::dataplane::testing {
namespace {

TEST_F(TunnelGroTest, NonTcpPassesThroughUnchangedOnePerFrame) {
  const size_t size = 300;
  const std::vector<std::vector<uint8_t>> d = {udp_datagram(size), udp_datagram(size, 1001), arp_datagram(size),
                                               udp_datagram(size, 1002), arp_datagram(120)};
  const auto out = run(d);
  ASSERT_EQ(out.size(), d.size());
  for (size_t i = 0; i < d.size(); ++i) expect_single(out[i], d[i], false);
  EXPECT_EQ(counter(TunnelGro::kMerged), 0u);
  EXPECT_EQ(counter(TunnelGro::kFrames), d.size());
}

TEST_F(TunnelGroTest, NonTcpBetweenSegmentsSplitsTheRun) {
  Flow flow;
  const size_t size = flow.segment(0).size();
  const std::vector<std::vector<uint8_t>> d = {flow.segment(0), flow.segment(1), udp_datagram(size),
                                               flow.segment(2), flow.segment(3), arp_datagram(size)};
  const auto out = run(d);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 1));
  expect_single(out[1], d[2], false);
  EXPECT_EQ(out[2].bytes, flow.merged(2, 3));
  expect_single(out[3], d[5], false);
}

TEST_F(TunnelGroTest, RuntLastDatagramsPassAloneWithoutHarm) {
  Flow flow;
  for (size_t runt : {3u, 8u, 8u + 20u, 8u + 14u + 20u + 19u}) {
    SCOPED_TRACE(runt);
    std::vector<std::vector<uint8_t>> d;
    for (size_t i = 0; i < 3; ++i) d.push_back(flow.segment(i));
    const auto next = flow.segment(3);
    d.emplace_back(next.begin(), next.begin() + static_cast<long>(runt));  // cut inside its headers
    const auto out = run(d);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].bytes, flow.merged(0, 2));
    expect_single(out[1], d[3], false);
    free_outputs();
  }
}

TEST_F(TunnelGroTest, SynSegmentsAreNotMerged) {
  Flow flow;
  flow.spec.flags = kAck | kSyn;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 3; ++i) d.push_back(flow.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 3u);
  for (size_t i = 0; i < 3; ++i) expect_single(out[i], d[i], false);
}

TEST_F(TunnelGroTest, PureAcksAreNotMerged) {
  TcpSpec s;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 4; ++i) {
    s.ack += 1448;
    d.push_back(with_prefix(kVni, tcp_frame(s, {})));
  }
  const auto out = run(d);
  ASSERT_EQ(out.size(), 4u);
  for (size_t i = 0; i < 4; ++i) expect_single(out[i], d[i], false);
}


TEST_F(TunnelGroTest, GroSizeZeroIsPassedThroughUnchanged) {
  Flow flow;
  std::vector<uint8_t> buffer;
  for (size_t i = 0; i < 3; ++i) {
    const auto s = flow.segment(i);
    buffer.insert(buffer.end(), s.begin(), s.end());
  }
  const auto out = run_buffer(buffer, 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, buffer);
  EXPECT_FALSE(out[0].offload.is_gso());
  EXPECT_FALSE(out[0].offload.needs_csum);
  EXPECT_EQ(counter(TunnelGro::kMerged), 0u);
}

TEST_F(TunnelGroTest, OneDatagramBufferIsPassedThroughUnchanged) {
  Flow flow;
  const auto s = flow.segment(0);
  const auto out = run_buffer(s, static_cast<uint16_t>(s.size()));  // gro_size == length: one datagram
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, s);
  EXPECT_EQ(out[0].meta.gro_size, 0);
}

TEST_F(TunnelGroTest, MoreThanMaxDatagramsIsDroppedAsBadOffload) {
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < TunnelGro::kMaxDatagrams + 1; ++i) d.push_back(udp_datagram(60, static_cast<uint16_t>(i)));
  const auto out = run(d);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(drops_.value(DropReason::kBadOffload), 1u);
  EXPECT_EQ(counter(TunnelGro::kDropped), 1u);
}

class TunnelGroLargePoolTest : public TunnelGroTest {
 protected:
  TunnelGroLargePoolTest() : TunnelGroTest(TunnelGro::kMaxDatagrams + 1, 16384 + Packet::kHeadroom) {}
};

TEST_F(TunnelGroLargePoolTest, ExactlyMaxDatagramsIsAccepted) {
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < TunnelGro::kMaxDatagrams; ++i) d.push_back(udp_datagram(60, static_cast<uint16_t>(i)));
  const auto out = run(d);
  EXPECT_EQ(out.size(), TunnelGro::kMaxDatagrams);
  EXPECT_EQ(drops_.value(DropReason::kBadOffload), 0u);
}


class TunnelGroTinyPoolTest : public TunnelGroTest {
 protected:
  TunnelGroTinyPoolTest() : TunnelGroTest(2) {}
};

TEST_F(TunnelGroTinyPoolTest, PoolExhaustionIsCountedAsNoBufferWithoutLeaks) {
  Flow a, b;
  b.spec.sport = 40001;
  // Four runs: the first is merged in place, the second takes the pool's last buffer,
  // the third and fourth find none.
  const std::vector<std::vector<uint8_t>> d = {a.segment(0), a.segment(1), b.segment(0), b.segment(1),
                                               a.segment(2), b.segment(2)};
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, a.merged(0, 1));
  EXPECT_EQ(out[1].bytes, b.merged(0, 1));
  EXPECT_EQ(drops_.value(DropReason::kNoBuffer), 2u);
  EXPECT_EQ(counter(TunnelGro::kDropped), 2u);
  free_outputs();
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

// Segment a super-frame with TcpSegmenter (with the tunnel prefix), GRO the
// datagrams back, segment the merged frame again (no prefix): the same segments.
void round_trip(const std::vector<uint8_t>& super_frame, uint16_t mss, const std::vector<Output>& out,
                const std::vector<std::vector<uint8_t>>& first_segments) {
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].offload.gso_size, mss);
  const std::vector<uint8_t> merged(out[0].bytes.begin() + kTunnelHeader, out[0].bytes.end());
  EXPECT_EQ(merged.size(), super_frame.size());
  auto seg = std::make_unique<TcpSegmenter>();
  const uint8_t none[1] = {0};
  ASSERT_TRUE(seg->start(none, 0, merged.data(), merged.size(), out[0].offload.gso_size));
  std::vector<std::vector<uint8_t>> again;
  while (!seg->done()) {
    const size_t n = seg->next(SIZE_MAX);
    ASSERT_GT(n, 0u);
    for (size_t i = 0; i < n; ++i) {
      const iovec* iov = seg->iov();
      const auto* h = static_cast<const uint8_t*>(iov[2 * i].iov_base);
      const auto* p = static_cast<const uint8_t*>(iov[2 * i + 1].iov_base);
      std::vector<uint8_t> s(h, h + iov[2 * i].iov_len);
      s.insert(s.end(), p, p + iov[2 * i + 1].iov_len);
      again.push_back(std::move(s));
    }
  }
  ASSERT_EQ(again.size(), first_segments.size());
  for (size_t i = 0; i < again.size(); ++i) {
    const std::vector<uint8_t> original(first_segments[i].begin() + kTunnelHeader, first_segments[i].end());
    EXPECT_EQ(again[i], original) << "segment " << i;
  }
}

TEST_F(TunnelGroTest, RoundTripSegmentGroSegment) {
  for (bool ipv6 : {false, true}) {
    SCOPED_TRACE(ipv6 ? "ipv6" : "ipv4");
    TcpSpec s;
    s.ipv6 = ipv6;
    s.option_words = 3;
    s.flags = kAck | kPsh;
    const uint16_t mss = 1398;
    const auto super_frame = tcp_frame(s, pattern_payload(40000, 9));
    const auto prefix = tunnel_prefix(kVni);
    auto seg = std::make_unique<TcpSegmenter>();
    ASSERT_TRUE(seg->start(prefix.data(), prefix.size(), super_frame.data(), super_frame.size(), mss));
    std::vector<std::vector<uint8_t>> datagrams;
    while (!seg->done()) {
      const size_t n = seg->next(SIZE_MAX);
      ASSERT_GT(n, 0u);
      const iovec* iov = seg->iov();
      for (size_t i = 0; i < n; ++i) {
        const auto* h = static_cast<const uint8_t*>(iov[2 * i].iov_base);
        const auto* p = static_cast<const uint8_t*>(iov[2 * i + 1].iov_base);
        std::vector<uint8_t> d(h, h + iov[2 * i].iov_len);
        d.insert(d.end(), p, p + iov[2 * i + 1].iov_len);
        datagrams.push_back(std::move(d));
      }
    }
    ASSERT_EQ(datagrams.size(), (40000u + mss - 1) / mss);
    const auto out = run(datagrams, static_cast<int>(seg->segment_size()));
    round_trip(super_frame, mss, out, datagrams);
    free_outputs();
  }
}

}  // namespace
}  // namespace overcast::dataplane::testing

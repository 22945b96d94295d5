// PathMtuStage: frames for the tunnel against a segment of MTU 1450 — what fits goes
// on untouched, GSO frames get a gso_size that fits, partial checksums are finished.
// (Frames that do not fit: path_mtu_too_big_test.cc.)
#include "dataplane/offload/path_mtu_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

// ---- frames that fit -----------------------------------------------------------

TEST_F(PathMtuStageTest, FramesUpToTheMtuGoOnUntouched) {
  const auto exact = udp_frame_of(14 + kMtu);
  IpSpec tagged;
  tagged.vlan = true;
  const auto exact_tagged = udp_frame_of(14 + kMtu, tagged);
  const auto small = udp_frame_of(64);
  const auto exact6 = udp_frame_of(14 + kMtu, ipv6());
  run({make(exact), make(exact_tagged), make(small), make(exact6)});
  ASSERT_EQ(fits_.size(), 4u);
  EXPECT_EQ(fits_[0].bytes, exact);
  EXPECT_EQ(fits_[1].bytes, exact_tagged);
  EXPECT_EQ(fits_[2].bytes, small);
  EXPECT_EQ(fits_[3].bytes, exact6);
  EXPECT_EQ(fits_[0].meta.vni, kSegmentVni);
  EXPECT_EQ(fits_[0].meta.remote_vtep, 0xc0a80002u);
  EXPECT_TRUE(local_.empty());
  EXPECT_EQ(total_drops(), 0u);
  expect_counters(4, 4, 0, 0, 0);
}

TEST_F(PathMtuStageTest, FramesOfAnUnknownVniAreDropped) {
  Packet* p = make(udp_frame_of(100));
  p->meta.vni = 4242;
  run({p});
  EXPECT_TRUE(fits_.empty());
  EXPECT_EQ(drops(DropReason::kUnknownVni), 1u);
  expect_counters(1, 0, 0, 0, 1);
}

TEST_F(PathMtuStageTest, EachFrameIsMeasuredAgainstTheMtuOfItsOwnSegment) {
  Segment& jumbo = table_.segments[200];
  jumbo.vni = 200;
  jumbo.mtu = 9000;
  const auto f = udp_frame_of(3000);
  Packet* on_jumbo = make(f);
  on_jumbo->meta.vni = 200;
  Packet* on_jumbo_again = make(f);
  on_jumbo_again->meta.vni = 200;
  run({make(f), on_jumbo, make(f), on_jumbo_again});
  ASSERT_EQ(fits_.size(), 2u);
  EXPECT_EQ(fits_[0].meta.vni, 200u);
  EXPECT_EQ(fits_[0].bytes, f);
  EXPECT_EQ(fits_[1].meta.vni, 200u);
  ASSERT_EQ(local_.size(), 2u);
  EXPECT_EQ(too_big_reply_problem(f, local_[0].bytes, kMtu), "");
  EXPECT_EQ(too_big_reply_problem(f, local_[1].bytes, kMtu), "");
  expect_counters(4, 2, 0, 2, 2);
}

// ---- GSO --------------------------------------------------------------------------

TEST_F(PathMtuStageTest, GsoSizeIsLoweredSoEverySegmentFits) {
  struct Case {
    bool v6, vlan;
    size_t option_words;
  };
  for (const Case c : {Case{false, false, 0}, Case{false, true, 0}, Case{false, false, 3}, Case{true, false, 0},
                       Case{true, true, 2}}) {
    TcpSpec s;
    s.ipv6 = c.v6;
    s.vlan = c.vlan;
    s.option_words = c.option_words;
    const auto f = tcp_frame(s, pattern_payload(20000));
    const TcpOffsets o = tcp_offsets(s);
    run_one(f, kVmPort, gso(c.v6 ? GsoType::kTcpV6 : GsoType::kTcpV4, 8948, s));
    ASSERT_EQ(fits_.size(), 1u);
    const size_t expected = 14 + kMtu - o.payload;  // segment frame = mtu + Ethernet
    EXPECT_EQ(fits_[0].meta.offload.gso_size, expected) << "v6 " << c.v6 << " vlan " << c.vlan;
    EXPECT_EQ(fits_[0].bytes, f) << "a GSO frame is cut later, not here";
    EXPECT_TRUE(fits_[0].meta.offload.needs_csum) << "the segmenter finishes each segment's checksum";
    fits_.clear();
  }
  EXPECT_EQ(total_drops(), 0u);
  expect_counters(5, 5, 0, 0, 0);
}

TEST_F(PathMtuStageTest, GsoSizeThatAlreadyFitsIsKept) {
  TcpSpec s;
  const auto f = tcp_frame(s, pattern_payload(5000));
  const uint16_t exact = static_cast<uint16_t>(14 + kMtu - tcp_offsets(s).payload);
  run({make(f, kVmPort, gso(GsoType::kTcpV4, 1000, s)), make(f, kVmPort, gso(GsoType::kTcpV4, exact, s))});
  ASSERT_EQ(fits_.size(), 2u);
  EXPECT_EQ(fits_[0].meta.offload.gso_size, 1000);
  EXPECT_EQ(fits_[1].meta.offload.gso_size, exact);
  expect_counters(2, 2, 0, 0, 0);
}

TEST_F(PathMtuStageTest, GsoFrameThatIsNotTcpIsBadOffload) {
  TcpSpec s;
  OffloadInfo info = gso(GsoType::kTcpV4, 1448, s);
  run_one(udp_frame_of(5000, no_df()), kVmPort, info);
  info.gso_type = GsoType::kTcpV6;
  run_one(udp_frame_of(5000, ipv6()), kVmPort, info);
  auto arp = arp_request(mac(1), 1, 2);
  run_one(arp, kVmPort, info);
  EXPECT_TRUE(fits_.empty());
  EXPECT_TRUE(local_.empty());
  EXPECT_EQ(drops(DropReason::kBadOffload), 3u);
  EXPECT_EQ(total_drops(), 3u);
  expect_counters(3, 0, 0, 0, 3);
}

TEST_F(PathMtuStageTest, GsoFrameWhoseHeadersAloneExceedTheMtuIsTooBig) {
  table_.segments[kSegmentVni].mtu = 68;  // the IPv4 minimum: 82-byte frames
  TcpSpec s;
  s.ipv6 = true;
  s.option_words = 10;  // 14 + 40 + 60 header bytes
  run_one(tcp_frame(s, pattern_payload(3000)), kVmPort, gso(GsoType::kTcpV6, 1000, s));
  EXPECT_TRUE(fits_.empty());
  EXPECT_EQ(drops(DropReason::kTooBig), 1u);
  expect_counters(1, 0, 0, 0, 1);
}

// ---- partial checksums ------------------------------------------------------------

TEST_F(PathMtuStageTest, PartialChecksumOfAFrameThatFitsIsFinished) {
  auto udp = udp_frame_of(1000, no_df());
  const OffloadInfo udp_info = make_partial(udp, 14, 34, false, 17, 6);
  TcpSpec s6;
  s6.ipv6 = true;
  auto tcp6 = tcp_frame(s6, pattern_payload(1200));
  const auto reference6 = tcp6;
  const TcpOffsets o6 = tcp_offsets(s6);
  const OffloadInfo tcp_info = make_partial(tcp6, o6.l3, o6.l4, true, 6, 16);
  run({make(udp, kVmPort, udp_info), make(tcp6, kVmPort, tcp_info)});
  ASSERT_EQ(fits_.size(), 2u);
  EXPECT_FALSE(fits_[0].meta.offload.needs_csum);
  EXPECT_FALSE(fits_[1].meta.offload.needs_csum);
  EXPECT_TRUE(naive_l4_ok(fits_[0].bytes.data(), fits_[0].bytes.size(), 14, 34, false, 17));
  EXPECT_TRUE(naive_l4_ok(fits_[1].bytes.data(), fits_[1].bytes.size(), o6.l3, o6.l4, true, 6));
  EXPECT_EQ(fits_[1].bytes, reference6) << "tcp_frame's own checksum, by the naive oracle";
  expect_counters(2, 2, 0, 0, 0);
}

TEST_F(PathMtuStageTest, PartialChecksumOffsetsOutsideTheFrameAreBadOffload) {
  const auto f = udp_frame_of(200);
  OffloadInfo beyond;
  beyond.needs_csum = true;
  beyond.csum_start = 199;
  beyond.csum_offset = 6;
  OffloadInfo far;
  far.needs_csum = true;
  far.csum_start = 60000;
  far.csum_offset = 16;
  run({make(f, kVmPort, beyond), make(f, kVmPort, far)});
  EXPECT_TRUE(fits_.empty());
  EXPECT_EQ(drops(DropReason::kBadOffload), 2u);
  expect_counters(2, 0, 0, 0, 2);
}

TEST_F(PathMtuStageTest, FragmentsCarryTheFinishedChecksum) {
  auto f = udp_frame_of(4000, no_df());
  const OffloadInfo info = make_partial(f, 14, 34, false, 17, 6);
  run_one(f, kVmPort, info);
  ASSERT_EQ(fits_.size(), 3u);
  // Put the data back together behind the first fragment's header: the UDP checksum
  // of the whole datagram, as the receiver checks it after reassembly, verifies.
  std::vector<uint8_t> whole(f.begin(), f.begin() + 34);
  for (const auto& o : fits_) whole.insert(whole.end(), o.bytes.begin() + 34, o.bytes.end());
  ASSERT_EQ(whole.size(), f.size());
  EXPECT_TRUE(naive_l4_ok(whole.data(), whole.size(), 14, 34, false, 17));
  for (const auto& o : fits_) EXPECT_FALSE(o.meta.offload.needs_csum);
}

}  // namespace
}  // namespace overcast::dataplane::testing

// TunnelGro merging: which datagrams make one run and what the merged GSO frame
// looks like, byte for byte (buffers laid out as one UDP GRO read gives them).
#include "dataplane/offload/tunnel_gro_fixture.h"

namespace overcast::dataplane::testing {
namespace {

TEST_F(TunnelGroTest, CleanRunBecomesOneGsoFrame) {
  Flow flow;
  flow.spec.option_words = 3;
  flow.mss = 1388;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 10; ++i) d.push_back(flow.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 9));
  expect_gso(out[0], flow);
  EXPECT_EQ(counter(TunnelGro::kBuffers), 1u);
  EXPECT_EQ(counter(TunnelGro::kDatagrams), 10u);
  EXPECT_EQ(counter(TunnelGro::kFrames), 1u);
  EXPECT_EQ(counter(TunnelGro::kMerged), 9u);
  EXPECT_EQ(counter(TunnelGro::kDropped), 0u);
}

TEST_F(TunnelGroTest, ShorterLastSegmentJoinsAndItsPshIsKept) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 5; ++i) d.push_back(flow.segment(i));
  d.push_back(flow.segment(5, 333, kPsh));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 5, 333, kPsh));
  expect_gso(out[0], flow);
}

TEST_F(TunnelGroTest, PshInTheMiddleEndsTheRunAfterIt) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 10; ++i) d.push_back(flow.segment(i, 0, i == 4 ? kPsh : 0));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 4, 0, kPsh));
  EXPECT_EQ(out[1].bytes, flow.merged(5, 9));
  expect_gso(out[0], flow);
  expect_gso(out[1], flow);
}

TEST_F(TunnelGroTest, FinEndsTheRunAfterIt) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 4; ++i) d.push_back(flow.segment(i, 0, i == 1 ? kFin : 0));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 1, 0, kFin));
  EXPECT_EQ(out[1].bytes, flow.merged(2, 3));
}

TEST_F(TunnelGroTest, CwrStartsANewRun) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 6; ++i) d.push_back(flow.segment(i, 0, i == 3 ? kCwr : 0));
  const auto out = run(d);
  ASSERT_GE(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 2));  // the CWR segment never joins the run before it
  EXPECT_EQ(out[1].bytes[kTunnelHeader + 34 + 13] & kCwr, kCwr);
  EXPECT_EQ(get32(&out[1].bytes[kTunnelHeader + 34 + 4]), flow.spec.seq + 3 * flow.mss);
  // Whether later segments join the CWR one is the implementation's choice (Linux
  // passes the CWR segment alone); either way every byte arrives once, in order.
  std::vector<uint8_t> payload, expected;
  for (size_t i = 1; i < out.size(); ++i) {
    payload.insert(payload.end(), out[i].bytes.begin() + kTunnelHeader + 54, out[i].bytes.end());
  }
  for (size_t i = 3; i < 6; ++i) {
    const auto p = flow.payload_of(i, flow.mss);
    expected.insert(expected.end(), p.begin(), p.end());
  }
  EXPECT_EQ(payload, expected);
}

TEST_F(TunnelGroTest, InterleavedFlowsSplitAndKeepInputOrder) {
  Flow a, b;
  b.spec.src_last = 2;  // another source address
  b.spec.seq = 777777;
  b.seed = 50;
  // a0 a1 a2 b0 b1 a3 a4 b2: runs [a0..a2] [b0 b1] [a3 a4] [b2]
  const std::vector<std::vector<uint8_t>> d = {a.segment(0), a.segment(1), a.segment(2), b.segment(0),
                                               b.segment(1), a.segment(3), a.segment(4), b.segment(2)};
  const auto out = run(d);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].bytes, a.merged(0, 2));
  EXPECT_EQ(out[1].bytes, b.merged(0, 1));
  EXPECT_EQ(out[2].bytes, a.merged(3, 4));
  expect_single(out[3], d[7], true);
  EXPECT_EQ(counter(TunnelGro::kMerged), 4u);
}

TEST_F(TunnelGroTest, StrictlyAlternatingFlowsAreEachPassedAlone) {
  Flow a, b;
  b.spec.sport = 40001;  // another port, same addresses
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 6; ++i) d.push_back(i % 2 ? b.segment(i / 2) : a.segment(i / 2));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 6u);
  for (size_t i = 0; i < 6; ++i) expect_single(out[i], d[i], true);
}

TEST_F(TunnelGroTest, CorruptTcpChecksumIsPassedAloneAndSplitsTheRun) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 9; ++i) d.push_back(flow.segment(i));
  d[4][kTunnelHeader + 54 + 10] ^= 0x01;  // a payload bit flipped in transit
  const auto out = run(d);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 3));
  expect_single(out[1], d[4], false);  // not verified: the VM's stack judges it
  EXPECT_EQ(out[2].bytes, flow.merged(5, 8));
}

TEST_F(TunnelGroTest, CorruptIpv4HeaderChecksumIsPassedAlone) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 4; ++i) d.push_back(flow.segment(i));
  d[2][kTunnelHeader + 14 + 8] = 1;  // TTL changed, header checksum not
  const auto out = run(d);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 1));
  expect_single(out[1], d[2], false);
  expect_single(out[2], d[3], true);
}

TEST_F(TunnelGroTest, SequenceGapSplits) {
  Flow flow;
  std::vector<std::vector<uint8_t>> d;
  Flow later = flow;
  later.spec.seq += 1;  // one byte lost before segment 5
  for (size_t i = 0; i < 8; ++i) d.push_back(i < 5 ? flow.segment(i) : later.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 4));
  EXPECT_EQ(out[1].bytes, later.merged(5, 7));
}

TEST_F(TunnelGroTest, DifferentVniSplits) {
  Flow flow, other_vni;
  other_vni.vni = 200;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 6; ++i) d.push_back(i < 3 ? flow.segment(i) : other_vni.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 2));
  EXPECT_EQ(out[1].bytes, other_vni.merged(3, 5));
}

TEST_F(TunnelGroTest, DifferentAckOrWindowOrTosSplit) {
  Flow flow;
  Flow other_ack = flow;
  other_ack.spec.ack += 1000;
  Flow other_tos = flow;
  other_tos.spec.tos = 0x10;
  const std::vector<std::vector<uint8_t>> d = {flow.segment(0), flow.segment(1), other_ack.segment(2),
                                               other_ack.segment(3), other_tos.segment(4)};
  const auto out = run(d);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 1));
  EXPECT_EQ(out[1].bytes, other_ack.merged(2, 3));
  expect_single(out[2], d[4], true);
}

struct FieldChange {
  const char* name;
  bool ipv6;
  size_t offset;  // in the inner frame (no VLAN, 3 option words)
  uint8_t xor_mask;
  bool splits;
};

TEST_F(TunnelGroTest, EveryHeaderFieldThatMustMatchSplitsTheRun) {
  // Inner frame offsets without VLAN: l3 = 14, l4 = 34 (IPv4) or 54 (IPv6).
  const FieldChange changes[] = {
      {"inner dst MAC", false, 5, 0x01, true},
      {"inner src MAC", false, 11, 0x01, true},
      {"IPv4 TTL", false, 14 + 8, 0x01, true},
      {"IPv4 DF", false, 14 + 6, 0x40, true},
      {"IPv4 dst", false, 14 + 19, 0x01, true},
      {"TCP dst port", false, 34 + 3, 0x01, true},
      {"TCP option byte", false, 34 + 20 + 3, 0x01, true},
      {"TCP ECE flag", false, 34 + 13, kEce, true},
      {"TCP window", false, 34 + 15, 0x01, true},
      {"IPv4 ID (may differ)", false, 14 + 5, 0x55, false},
      {"IPv6 traffic class", true, 14 + 0, 0x01, true},
      {"IPv6 flow label", true, 14 + 3, 0x01, true},
      {"IPv6 hop limit", true, 14 + 7, 0x01, true},
      {"IPv6 src", true, 14 + 8 + 15, 0x01, true},
  };
  for (const FieldChange& c : changes) {
    SCOPED_TRACE(c.name);
    Flow flow;
    flow.spec.ipv6 = c.ipv6;
    flow.spec.option_words = 3;
    std::vector<std::vector<uint8_t>> d;
    for (size_t i = 0; i < 4; ++i) d.push_back(flow.segment(i));
    d[2][kTunnelHeader + c.offset] ^= c.xor_mask;
    refresh_checksums(d[2], flow.spec);
    const auto out = run(d);
    if (c.splits) {
      ASSERT_EQ(out.size(), 3u);
      EXPECT_EQ(out[0].bytes, flow.merged(0, 1));
      expect_single(out[1], d[2], true);
      expect_single(out[2], d[3], true);
    } else {
      ASSERT_EQ(out.size(), 1u);
      EXPECT_EQ(out[0].bytes, flow.merged(0, 3));
    }
    free_outputs();
  }
}


TEST_F(TunnelGroTest, Ipv6RunWithVlanAndOptions) {
  Flow flow;
  flow.spec.ipv6 = true;
  flow.spec.vlan = true;
  flow.spec.option_words = 3;
  flow.mss = 1367;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 7; ++i) d.push_back(flow.segment(i));
  d.push_back(flow.segment(7, 10, kPsh));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 7, 10, kPsh));
  expect_gso(out[0], flow);
}


TEST_F(TunnelGroTest, RunStopsBeforeTheIpPayloadWouldExceed64K) {
  // 4 segments of 16374 payload: 20 + 20 + 4 * 16374 = 65536 bytes of IP datagram, one too many.
  Flow flow;
  flow.mss = 16374;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 4; ++i) d.push_back(flow.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 2));
  expect_single(out[1], d[3], true);
}

TEST_F(TunnelGroTest, RunMayFillTheIpPayloadTo64K) {
  // One byte less per segment: 65532 bytes of IP datagram, all four merge.
  Flow flow;
  flow.mss = 16373;
  std::vector<std::vector<uint8_t>> d;
  for (size_t i = 0; i < 4; ++i) d.push_back(flow.segment(i));
  const auto out = run(d);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, flow.merged(0, 3));
  expect_gso(out[0], flow);
}

}  // namespace
}  // namespace overcast::dataplane::testing

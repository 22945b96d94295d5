// VXLAN encapsulation and decapsulation: header bytes, round trip, every decap
// drop reason, MTU, and the outer source port's entropy.
#include "dataplane/encap/vxlan/vxlan_codec.h"
#include "dataplane/pipeline_fixture.h"

namespace overcast::dataplane::testing {
namespace {

using VxlanTest = PipelineTest;

TEST(VxlanCodec, PushWritesHeaderInHeadroomWithoutMovingTheFrame) {
  PacketPool pool(1, 256);
  Packet* p = pool.alloc();
  const uint8_t* frame_start = p->data();
  p->set_length(20);
  ASSERT_TRUE(VxlanCodec::push_header(*p, 0xabcdef));
  EXPECT_EQ(p->data() + 8, frame_start);
  EXPECT_EQ(p->length(), 28u);
  EXPECT_EQ(std::vector<uint8_t>(p->data(), p->data() + 8),
            (std::vector<uint8_t>{0x08, 0, 0, 0, 0xab, 0xcd, 0xef, 0}));
  uint32_t vni = 0;
  EXPECT_EQ(VxlanCodec::pop_header(*p, vni), PopResult::kOk);
  EXPECT_EQ(vni, 0xabcdefu);
  EXPECT_EQ(p->data(), frame_start);
}

TEST(VxlanCodec, PushFailsWithoutHeadroom) {
  PacketPool pool(1, 256);
  Packet* p = pool.alloc();
  p->set_length(10);
  ASSERT_NE(p->prepend(Packet::kHeadroom - 4), nullptr);
  EXPECT_FALSE(VxlanCodec::push_header(*p, 1));
}

TEST_F(VxlanTest, RoundTripDeliversTheIdenticalFrame) {
  auto f = udp_frame(mac(0x0a), mac(1), 4242, 100);
  from_port(0, f);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  // What left for the peer comes back as if the peer had sent a frame to :01.
  const MacAddress to = mac(1);
  auto payload = tunnel_.sent[0].bytes;
  std::copy(to.bytes.begin(), to.bytes.end(), payload.begin() + 8);
  from_tunnel(kVtep1, payload);
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  auto expected = f;
  std::copy(to.bytes.begin(), to.bytes.end(), expected.begin());
  EXPECT_EQ(ports_[0]->sent()[0], expected);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(VxlanTest, DecapDropsEveryMalformedHeader) {
  auto inner = udp_frame(mac(1), mac(0x0a));
  for (size_t byte : {0, 1, 2, 3, 7}) {
    for (int bit = 0; bit < 8; ++bit) {
      auto payload = vxlan_payload(100, inner);
      payload[byte] ^= static_cast<uint8_t>(1 << bit);
      from_tunnel(kVtep1, payload);
    }
  }
  EXPECT_EQ(drops(DropReason::kBadFlags), 40u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(VxlanTest, DecapDropReasons) {
  auto inner = udp_frame(mac(1), mac(0x0a));
  from_tunnel(kStrangerVtep, vxlan_payload(100, inner));
  EXPECT_EQ(drops(DropReason::kUnknownVtep), 1u);
  from_tunnel(kVtep1, vxlan_payload(4242, inner));
  EXPECT_EQ(drops(DropReason::kUnknownVni), 1u);
  from_tunnel(kVtep1, vxlan_payload(100, std::vector<uint8_t>(inner.begin(), inner.begin() + 13)));
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  from_tunnel(kVtep1, std::vector<uint8_t>{0x08, 0, 0, 0, 0, 0});
  EXPECT_EQ(drops(DropReason::kRunt), 2u);
  from_tunnel(kVtep1, vxlan_payload(100, udp_frame(mac(0x0a), mac(0x0b))));  // to a remote MAC
  EXPECT_EQ(drops(DropReason::kNotLocal), 1u);
  from_tunnel(kVtep1, vxlan_payload(100, udp_frame(mac(0x55), mac(0x0b))));  // to nobody
  EXPECT_EQ(drops(DropReason::kNotLocal), 2u);
  // kVtep1 takes part in VNI 100 only: it may not inject into VNI 200, another tenant's.
  from_tunnel(kVtep1, vxlan_payload(200, udp_frame(mac(4), mac(0x0a))));
  EXPECT_EQ(drops(DropReason::kUnknownVtep), 2u);
  from_tunnel(kVtep1, vxlan_payload(200, udp_frame(MacAddress::broadcast(), mac(0x0a))));
  EXPECT_EQ(drops(DropReason::kUnknownVtep), 3u);
  EXPECT_EQ(ports_[3]->sent_count(), 0u);
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(total_drops(), 8u);
  expect_no_leak();
}

TEST_F(VxlanTest, FrameAboveMtuPlusEthernetHeaderIsTooBig) {
  // MTU 1450: a 1464-byte frame (1450 + 14) fits, 1465 does not.
  from_port(0, udp_frame(mac(0x0a), mac(1), 1, 1464 - 42));
  EXPECT_EQ(tunnel_.sent.size(), 1u);
  from_port(0, udp_frame(mac(0x0a), mac(1), 1, 1465 - 42));
  EXPECT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(drops(DropReason::kTooBig), 1u);
  expect_no_leak();
}

TEST_F(VxlanTest, DecapDropsInnerFrameAboveMtuPlusEthernetHeader) {
  // A peer's frame is held to the segment's MTU as ours are: 1464 bytes reach port 0,
  // 1465 (unicast or broadcast) are too_big and reach nobody.
  from_tunnel(kVtep1, vxlan_payload(100, udp_frame(mac(1), mac(0x0a), 1, 1464 - 42)));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0].size(), 1464u);
  from_tunnel(kVtep1, vxlan_payload(100, udp_frame(mac(1), mac(0x0a), 1, 1465 - 42)));
  from_tunnel(kVtep1, vxlan_payload(100, udp_frame(MacAddress::broadcast(), mac(0x0a), 1, 1500)));
  EXPECT_EQ(drops(DropReason::kTooBig), 2u);
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(total_drops(), 2u);
  expect_no_leak();
}

TEST_F(VxlanTest, VniWiderThan24BitsIsNeverSentAsAnotherVni) {
  // A table with VNI 0x1000064 (its low 24 bits are VNI 100) must not leak into 100.
  Segment wide = table_->segments[100];
  wide.vni = 0x1000064;
  table_->segments[0x1000064] = wide;
  table_->ports[1].vni = 0x1000064;
  from_port(1, udp_frame(mac(0x0a), mac(2)));
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(drops(DropReason::kUnknownVni), 1u);
  expect_no_leak();
}

TEST_F(VxlanTest, OuterSourcePortFollowsTheInnerFlow) {
  from_port(0, {udp_frame(mac(0x0a), mac(1), 1000), udp_frame(mac(0x0a), mac(1), 1000, 99),
                udp_frame(mac(0x0a), mac(1), 1001)});
  ASSERT_EQ(tunnel_.sent.size(), 3u);
  for (const auto& d : tunnel_.sent) EXPECT_GE(d.outer_src_port, 49152);
  EXPECT_EQ(tunnel_.sent[0].outer_src_port, tunnel_.sent[1].outer_src_port);  // same flow, other payload
  EXPECT_EQ(tunnel_.sent[0].flow_hash, tunnel_.sent[1].flow_hash);
  EXPECT_NE(tunnel_.sent[0].flow_hash, tunnel_.sent[2].flow_hash);
}

}  // namespace
}  // namespace overcast::dataplane::testing

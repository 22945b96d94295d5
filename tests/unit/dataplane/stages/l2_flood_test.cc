// L2ForwardStage, FloodStage and LocalDeliveryStage, through the pipeline.
#include "dataplane/pipeline_fixture.h"

namespace overcast::dataplane::testing {
namespace {

using L2ForwardTest = PipelineTest;
using FloodTest = PipelineTest;

TEST_F(L2ForwardTest, KnownLocalMacGoesToThatPortOnly) {
  auto f = udp_frame(mac(3), mac(1));
  from_port(0, f);
  ASSERT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_EQ(ports_[2]->sent()[0], f);
  EXPECT_EQ(sent_total(), 1u);
  expect_no_leak();
}

TEST_F(L2ForwardTest, NeverBackOutOfTheIngressPort) {
  from_port(0, udp_frame(mac(1), mac(1)));
  EXPECT_EQ(drops(DropReason::kSamePort), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(L2ForwardTest, RemoteMacIsEncapsulatedToItsVtep) {
  auto f = udp_frame(mac(0x0a), mac(1));
  from_port(0, f);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(tunnel_.sent[0].remote_vtep, kVtep1);
  EXPECT_EQ(tunnel_.sent[0].bytes, vxlan_payload(100, f));
  EXPECT_EQ(sent_total(), 1u);
  expect_no_leak();
}

TEST_F(L2ForwardTest, SegmentsAreIsolated) {
  // MAC :04 lives in VNI 200; from VNI 100 it is unknown unicast: flooded in 100 only.
  from_port(0, udp_frame(mac(4), mac(1)));
  EXPECT_EQ(ports_[3]->sent_count(), 0u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  expect_no_leak();
}

TEST_F(FloodTest, BroadcastFromVmGoesToOtherLocalPortsAndEachFloodVtep) {
  auto f = udp_frame(MacAddress::broadcast(), mac(1));
  from_port(0, f);
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  ASSERT_EQ(ports_[1]->sent_count(), 1u);
  ASSERT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent()[0], f);
  EXPECT_EQ(ports_[3]->sent_count(), 0u);  // other VNI
  ASSERT_EQ(tunnel_.sent.size(), 3u);       // head-end replication: one per VTEP
  std::vector<uint32_t> vteps;
  for (const auto& d : tunnel_.sent) {
    vteps.push_back(d.remote_vtep);
    EXPECT_EQ(d.bytes, vxlan_payload(100, f));
  }
  EXPECT_EQ(vteps, (std::vector<uint32_t>{kVtep1, kVtep2, kVtep3}));
  expect_no_leak();
}

TEST_F(FloodTest, UnknownUnicastAndMulticastFloodToo) {
  from_port(1, {udp_frame(mac(0x77), mac(2)), udp_frame(MacAddress{{0x01, 0x00, 0x5e, 0, 0, 1}}, mac(2))});
  EXPECT_EQ(ports_[0]->sent_count(), 2u);
  EXPECT_EQ(ports_[2]->sent_count(), 2u);
  EXPECT_EQ(tunnel_.sent.size(), 6u);
  expect_no_leak();
}

TEST_F(FloodTest, FromTunnelOnlyLocalPortsSplitHorizon) {
  auto f = udp_frame(MacAddress::broadcast(), mac(0x0a));
  from_tunnel(kVtep1, vxlan_payload(100, f));
  EXPECT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_EQ(ports_[3]->sent_count(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(ports_[0]->sent()[0], f);
  expect_no_leak();
}

TEST_F(FloodTest, NoTargetIsCounted) {
  // VNI 200 has one local port and no flood VTEPs.
  from_port(3, udp_frame(MacAddress::broadcast(), mac(4)));
  EXPECT_EQ(drops(DropReason::kNoFloodTarget), 1u);
  expect_no_leak();
}

TEST_F(FloodTest, FullBatchOfBroadcastsOverflowsNoQueue) {
  std::vector<std::vector<uint8_t>> frames;
  for (size_t i = 0; i < Batch::kCapacity; ++i) frames.push_back(udp_frame(MacAddress::broadcast(), mac(1), static_cast<uint16_t>(i)));
  from_port(0, frames);
  EXPECT_EQ(ports_[1]->sent_count(), Batch::kCapacity);
  EXPECT_EQ(ports_[2]->sent_count(), Batch::kCapacity);
  EXPECT_EQ(tunnel_.sent.size(), 3 * Batch::kCapacity);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(FloodTest, PortsThatAreDownOrGoneAreNotFlooded) {
  table_->segments[100].local_ports = {0, 1, 2, 5, 9};  // 5 is admin down, 9 does not exist
  from_port(0, udp_frame(MacAddress::broadcast(), mac(1)));
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_EQ(ports_[5]->sent_count(), 0u);
  EXPECT_EQ(tunnel_.sent.size(), 3u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

class DryPoolFloodTest : public PipelineTest {
 protected:
  DryPoolFloodTest() : PipelineTest(3) {}
};

TEST_F(DryPoolFloodTest, CopiesThatFindNoBufferAreCountedAndTheRestGoOut) {
  // 5 targets (2 ports + 3 VTEPs); the pool holds the original and 2 copies.
  from_port(0, udp_frame(MacAddress::broadcast(), mac(1)));
  EXPECT_EQ(drops(DropReason::kNoBuffer), 2u);
  EXPECT_EQ(sent_total(), 3u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

// ClassifyStage and ArpResponderStage, through the pipeline.
#include "dataplane/pipeline_fixture.h"

namespace overcast::dataplane::testing {
namespace {

using ClassifyTest = PipelineTest;
using ArpResponderTest = PipelineTest;

TEST_F(ClassifyTest, UnknownSlotIsDroppedAsUnknownPort) {
  from_port(42, udp_frame(mac(2), mac(1)));
  EXPECT_EQ(drops(DropReason::kUnknownPort), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(ClassifyTest, PortWhoseVniHasNoSegmentIsUnknownPort) {
  from_port(4, udp_frame(mac(2), mac(5)));
  EXPECT_EQ(drops(DropReason::kUnknownPort), 1u);
  expect_no_leak();
}

TEST_F(ClassifyTest, AdminDownPortDropsItsFrames) {
  from_port(5, udp_frame(mac(2), mac(6)));
  EXPECT_EQ(drops(DropReason::kPortDown), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(ClassifyTest, RuntsAtEveryLengthBelowTheHeader) {
  auto frame = udp_frame(mac(2), mac(1));
  std::vector<std::vector<uint8_t>> runts;
  for (size_t len = 0; len < 14; ++len) runts.emplace_back(frame.begin(), frame.begin() + static_cast<long>(len));
  from_port(0, runts);
  EXPECT_EQ(drops(DropReason::kRunt), 14u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(ClassifyTest, TruncatedVlanTagIsRunt) {
  auto frame = udp_frame(mac(2), mac(1));
  frame[12] = 0x81;
  frame[13] = 0x00;
  frame.resize(16);  // tag announced, only half of it held
  from_port(0, frame);
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, AnswersKnownLocalAddressWithExactReply) {
  from_port(0, arp_request(mac(1), 0x0a000001, 0x0a000002));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], arp_reply(mac(2), 0x0a000002, mac(1), 0x0a000001));
  EXPECT_EQ(ports_[1]->sent_count(), 0u);  // the owner of the address is not bothered
  EXPECT_TRUE(tunnel_.sent.empty());       // suppression: the underlay sees no ARP
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, AnswersRemoteAddressWithoutTouchingTheTunnel) {
  from_port(1, arp_request(mac(2), 0x0a000002, 0x0a00000a));
  ASSERT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent()[0], arp_reply(mac(0x0a), 0x0a00000a, mac(2), 0x0a000002));
  EXPECT_TRUE(tunnel_.sent.empty());
  expect_no_leak();
}

TEST_F(ArpResponderTest, UnknownAddressIsFlooded) {
  from_port(0, arp_request(mac(1), 0x0a000001, 0x0a000063));
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_EQ(tunnel_.sent.size(), 3u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, DuplicateAddressProbeIsNotAnsweredWithTheAskersOwnMac) {
  // RFC 5227 probe: sender IP 0, target = the address the asker is about to use.
  from_port(0, arp_request(mac(1), 0, 0x0a000001));
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, GratuitousArpIsFloodedNotAnswered) {
  from_port(1, arp_request(mac(2), 0x0a000002, 0x0a000002));
  EXPECT_EQ(ports_[1]->sent_count(), 0u);
  EXPECT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(tunnel_.sent.size(), 3u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, TruncatedArpIsRunt) {
  auto req = arp_request(mac(1), 0x0a000001, 0x0a000002);
  req.resize(14 + 27);
  from_port(0, req);
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(ArpResponderTest, CountersSayWhatHappened) {
  from_port(0, {arp_request(mac(1), 0x0a000001, 0x0a000002), arp_request(mac(1), 0x0a000001, 0x0a000063),
                udp_frame(mac(2), mac(1))});
  nlohmann::json stages;
  pipeline_.add_counters(stages);
  EXPECT_EQ(stages["classify"]["in"], 3);
  EXPECT_EQ(stages["classify"]["arp"], 2);
  EXPECT_EQ(stages["classify"]["l2"], 1);
  EXPECT_EQ(stages["arp_responder"]["replied"], 1);
  EXPECT_EQ(stages["arp_responder"]["passed"], 1);
  EXPECT_EQ(stages["l2_forward"]["in"], 2);
  EXPECT_EQ(stages["l2_forward"]["local"], 1);
  EXPECT_EQ(stages["l2_forward"]["flood"], 1);
  EXPECT_TRUE(stages.contains("vxlan_encap"));
  EXPECT_TRUE(stages.contains("vxlan_decap"));
}

}  // namespace
}  // namespace overcast::dataplane::testing

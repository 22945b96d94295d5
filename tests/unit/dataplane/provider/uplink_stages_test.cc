// Provider networks in the pipeline: frames of a flat and a VLAN network bridged onto
// one uplink. On top of the standard fixture (pipeline_fixture.h):
//
//   VNI 400 flat:      slots 6, 7 (MACs :07, :08)
//   VNI 500 VLAN 101:  slot 8 (MAC :09)
//   slot 9: the uplink (untagged -> 400, VID 101 -> 500)
#include <gtest/gtest.h>

#include "dataplane/pipeline_fixture.h"
#include "dataplane/provider/vlan_tag.h"

namespace overcast::dataplane::testing {
namespace {

constexpr PortSlot kUplink = 9;
constexpr uint16_t kVid = 101;
const MacAddress kBroadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
const MacAddress kOutsider{{0x02, 0x00, 0x00, 0x00, 0x00, 0x99}};  // a host on the physical segment

std::vector<uint8_t> tagged(std::vector<uint8_t> frame, uint16_t vid, uint16_t tpid = 0x8100) {
  const uint8_t tag[4] = {static_cast<uint8_t>(tpid >> 8), static_cast<uint8_t>(tpid), static_cast<uint8_t>(vid >> 8),
                          static_cast<uint8_t>(vid)};
  frame.insert(frame.begin() + 12, tag, tag + 4);
  return frame;
}

class UplinkTest : public PipelineTest {
 protected:
  UplinkTest() {
    for (PortSlot s = 6; s <= 9; ++s) {
      ports_.push_back(std::make_shared<FakePort>(s == kUplink ? "eth1" : "tap" + std::to_string(s)));
      PortEntry e;
      e.io = ports_.back();
      if (s == kUplink) {
        e.uplink = true;
        e.uplink_vnis = {{0, 400}, {kVid, 500}};
      } else {
        e.port_id = "port-" + std::to_string(s);
        e.vni = s == 8 ? 500 : 400;
        e.mac = mac(static_cast<uint8_t>(s + 1));
      }
      table_->ports.push_back(e);
    }
    Segment& flat = table_->segments[400];
    flat.vni = 400;
    flat.network_id = "net-flat";
    flat.local_ports = {6, 7};
    flat.macs[mac(7)] = {L2Destination::Kind::kLocalPort, 6, 0};
    flat.macs[mac(8)] = {L2Destination::Kind::kLocalPort, 7, 0};
    flat.uplink = kUplink;
    Segment& vlan = table_->segments[500];
    vlan.vni = 500;
    vlan.network_id = "net-vlan";
    vlan.local_ports = {8};
    vlan.macs[mac(9)] = {L2Destination::Kind::kLocalPort, 8, 0};
    vlan.uplink = kUplink;
    vlan.vlan = kVid;
    // Same table object, more slots: local delivery sizes its staging on first use.
  }

  void from_uplink(const std::vector<uint8_t>& frame) {
    Batch batch;
    Packet* p = pool_.alloc();
    ASSERT_NE(p, nullptr);
    std::memcpy(p->data(), frame.data(), frame.size());
    p->set_length(static_cast<uint32_t>(frame.size()));
    p->meta.in_port = kUplink;
    batch.push(p);
    pipeline_.process_uplink_rx(batch);
    EXPECT_TRUE(batch.empty());
  }
  FakePort& port(PortSlot s) { return *ports_[s]; }
};

TEST_F(UplinkTest, BroadcastFromAFlatVmGoesToTheOtherLocalPortAndOutUntagged) {
  const auto frame = udp_frame(kBroadcast, mac(7));
  from_port(6, frame);
  ASSERT_EQ(port(kUplink).sent_count(), 1u);
  EXPECT_EQ(port(kUplink).sent()[0], frame);  // untagged, unchanged
  ASSERT_EQ(port(7).sent_count(), 1u);
  EXPECT_EQ(port(6).sent_count(), 0u);
  EXPECT_EQ(port(8).sent_count(), 0u);  // the VLAN network never sees it
  EXPECT_TRUE(tunnel_.sent.empty());    // never VXLAN
  expect_no_leak();
}

TEST_F(UplinkTest, AVlanVmsFramesLeaveTaggedWithTheSegmentationId) {
  const auto frame = udp_frame(kOutsider, mac(9));
  from_port(8, frame);
  ASSERT_EQ(port(kUplink).sent_count(), 1u);
  EXPECT_EQ(port(kUplink).sent()[0], tagged(frame, kVid));
  EXPECT_TRUE(tunnel_.sent.empty());
  expect_no_leak();
}

TEST_F(UplinkTest, UnknownUnicastGoesOutTheUplinkOnlyAndLocalUnicastStaysLocal) {
  from_port(6, udp_frame(kOutsider, mac(7)));
  EXPECT_EQ(port(kUplink).sent_count(), 1u);
  EXPECT_EQ(port(7).sent_count(), 0u);
  from_port(6, udp_frame(mac(8), mac(7)));
  EXPECT_EQ(port(kUplink).sent_count(), 1u);
  EXPECT_EQ(port(7).sent_count(), 1u);
  expect_no_leak();
}

TEST_F(UplinkTest, UntaggedFramesFromTheUplinkReachTheFlatNetworkOnly) {
  const auto to_vm = udp_frame(mac(7), kOutsider);
  from_uplink(to_vm);
  ASSERT_EQ(port(6).sent_count(), 1u);
  EXPECT_EQ(port(6).sent()[0], to_vm);
  from_uplink(udp_frame(kBroadcast, kOutsider));
  EXPECT_EQ(port(6).sent_count(), 2u);
  EXPECT_EQ(port(7).sent_count(), 1u);
  EXPECT_EQ(port(8).sent_count(), 0u);
  // Never back out of the uplink, never into the tunnel.
  EXPECT_EQ(port(kUplink).sent_count(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  // The VLAN network's MAC is no flat network's: not delivered, not flooded.
  from_uplink(udp_frame(mac(9), kOutsider));
  EXPECT_EQ(port(8).sent_count(), 0u);
  EXPECT_EQ(drops(DropReason::kNotLocal), 1u);
  expect_no_leak();
}

TEST_F(UplinkTest, TheTagSelectsTheVlanNetworkAndComesOff) {
  const auto untagged = udp_frame(mac(9), kOutsider);
  from_uplink(tagged(untagged, kVid));
  ASSERT_EQ(port(8).sent_count(), 1u);
  EXPECT_EQ(port(8).sent()[0], untagged);
  from_uplink(tagged(udp_frame(kBroadcast, kOutsider), kVid));
  EXPECT_EQ(port(8).sent_count(), 2u);
  EXPECT_EQ(port(6).sent_count() + port(7).sent_count(), 0u);
  EXPECT_EQ(port(kUplink).sent_count(), 0u);
  expect_no_leak();
}

TEST_F(UplinkTest, UnknownUnicastAndUnknownVlansFromTheUplinkAreDroppedAndCounted) {
  from_uplink(udp_frame(kOutsider, mac(1)));                      // another host's MAC
  from_uplink(tagged(udp_frame(kBroadcast, kOutsider), 102));     // no network on VLAN 102
  from_uplink(tagged(udp_frame(kBroadcast, kOutsider), 0));       // priority tag only
  from_uplink(tagged(udp_frame(kBroadcast, kOutsider), kVid, 0x88a8));  // 802.1ad outside
  from_uplink(tagged(tagged(udp_frame(mac(9), kOutsider), 7), kVid));   // double-tagged
  from_uplink({0x01, 0x02, 0x03});                                      // runt
  EXPECT_EQ(drops(DropReason::kNotLocal), 1u);
  EXPECT_EQ(drops(DropReason::kUnknownVlan), 3u);
  EXPECT_EQ(drops(DropReason::kTaggedFrame), 1u);
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(UplinkTest, AnUplinkWithoutAFlatNetworkDropsUntaggedFrames) {
  table_->ports[kUplink].uplink_vnis.erase(0);
  from_uplink(udp_frame(kBroadcast, kOutsider));
  EXPECT_EQ(drops(DropReason::kUnknownVlan), 1u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST_F(UplinkTest, FramesAVmTaggedItselfAreNeverSentOrDoubleTagged) {
  from_port(6, tagged(udp_frame(kBroadcast, mac(7)), kVid));  // would land in the VLAN network
  from_port(8, tagged(udp_frame(kOutsider, mac(9)), 7));
  EXPECT_EQ(port(kUplink).sent_count(), 0u);
  EXPECT_EQ(drops(DropReason::kTaggedFrame), 2u);
  expect_no_leak();
}

TEST_F(UplinkTest, FramesFromTheUplinkOverTheMtuAreDropped) {
  table_->segments[400].mtu = 100;
  from_uplink(udp_frame(mac(7), kOutsider, 1000, 200));
  EXPECT_EQ(drops(DropReason::kTooBig), 1u);
  EXPECT_EQ(port(6).sent_count(), 0u);
  expect_no_leak();
}

// A provider network has no tunnel peers: VXLAN into its VNI, even from a VTEP this host
// knows, reaches none of its ports.
TEST_F(UplinkTest, VxlanIntoAProviderNetworkIsRefused) {
  from_tunnel(kVtep1, vxlan_payload(400, udp_frame(kBroadcast, mac(1))));
  from_tunnel(kVtep1, vxlan_payload(500, udp_frame(mac(9), mac(1))));
  EXPECT_EQ(drops(DropReason::kUnknownVtep), 2u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

TEST(VlanTag, PushAndPopMoveTheOffloadOffsetsWithTheBytes) {
  PacketPool pool(1, 2048 + Packet::kHeadroom);
  Packet* p = pool.alloc();
  const auto frame = udp_frame(kOutsider, mac(7));
  std::memcpy(p->data(), frame.data(), frame.size());
  p->set_length(static_cast<uint32_t>(frame.size()));
  p->meta.offload.needs_csum = true;
  p->meta.offload.csum_start = 34;
  p->meta.offload.csum_offset = 6;
  ASSERT_TRUE(push_vlan_tag(*p, 4094));
  EXPECT_EQ(std::vector<uint8_t>(p->data(), p->data() + p->length()), tagged(frame, 4094));
  EXPECT_EQ(p->meta.offload.csum_start, 38);
  ASSERT_TRUE(pop_vlan_tag(*p));
  EXPECT_EQ(std::vector<uint8_t>(p->data(), p->data() + p->length()), frame);
  EXPECT_EQ(p->meta.offload.csum_start, 34);
  EXPECT_FALSE(pop_vlan_tag(*p));  // untagged now
  pool.free(p);
}

}  // namespace
}  // namespace overcast::dataplane::testing

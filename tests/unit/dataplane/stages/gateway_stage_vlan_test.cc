// The L3 gateway on a VLAN external network: everything it sends out of the uplink
// (ARP requests, NATed frames, ARP answers) carries the network's VID, and what comes
// back tagged is understood (gateway_stage_fixture.h).
#include <algorithm>

#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

constexpr uint16_t kVid = 42;

std::vector<uint8_t> tagged(const std::vector<uint8_t>& frame) {
  std::vector<uint8_t> out(frame.begin(), frame.begin() + 12);
  put16(out, 0x8100);
  put16(out, kVid);
  out.resize(frame.size() + 4);
  std::copy(frame.begin() + 12, frame.end(), out.begin() + 16);
  return out;
}

class GatewayVlanTest : public GatewayStageTest {
 protected:
  GatewayVlanTest() {
    table_->segments[kExternalVni].vlan = kVid;
    table_->ports[kUplink].uplink_vnis = {{kVid, kExternalVni}};
    publish();
  }
};

TEST_F(GatewayVlanTest, TheGatewaySpeaksTheExternalNetworksVlan) {
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53));
  from_port(0, sent);
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0],
            tagged(arp_frame(1, MacAddress::broadcast(), kExternalMac, kExternalIp, MacAddress{}, kNextHop)));
  uplink().clear_sent();
  from_uplink(tagged(arp_frame(2, kExternalMac, kNextHopMac, kNextHop, kExternalMac, kExternalIp)));
  ASSERT_EQ(uplink().sent_count(), 1u);  // the frame held for the answer
  const auto got = uplink().sent()[0];
  ASSERT_GT(got.size(), 16u);
  const std::vector<uint8_t> untagged_got = [&] {
    std::vector<uint8_t> f(got.begin(), got.begin() + 12);
    f.resize(got.size() - 4);
    std::copy(got.begin() + 16, got.end(), f.begin() + 12);
    return f;
  }();
  const uint16_t port = source_port(untagged_got);
  auto expected = sent;
  set_macs(expected, kNextHopMac, kExternalMac);
  set_ttl(expected, 63);
  set_ip_source(expected, kExternalIp);
  set_source_port(expected, port);
  refresh_checksums(expected);
  EXPECT_EQ(got, tagged(expected));

  // The reply, tagged, reaches the VM untagged.
  from_uplink(tagged(ipv4_frame(kExternalMac, kNextHopMac, kServer, kExternalIp, udp(53, port, "answer"), 60)));
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], ipv4_frame(mac(1), kRouterMac, kServer, kVm0, udp(53, 40000, "answer"), 59));

  // ARP for the floating IP, tagged, is answered tagged.
  uplink().clear_sent();
  from_uplink(tagged(arp_frame(1, MacAddress::broadcast(), kOutsiderMac, 0xcb007163, MacAddress{}, kFloatingIp)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  EXPECT_EQ(uplink().sent()[0], tagged(arp_frame(2, kOutsiderMac, kExternalMac, kFloatingIp, kOutsiderMac, 0xcb007163)));
  expect_no_leak();
}

TEST_F(GatewayVlanTest, AnUntaggedFrameIsNoFrameOfTheExternalNetwork) {
  from_uplink(arp_frame(1, MacAddress::broadcast(), kOutsiderMac, 0xcb007163, MacAddress{}, kExternalIp));
  from_uplink(ipv4_frame(kExternalMac, kNextHopMac, kServer, kFloatingIp, udp(53, 40000)));
  EXPECT_EQ(drops(DropReason::kUnknownVlan), 2u);
  EXPECT_EQ(sent_total(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

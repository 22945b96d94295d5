// Security groups under the real Datapath with several workers: a port's conntrack zone
// lives in the tracker of the worker polling the port, so frames for it received by
// another worker are handed to that one. Two local ports, slot 0 (worker 0) and slot 1
// (worker 1): a TCP handshake between them only completes if each direction's ingress
// half ran in the tracker of its port's own worker (return traffic has no rule here).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "dataplane/datapath.h"
#include "dataplane/fake_port.h"
#include "dataplane/test_frames.h"
#include "dataplane_services/packet_builder.h"

namespace overcast::dataplane::testing {
namespace {

namespace pb = ::overcast::testing;
using firewall::Direction;
using firewall::SgRule;

constexpr uint32_t kVni = 5000;
constexpr uint32_t kIpA = 0x0a000001;
constexpr uint32_t kIpB = 0x0a000002;

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

std::vector<uint8_t> tcp(const MacAddress& dst, const MacAddress& src, uint32_t sip, uint32_t dip, uint16_t sport,
                         uint16_t dport, uint8_t flags) {
  std::vector<uint8_t> f;
  put_mac(f, dst);
  put_mac(f, src);
  put16(f, 0x0800);
  const auto ip = pb::ipv4_packet(sip, dip, 6, pb::tcp_segment(sport, dport, flags, 10));
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

class DatapathSecurityGroupTest : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override {
    auto t = std::make_shared<ForwardingTable>();
    firewall::GroupRegistry groups;
    SgRule egress;
    egress.direction = Direction::kEgress;
    SgRule http;
    http.direction = Direction::kIngress;
    http.protocol = 6;
    http.port_range_min = http.port_range_max = 80;
    Segment& s = t->segments[kVni];
    s.vni = kVni;
    for (PortSlot slot : {0u, 1u}) {
      PortEntry e;
      e.port_id = slot == 0 ? "a" : "b";
      e.vni = kVni;
      e.mac = mac(static_cast<uint8_t>(slot + 1));
      e.io = slot == 0 ? vm_a_ : vm_b_;
      // a: sends anything, accepts nothing. b: sends anything, accepts TCP 80.
      e.firewall = firewall::CompiledPolicy::compile(slot == 0 ? std::vector<SgRule>{egress} : std::vector<SgRule>{egress, http},
                                           groups).policy;
      t->ports.push_back(e);
      s.local_ports.push_back(slot);
      s.macs[e.mac] = {L2Destination::Kind::kLocalPort, slot, 0};
    }
    DatapathConfig config;
    config.underlay_ip = "127.0.0.11";
    config.vxlan_port = 0;  // no tunnel traffic here: any free port
    config.workers = GetParam();
    dp_ = make_datapath(config);
    dp_->publish(t);
    std::string error;
    ASSERT_TRUE(dp_->start(error)) << error;
  }
  void TearDown() override {
    if (dp_) dp_->stop();
  }
  uint64_t stage(const char* set, const char* name) { return dp_->counters_json()["stages"][set][name].get<uint64_t>(); }

  std::shared_ptr<FakePort> vm_a_ = std::make_shared<FakePort>("vm-a");
  std::shared_ptr<FakePort> vm_b_ = std::make_shared<FakePort>("vm-b");
  std::unique_ptr<Datapath> dp_;
};

TEST_P(DatapathSecurityGroupTest, BothDirectionsOfAConnectionMeetInTheZonesWorker) {
  vm_a_->inject(tcp(mac(2), mac(1), kIpA, kIpB, 5000, 80, 0x02));  // SYN: allowed into b
  ASSERT_TRUE(eventually([&] { return vm_b_->sent_count() == 1; }));
  vm_b_->inject(tcp(mac(1), mac(2), kIpB, kIpA, 80, 5000, 0x12));  // SYN-ACK: return traffic into a
  ASSERT_TRUE(eventually([&] { return vm_a_->sent_count() == 1; })) << dp_->counters_json().dump();
  vm_a_->inject(tcp(mac(2), mac(1), kIpA, kIpB, 5000, 80, 0x10));  // ACK
  ASSERT_TRUE(eventually([&] { return vm_b_->sent_count() == 2; }));
  vm_b_->inject(tcp(mac(1), mac(2), kIpB, kIpA, 81, 5000, 0x02));  // a accepts no new connection
  ASSERT_TRUE(eventually([&] { return dp_->counters_json()["drops"]["security_group"] == 1; }));
  EXPECT_EQ(vm_a_->sent_count(), 1u);
  EXPECT_EQ(stage("firewall", "established"), 4u);  // SYN-ACK and ACK, each leaving and entering
  if (GetParam() > 1) {
    EXPECT_EQ(stage("security_groups", "handed_off"), 4u);  // every frame crossed workers
  } else {
    EXPECT_EQ(stage("security_groups", "handed_off"), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Workers, DatapathSecurityGroupTest, ::testing::Values(1u, 2u));

}  // namespace
}  // namespace overcast::dataplane::testing

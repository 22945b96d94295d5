// The L3 gateway with several workers: a router's NAT state lives on the worker that
// polls the external uplink, so a frame for the gateway reaching another worker is handed
// to it (meta.for_gateway) and NATed there, once (gateway_stage_fixture.h).
#include <cstring>

#include "dataplane/stages/gateway_stage_fixture.h"

namespace overcast::dataplane::testing {
namespace {

struct HandoffCapture final : IngressHandoffSink {
  Batch taken;
  void hand_off(Batch& batch) override {
    for (Packet* p : batch) taken.push(p);
    batch.clear();
  }
};

SecurityGroupConfig second_of_two(IngressHandoffSink* handoff) {
  SecurityGroupConfig config;
  config.worker_index = 1;  // the uplink (slot 6) is worker 0's: 6 % 2
  config.worker_count = 2;
  config.handoff = handoff;
  return config;
}

class GatewayHandoffTest : public GatewayStageTest {
 protected:
  GatewayHandoffTest() : other_worker_(pool_, drops_, make_encapsulation("vxlan"), tunnel_, nullptr, second_of_two(&capture_)) {
    other_worker_.set_table(table_.get());
  }
  uint64_t other_counter(const std::string& stage, const std::string& name) {
    nlohmann::json stages = nlohmann::json::object();
    other_worker_.add_counters(stages);
    EXPECT_TRUE(stages[stage][name].is_number_unsigned()) << stage << "." << name;
    return stages[stage][name].is_number_unsigned() ? stages[stage][name].get<uint64_t>() : 0;
  }
  HandoffCapture capture_;
  Pipeline other_worker_;  // pipeline_ (one worker: it owns every slot) plays the uplink's owner
};

TEST_F(GatewayHandoffTest, AFrameForTheGatewayOnAnotherWorkerIsHandedToTheUplinksOwner) {
  resolve_next_hop();
  const auto sent = ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(40000, 53));
  Batch rx;
  Packet* p = pool_.alloc();
  ASSERT_NE(p, nullptr);
  std::memcpy(p->data(), sent.data(), sent.size());
  p->set_length(static_cast<uint32_t>(sent.size()));
  p->meta.in_port = 0;
  rx.push(p);
  other_worker_.process_port_rx(rx);

  ASSERT_EQ(capture_.taken.size(), 1u);
  EXPECT_TRUE(capture_.taken[0]->meta.for_gateway);
  EXPECT_EQ(capture_.taken[0]->meta.out_port, kUplink);
  EXPECT_EQ(uplink().sent_count(), 0u);
  EXPECT_EQ(other_counter("gateway", "handed_off"), 1u);
  EXPECT_EQ(other_counter("gateway_conntrack", "connections"), 0u);  // no NAT state there

  pipeline_.process_handed_ingress(capture_.taken);
  EXPECT_TRUE(capture_.taken.empty());
  ASSERT_EQ(uplink().sent_count(), 1u);
  const auto got = uplink().sent()[0];
  auto expected = sent;  // NATed once, TTL decremented once
  set_macs(expected, kNextHopMac, kExternalMac);
  set_ttl(expected, 63);
  set_ip_source(expected, kExternalIp);
  set_source_port(expected, source_port(got));
  refresh_checksums(expected);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(sent_total(), 1u);
  expect_no_leak();
}

TEST_F(GatewayHandoffTest, AHandedFrameNotForTheGatewayStillGoesToItsPort) {
  // The flag is what tells the two kinds of handed frames apart.
  const auto frame = udp_frame(mac(1), mac(2));
  Batch handed;
  Packet* p = pool_.alloc();
  ASSERT_NE(p, nullptr);
  std::memcpy(p->data(), frame.data(), frame.size());
  p->set_length(static_cast<uint32_t>(frame.size()));
  p->meta.vni = kTenantVni;
  p->meta.out_port = 0;
  handed.push(p);
  pipeline_.process_handed_ingress(handed);
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0], frame);
  EXPECT_EQ(uplink().sent_count(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

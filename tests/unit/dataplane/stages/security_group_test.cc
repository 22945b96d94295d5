// SecurityGroupStage through the pipeline over fake ports: stateful filtering in both
// directions, return traffic without a rule, a removed rule cutting its connection, a
// new rule taking effect on the next packet, a full tracker, and what bypasses the rules.
#include "dataplane/core/counters_json.h"
#include "dataplane/pipeline_fixture.h"
#include "dataplane_services/packet_builder.h"

namespace overcast::dataplane::testing {
namespace {

namespace pb = ::overcast::testing;
using firewall::CompiledPolicy;
using firewall::Direction;
using firewall::SgRule;

constexpr uint32_t kIp0 = 0x0a000001;       // slot 0, mac(1)
constexpr uint32_t kIp1 = 0x0a000002;       // slot 1, mac(2)
constexpr uint32_t kRemoteIp = 0x0a00000a;  // mac(0x0a) behind kVtep1
constexpr uint8_t kSyn = 0x02, kAck = 0x10, kSynAck = 0x12;

std::vector<uint8_t> ether(const MacAddress& dst, const MacAddress& src, uint16_t type,
                           const std::vector<uint8_t>& body) {
  std::vector<uint8_t> f;
  put_mac(f, dst);
  put_mac(f, src);
  put16(f, type);
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

std::vector<uint8_t> tcp(const MacAddress& dst, const MacAddress& src, uint32_t sip, uint32_t dip, uint16_t sport,
                         uint16_t dport, uint8_t flags) {
  return ether(dst, src, 0x0800, pb::ipv4_packet(sip, dip, 6, pb::tcp_segment(sport, dport, flags, 10)));
}

SgRule rule(Direction d, int protocol = -1, std::optional<uint16_t> port = std::nullopt, uint32_t prefix = 0,
            uint8_t prefix_length = 0) {
  SgRule r;
  r.direction = d;
  r.protocol = protocol;
  r.port_range_min = port;
  r.port_range_max = port;
  if (prefix_length) {
    r.remote_prefix = conntrack::ipv4_bytes(prefix);
    r.remote_prefix_length = prefix_length;
  }
  return r;
}

// Slot 0 may send anything and accepts nothing; slot 1 may send anything and accepts
// TCP 80 from 10.0.0.0/24. Slot 2 has port security off (no policy).
class SecurityGroupStageTest : public PipelineTest {
 protected:
  SecurityGroupStageTest() {
    table_->ports[0].firewall = compile({rule(Direction::kEgress)});
    table_->ports[1].firewall = compile({rule(Direction::kEgress), http_rule()});
    republish();
  }
  static SgRule http_rule() { return rule(Direction::kIngress, 6, 80, 0x0a000000, 24); }
  std::shared_ptr<const CompiledPolicy> compile(const std::vector<SgRule>& rules) {
    auto result = CompiledPolicy::compile(rules, registry_);
    EXPECT_TRUE(result.policy) << result.error;
    return result.policy;
  }
  // A new table object (as the agent publishes), so the pipeline prepares for it.
  void republish() {
    table_ = std::make_shared<ForwardingTable>(*table_);
    pipeline_.set_table(table_.get());
  }
  uint64_t stage(const char* set, const char* name) const {
    nlohmann::json stages;
    pipeline_.add_counters(stages);
    return stages[set][name].get<uint64_t>();
  }
  // Opens 10.0.0.1:5000 -> 10.0.0.2:80 (slot 0 to slot 1): SYN, SYN-ACK, ACK.
  void open_http() {
    from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kSyn));
    from_port(1, tcp(mac(1), mac(2), kIp1, kIp0, 80, 5000, kSynAck));
    from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kAck));
  }
  firewall::GroupRegistry registry_;
};

TEST_F(SecurityGroupStageTest, AnAllowedConnectionAndItsReturnTrafficPass) {
  open_http();
  // The SYN and the ACK reached slot 1; the SYN-ACK reached slot 0, which has no ingress
  // rule at all: return traffic needs none.
  EXPECT_EQ(ports_[1]->sent_count(), 2u);
  EXPECT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(total_drops(), 0u);
  EXPECT_EQ(stage("firewall", "allowed"), 2u);  // the SYN, leaving slot 0 and entering slot 1
  EXPECT_EQ(stage("firewall", "established"), 4u);
  EXPECT_EQ(stage("conntrack", "connections"), 2u);  // one per zone
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, NoRuleMeansDeniedAndCounted) {
  from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 22, kSyn));  // slot 1 allows only 80
  from_port(1, tcp(mac(1), mac(2), kIp1, kIp0, 5001, 80, kSyn));  // slot 0 allows nothing in
  EXPECT_EQ(ports_[1]->sent_count(), 0u);
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 2u);
  EXPECT_EQ(stage("security_groups", "denied_ingress"), 2u);
  EXPECT_EQ(stage("firewall", "denied"), 2u);
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, TunnelTrafficMeetsTheIngressRules) {
  auto from_remote = [&](uint16_t dport) {
    from_tunnel(kVtep1, vxlan_payload(100, tcp(mac(2), mac(0x0a), kRemoteIp, kIp1, 7000, dport, kSyn)));
  };
  from_remote(80);
  from_remote(443);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 1u);
  // Slot 1's answer leaves by the tunnel: the established connection lets it out.
  from_port(1, tcp(mac(0x0a), mac(2), kIp1, kRemoteIp, 80, 7000, kSynAck));
  EXPECT_EQ(tunnel_.sent.size(), 1u);
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, RemovingARuleCutsTheConnectionsItAllowed) {
  open_http();
  ASSERT_EQ(ports_[1]->sent_count(), 2u);
  table_->ports[1].firewall = compile({rule(Direction::kEgress)});  // TCP 80 gone
  republish();
  EXPECT_EQ(stage("security_groups", "cut"), 1u);  // slot 1's zone; slot 0's egress still allowed
  from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kAck));
  EXPECT_EQ(ports_[1]->sent_count(), 2u) << "the running connection still reached slot 1";
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 1u);
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, AnUnchangedPolicyKeepsItsConnections) {
  open_http();
  republish();  // same policy pointers: nothing to re-ask
  EXPECT_EQ(stage("security_groups", "cut"), 0u);
  from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kAck));
  EXPECT_EQ(ports_[1]->sent_count(), 3u);
}

TEST_F(SecurityGroupStageTest, ANewRuleTakesEffectOnTheNextPacket) {
  from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 22, kSyn));
  EXPECT_EQ(ports_[1]->sent_count(), 0u);
  table_->ports[1].firewall = compile({rule(Direction::kEgress), http_rule(), rule(Direction::kIngress, 6, 22)});
  republish();
  from_port(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 22, kSyn));
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
}

TEST_F(SecurityGroupStageTest, APortThatGoesAwayTakesItsConnectionsWithIt) {
  open_http();
  table_->ports[1].port_id = "another-port";  // the slot now holds a different port
  republish();
  EXPECT_EQ(stage("security_groups", "flushed"), 1u);
  EXPECT_EQ(stage("conntrack", "connections"), 1u);
}

TEST_F(SecurityGroupStageTest, ArpDhcpAndNeighbourDiscoveryBypassTheRules) {
  table_->ports[0].firewall = compile({});  // denies everything both ways
  republish();
  from_port(0, arp_request(mac(1), kIp0, kIp1));  // answered by ARP suppression
  const auto dhcp = ether(MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, mac(1), 0x0800,
                          pb::ipv4_packet(0, 0xffffffff, 17, pb::udp_datagram(68, 67)));
  from_port(0, dhcp);  // no lease in this table: the DHCP stage passes it on
  auto ns = pb::ipv6_packet(1, 2, 58, {135, 0, 0, 0, 0, 0, 0, 0});
  from_port(0, ether(mac(2), mac(1), 0x86dd, ns));
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 0u);
  // Each frame leaving slot 0, and again entering a filtered port: the ARP reply into
  // slot 0, the flooded DHCP discover and the solicitation into slot 1.
  EXPECT_EQ(stage("security_groups", "bypassed"), 6u);
  EXPECT_EQ(ports_[1]->sent_count(), 2u);
  // Anything else that is not IP does not pass a filtered port.
  from_port(0, ether(mac(2), mac(1), 0x88b5, std::vector<uint8_t>(46, 0)));
  EXPECT_EQ(stage("security_groups", "other_ethertype"), 1u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 1u);
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, APortWithoutPolicyIsNotFiltered) {
  from_port(2, tcp(mac(1), mac(3), 0x0a000003, kIp0, 5000, 9999, kSyn));  // to slot 0: denied there
  from_port(0, tcp(mac(3), mac(1), kIp0, 0x0a000003, 5000, 9999, kSyn));  // to slot 2: unfiltered
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_EQ(ports_[2]->sent_count(), 1u);
  EXPECT_GE(stage("security_groups", "unfiltered"), 2u);
}

TEST_F(SecurityGroupStageTest, MalformedIpIsDroppedAndCountedByReason) {
  auto frame = tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kSyn);
  frame.resize(14 + 20 + 4);  // the TCP header cut short
  from_port(0, frame);
  EXPECT_EQ(ports_[1]->sent_count(), 0u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 1u);
  EXPECT_EQ(stage("conntrack_parse", "truncated") + stage("conntrack_parse", "bad_header"), 1u);
  expect_no_leak();
}

// IPv4 fragments: the first is judged by its headers, later ones follow it, offset 1 is refused.
TEST_F(SecurityGroupStageTest, FirstFragmentsAreJudgedLaterOnesFollow) {
  auto fragment = [&](uint8_t protocol, std::vector<uint8_t> l4, uint16_t flags_offset) {
    auto ip = pb::ipv4_packet(kIp0, kIp1, protocol, std::move(l4));
    pb::put16(ip, 6, flags_offset);
    return ether(mac(2), mac(1), 0x0800, ip);
  };
  constexpr uint16_t kMore = 0x2000;
  from_port(0, fragment(6, pb::tcp_segment(5000, 80, kSyn, 100), kMore));        // TCP 80: allowed
  from_port(0, fragment(17, pb::udp_datagram(5000, 80, 100), kMore));            // UDP: denied
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 1u);
  from_port(0, fragment(17, std::vector<uint8_t>(64, 0xee), 185));               // a later fragment
  EXPECT_EQ(ports_[1]->sent_count(), 2u);
  from_port(0, fragment(6, std::vector<uint8_t>(64, 0xee), kMore | 1));          // offset 1: refused
  EXPECT_EQ(ports_[1]->sent_count(), 2u);
  EXPECT_EQ(drops(DropReason::kSecurityGroup), 2u);
  EXPECT_EQ(stage("security_groups", "denied_ingress"), 1u);  // the UDP one, by slot 1's rules
  EXPECT_EQ(stage("security_groups", "fragments"), 7u);        // all but the refused one twice
  expect_no_leak();
}

// A tracker of 2 connections: the third is refused (conntrack_full) while the first two
// keep working.
TEST_F(SecurityGroupStageTest, AFullTrackerRefusesNewConnectionsAndKeepsTheOthers) {
  SecurityGroupConfig config;
  config.conntrack_max = 2;
  Pipeline small(pool_, drops_, make_encapsulation("vxlan"), tunnel_, nullptr, config);
  small.set_table(table_.get());
  auto send = [&](PortSlot slot, std::vector<uint8_t> f) {
    Batch batch;
    Packet* p = pool_.alloc();
    std::memcpy(p->data(), f.data(), f.size());
    p->set_length(static_cast<uint32_t>(f.size()));
    p->meta.in_port = slot;
    batch.push(p);
    small.process_port_rx(batch);
  };
  send(0, tcp(mac(2), mac(1), kIp0, kIp1, 5000, 80, kSyn));  // 2 connections: zone 0 and zone 1
  send(0, tcp(mac(2), mac(1), kIp0, kIp1, 5001, 80, kSyn));  // no room in zone 0
  EXPECT_EQ(drops(DropReason::kConntrackFull), 1u);
  send(1, tcp(mac(1), mac(2), kIp1, kIp0, 80, 5000, kSynAck));  // the first one goes on
  EXPECT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  nlohmann::json stages;
  small.add_counters(stages);
  EXPECT_EQ(stages["conntrack"]["table_full"].get<uint64_t>(), 1u);
  EXPECT_EQ(stages["firewall"]["no_room"].get<uint64_t>(), 1u);
  expect_no_leak();
}

TEST_F(SecurityGroupStageTest, APerPortCapStopsOneVmFromFillingTheTable) {
  SecurityGroupConfig config;
  config.zone_max = 1;
  Pipeline capped(pool_, drops_, make_encapsulation("vxlan"), tunnel_, nullptr, config);
  capped.set_table(table_.get());
  for (uint16_t sport = 6000; sport < 6010; ++sport) {
    Batch batch;
    Packet* p = pool_.alloc();
    auto f = tcp(mac(2), mac(1), kIp0, kIp1, sport, 80, kSyn);
    std::memcpy(p->data(), f.data(), f.size());
    p->set_length(static_cast<uint32_t>(f.size()));
    p->meta.in_port = 0;
    batch.push(p);
    capped.process_port_rx(batch);
  }
  nlohmann::json stages;
  capped.add_counters(stages);
  EXPECT_EQ(stages["conntrack"]["zone_limit"].get<uint64_t>(), 9u);
  EXPECT_EQ(drops(DropReason::kConntrackFull), 9u);
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

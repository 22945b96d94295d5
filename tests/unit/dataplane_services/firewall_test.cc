#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/firewall/compiled_policy.h"
#include "dataplane/firewall/stateful_firewall.h"
#include "packet_builder.h"

namespace overcast::dataplane::firewall {
namespace {

using conntrack::IpBytes;
using conntrack::ipv4_bytes;
using conntrack::ipv4_of;
using namespace overcast::testing;

// The obvious matcher: every rule, one by one, straight from Neutron's definitions.
bool reference_allows(const std::vector<SgRule>& rules, const FirewallQuery& q,
                      const std::map<std::string, std::set<IpBytes>>& members) {
  for (const SgRule& r : rules) {
    if (r.direction != q.direction || r.family != q.family) continue;
    const int protocol = r.family == 6 && r.protocol == 1 ? 58 : r.protocol;
    if (protocol != -1 && protocol != q.protocol) continue;
    if (protocol_has_ports(protocol) && r.port_range_min &&
        (q.port_key < *r.port_range_min || q.port_key > *r.port_range_max))
      continue;
    if (protocol_is_icmp(protocol)) {
      if (r.port_range_min && (q.port_key >> 8) != *r.port_range_min) continue;
      if (r.port_range_max && (q.port_key & 0xff) != *r.port_range_max) continue;
    }
    if (r.remote_prefix) {
      bool inside = true;
      for (int bit = 0; bit < r.remote_prefix_length; ++bit) {
        const int a = (q.remote[bit / 8] >> (7 - bit % 8)) & 1;
        const int b = ((*r.remote_prefix)[bit / 8] >> (7 - bit % 8)) & 1;
        if (a != b) inside = false;
      }
      if (!inside) continue;
    }
    if (r.remote_group_id) {
      auto it = members.find(*r.remote_group_id);
      if (it == members.end() || !it->second.count(q.remote)) continue;
    }
    return true;
  }
  return false;
}

IpBytes random_address(std::mt19937& rng, uint8_t family) {
  // A small address space so prefixes and groups do match sometimes.
  IpBytes a{};
  if (family == 4) return ipv4_bytes(0x0a000000u | (rng() % 4) << 8 | (rng() % 8));
  a[0] = 0x20;
  a[1] = 0x01;
  a[14] = static_cast<uint8_t>(rng() % 4);
  a[15] = static_cast<uint8_t>(rng() % 8);
  return a;
}

SgRule random_rule(std::mt19937& rng) {
  static const int kProtocols[] = {-1, 6, 17, 1, 58, 47, 132};
  SgRule r;
  r.direction = rng() % 2 ? Direction::kIngress : Direction::kEgress;
  r.family = rng() % 3 ? 4 : 6;
  r.protocol = kProtocols[rng() % 7];
  if (protocol_has_ports(r.protocol) && rng() % 4) {
    uint16_t a = static_cast<uint16_t>(1 + rng() % 100), b = static_cast<uint16_t>(1 + rng() % 100);
    r.port_range_min = std::min(a, b);
    r.port_range_max = std::max(a, b);
  } else if (protocol_is_icmp(r.protocol) && rng() % 2) {
    r.port_range_min = static_cast<uint16_t>(rng() % 4);
    if (rng() % 2) r.port_range_max = static_cast<uint16_t>(rng() % 3);
  }
  switch (rng() % 3) {
    case 0:
      r.remote_prefix = random_address(rng, r.family);
      r.remote_prefix_length = static_cast<uint8_t>(r.family == 4 ? 20 + rng() % 13 : 112 + rng() % 17);
      break;
    case 1: r.remote_group_id = "g" + std::to_string(rng() % 3); break;
    default: break;
  }
  return r;
}

TEST(CompiledPolicy, AgreesWithTheReferenceOnRandomRulesAndPackets) {
  std::mt19937 rng(20261129);
  int total_allowed = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<SgRule> rules;
    const size_t n = 1 + rng() % (round < 30 ? 8 : 300);
    for (size_t i = 0; i < n; ++i) rules.push_back(random_rule(rng));
    GroupRegistry registry;
    auto compiled = CompiledPolicy::compile(rules, registry);
    ASSERT_TRUE(compiled.policy) << compiled.error;

    std::map<std::string, std::set<IpBytes>> members;
    RemoteGroupMembers::Builder builder;
    for (int g = 0; g < 3; ++g) {
      const std::string id = "g" + std::to_string(g);
      for (int k = 0; k < 6; ++k) {
        const uint8_t family = k % 2 ? 4 : 6;
        const IpBytes a = random_address(rng, family);
        members[id].insert(a);
        builder.add(registry.intern(id), family, a);
      }
    }
    const RemoteGroupMembers snapshot = std::move(builder).build();

    int allowed = 0;
    for (int i = 0; i < 2000; ++i) {
      static const uint8_t kProtocols[] = {6, 17, 1, 58, 47, 132, 50};
      FirewallQuery q;
      q.direction = rng() % 2 ? Direction::kIngress : Direction::kEgress;
      q.family = rng() % 3 ? 4 : 6;
      q.protocol = kProtocols[rng() % 7];
      q.remote = random_address(rng, q.family);
      if (protocol_has_ports(q.protocol)) q.port_key = static_cast<uint16_t>(rng() % 110);
      else if (protocol_is_icmp(q.protocol)) q.port_key = static_cast<uint16_t>((rng() % 5) << 8 | rng() % 4);
      const bool expected = reference_allows(rules, q, members);
      allowed += expected;
      ASSERT_EQ(compiled.policy->allows(q, snapshot), expected) << "round " << round << " query " << i;
    }
    total_allowed += allowed;
  }
  // The random data must exercise both answers, or the comparison proves nothing.
  EXPECT_GT(total_allowed, 60 * 2000 / 20);
  EXPECT_LT(total_allowed, 60 * 2000 * 19 / 20);
}

SgRule tcp_in(uint16_t lo, uint16_t hi) {
  SgRule r;
  r.protocol = 6;
  r.port_range_min = lo;
  r.port_range_max = hi;
  return r;
}

FirewallQuery query(Direction d, uint8_t proto, uint32_t remote, uint16_t port) {
  FirewallQuery q;
  q.direction = d;
  q.protocol = proto;
  q.remote = ipv4_bytes(remote);
  q.port_key = port;
  return q;
}

// A policy large enough that the trie is sealed with its jump table and compacted
// (thousands of nodes), with queries aimed inside the rules' prefixes.
TEST(CompiledPolicy, LargePolicyAgreesWithTheReference) {
  std::mt19937 rng(99);
  std::vector<SgRule> rules;
  for (int i = 0; i < 5000; ++i) {
    SgRule r;
    r.protocol = rng() % 2 ? 6 : 17;
    const uint16_t lo = static_cast<uint16_t>(1 + rng() % 1000);
    r.port_range_min = lo;
    r.port_range_max = static_cast<uint16_t>(lo + rng() % 50);
    r.remote_prefix = ipv4_bytes(static_cast<uint32_t>(rng()) & 0x0fff0fff);
    r.remote_prefix_length = static_cast<uint8_t>(8 + rng() % 25);
    rules.push_back(r);
  }
  GroupRegistry g;
  auto p = CompiledPolicy::compile(rules, g).policy;
  const RemoteGroupMembers none;
  const std::map<std::string, std::set<IpBytes>> no_members;
  int allowed = 0;
  for (int i = 0; i < 3000; ++i) {
    const SgRule& aim = rules[rng() % rules.size()];
    uint32_t a = ipv4_of(*aim.remote_prefix);
    if (aim.remote_prefix_length < 32) a |= static_cast<uint32_t>(rng()) & (~0u >> aim.remote_prefix_length);
    FirewallQuery q = query(Direction::kIngress, static_cast<uint8_t>(rng() % 2 ? 6 : 17), a,
                            static_cast<uint16_t>(1 + rng() % 1100));
    const bool expected = reference_allows(rules, q, no_members);
    allowed += expected;
    ASSERT_EQ(p->allows(q, none), expected) << i;
  }
  EXPECT_GT(allowed, 100);
  EXPECT_LT(allowed, 2900);
}

// Neutron's "default" group: all egress (IPv4 and IPv6), ingress only from members.
TEST(CompiledPolicy, NeutronDefaultGroup) {
  GroupRegistry g;
  std::vector<SgRule> rules(4);
  rules[0].direction = rules[1].direction = Direction::kEgress;
  rules[1].family = 6;
  rules[2].remote_group_id = rules[3].remote_group_id = "default-group";
  rules[3].family = 6;
  auto p = CompiledPolicy::compile(rules, g).policy;
  RemoteGroupMembers::Builder b;
  b.add(g.intern("default-group"), 4, ipv4_bytes(0x0a000007));
  const auto members = std::move(b).build();
  EXPECT_TRUE(p->allows(query(Direction::kEgress, 6, 0x08080808, 443), members));
  EXPECT_TRUE(p->allows(query(Direction::kEgress, 132, 0x08080808, 9), members));
  FirewallQuery v6 = query(Direction::kEgress, 17, 0, 53);
  v6.family = 6;
  EXPECT_TRUE(p->allows(v6, members));
  EXPECT_TRUE(p->allows(query(Direction::kIngress, 6, 0x0a000007, 22), members));
  EXPECT_FALSE(p->allows(query(Direction::kIngress, 6, 0xcb007101, 80), members)) << "ext -> VM blocked";
}

TEST(CompiledPolicy, DefaultDenyBothWays) {
  GroupRegistry g;
  auto p = CompiledPolicy::compile({}, g).policy;
  const RemoteGroupMembers none;
  EXPECT_FALSE(p->allows(query(Direction::kIngress, 6, 1, 80), none));
  EXPECT_FALSE(p->allows(query(Direction::kEgress, 17, 1, 53), none));
}

TEST(CompiledPolicy, IcmpTypeAndCodeAndIpv6Naming) {
  GroupRegistry g;
  SgRule echo;
  echo.protocol = 1;
  echo.port_range_min = 8;  // echo request, any code
  SgRule v6;
  v6.family = 6;
  v6.protocol = 1;  // "icmp" on IPv6 means ICMPv6
  auto p = CompiledPolicy::compile({echo, v6}, g).policy;
  const RemoteGroupMembers none;
  EXPECT_TRUE(p->allows(query(Direction::kIngress, 1, 5, 8 << 8 | 3), none));
  EXPECT_FALSE(p->allows(query(Direction::kIngress, 1, 5, 13 << 8), none));
  FirewallQuery q6 = query(Direction::kIngress, 58, 0, 128 << 8);
  q6.family = 6;
  EXPECT_TRUE(p->allows(q6, none));
}

TEST(CompiledPolicy, RefusesMeaninglessRulesNamingTheField) {
  GroupRegistry g;
  EXPECT_NE(CompiledPolicy::compile({tcp_in(90, 80)}, g).error.find("port_range_min"), std::string::npos);
  SgRule gre;
  gre.protocol = 47;
  gre.port_range_min = gre.port_range_max = 5;
  EXPECT_NE(CompiledPolicy::compile({gre}, g).error.find("no ports"), std::string::npos);
  SgRule both = tcp_in(80, 80);
  both.remote_prefix = IpBytes{};
  both.remote_group_id = "x";
  EXPECT_NE(CompiledPolicy::compile({both}, g).error.find("mutually exclusive"), std::string::npos);
  SgRule long_prefix;
  long_prefix.remote_prefix = IpBytes{};
  long_prefix.remote_prefix_length = 33;
  EXPECT_FALSE(CompiledPolicy::compile({long_prefix}, g).policy);
  EXPECT_EQ(protocol_number("tcp"), 6);
  EXPECT_EQ(protocol_number("132"), 132);
  EXPECT_EQ(protocol_number("any"), -1);
  EXPECT_FALSE(protocol_number("256"));
  EXPECT_FALSE(protocol_number("tcpx"));
}

TEST(CompiledPolicy, RemoteGroupFollowsMembersWithoutRecompiling) {
  GroupRegistry g;
  SgRule r;
  r.remote_group_id = "web";
  auto p = CompiledPolicy::compile({r}, g).policy;
  RemoteGroupMembers::Builder b1;
  b1.add(g.intern("web"), 4, ipv4_bytes(0x0a000005));
  const auto before = std::move(b1).build();
  EXPECT_TRUE(p->allows(query(Direction::kIngress, 6, 0x0a000005, 22), before));
  EXPECT_FALSE(p->allows(query(Direction::kIngress, 6, 0x0a000006, 22), before));
  RemoteGroupMembers::Builder b2;
  b2.add(g.intern("web"), 4, ipv4_bytes(0x0a000006));
  const auto after = std::move(b2).build();
  EXPECT_FALSE(p->allows(query(Direction::kIngress, 6, 0x0a000005, 22), after));
  EXPECT_TRUE(p->allows(query(Direction::kIngress, 6, 0x0a000006, 22), after));
}

conntrack::CtPacket parsed(const std::vector<uint8_t>& pkt, conntrack::Zone zone) {
  conntrack::CtPacket p;
  EXPECT_EQ(conntrack::parse_ct_packet(pkt.data(), pkt.size(), 0x0800, zone, p), conntrack::ParseResult::kOk);
  return p;
}

TEST(StatefulFirewall, ReturnTrafficPassesAndRemovingTheRuleEndsTheConnection) {
  using namespace conntrack::tcp_flag;
  constexpr uint32_t kVm = 0x0a000005, kExt = 0xcb007101;
  conntrack::ConnTracker ct{{}};
  StatefulFirewall fw;
  GroupRegistry g;
  const RemoteGroupMembers none;
  auto open = CompiledPolicy::compile({tcp_in(80, 80)}, g).policy;
  auto closed = CompiledPolicy::compile({}, g).policy;
  auto syn = parsed(ipv4_packet(kExt, kVm, 6, tcp_segment(5555, 80, kSyn)), 3);
  auto synack = parsed(ipv4_packet(kVm, kExt, 6, tcp_segment(80, 5555, kSyn | kAck)), 3);
  auto ack = parsed(ipv4_packet(kExt, kVm, 6, tcp_segment(5555, 80, kAck)), 3);

  EXPECT_EQ(fw.filter(ct, *closed, none, syn, Direction::kIngress, 0), Verdict::kDrop);
  EXPECT_EQ(fw.filter(ct, *open, none, syn, Direction::kIngress, 0), Verdict::kPass);
  // The SYN+ACK goes out (egress) though no egress rule exists: return traffic.
  EXPECT_EQ(fw.filter(ct, *open, none, synack, Direction::kEgress, 1), Verdict::kPass);
  EXPECT_EQ(fw.filter(ct, *open, none, ack, Direction::kIngress, 2), Verdict::kPass);
  // An unsolicited packet to port 22 is refused.
  EXPECT_EQ(fw.filter(ct, *open, none, parsed(ipv4_packet(kExt, kVm, 6, tcp_segment(5556, 22, kSyn)), 3),
                      Direction::kIngress, 3),
            Verdict::kDrop);
  // An egress SYN from the VM has no rule either.
  EXPECT_EQ(fw.filter(ct, *open, none, parsed(ipv4_packet(kVm, kExt, 6, tcp_segment(4000, 443, kSyn)), 3),
                      Direction::kEgress, 3),
            Verdict::kDrop);
  EXPECT_EQ(StatefulFirewall::end_disallowed(ct, 4, *closed, none), 0u) << "another zone is untouched";
  EXPECT_EQ(StatefulFirewall::end_disallowed(ct, 3, *open, none), 0u);
  EXPECT_EQ(StatefulFirewall::end_disallowed(ct, 3, *closed, none), 1u);
  // With the connection gone, its next packet is not a SYN: invalid, dropped.
  EXPECT_EQ(fw.filter(ct, *closed, none, ack, Direction::kIngress, 4), Verdict::kDrop);
  EXPECT_EQ(fw.counters().value(StatefulFirewall::kDenied), 3u);
  EXPECT_EQ(fw.counters().value(StatefulFirewall::kInvalid), 1u);
}

TEST(StatefulFirewall, MalformedPacketsAreDroppedAndCountedByReason) {
  conntrack::ConnTracker ct{{}};
  StatefulFirewall fw;
  GroupRegistry g;
  SgRule any;  // ingress, IPv4, any protocol from anywhere
  auto policy = CompiledPolicy::compile({any}, g).policy;
  const RemoteGroupMembers none;
  auto good = ipv4_packet(0x01020304, 0x0a000005, 6, tcp_segment(1, 80, conntrack::tcp_flag::kSyn));
  EXPECT_EQ(fw.filter_l3(ct, *policy, none, good.data(), good.size(), 0x0800, 1, Direction::kIngress, 0),
            Verdict::kPass);
  EXPECT_EQ(fw.filter_l3(ct, *policy, none, good.data(), 30, 0x0800, 1, Direction::kIngress, 0), Verdict::kDrop);
  auto frag = good;
  frag[6] = 0x20;
  EXPECT_EQ(fw.filter_l3(ct, *policy, none, frag.data(), frag.size(), 0x0800, 1, Direction::kIngress, 0),
            Verdict::kDrop);
  EXPECT_EQ(fw.malformed_counters().value(static_cast<size_t>(conntrack::ParseResult::kTruncated)), 1u);
  EXPECT_EQ(fw.malformed_counters().value(static_cast<size_t>(conntrack::ParseResult::kFragment)), 1u);
}

}  // namespace
}  // namespace overcast::dataplane::firewall

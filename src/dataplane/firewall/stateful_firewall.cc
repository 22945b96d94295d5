#include "dataplane/firewall/stateful_firewall.h"

namespace overcast::dataplane::firewall {
namespace {

using conntrack::CtState;
using conntrack::PacketKind;

// mark: bit 31 "committed by the firewall", bit 16 direction, low 16 bits the port key.
constexpr uint32_t kCommittedByFirewall = 1u << 31;
constexpr uint32_t kEgressBit = 1u << 16;

uint32_t mark_of(const FirewallQuery& q) {
  return kCommittedByFirewall | (q.direction == Direction::kEgress ? kEgressBit : 0) | q.port_key;
}

}  // namespace

FirewallQuery query_of(const conntrack::CtPacket& p, Direction direction) {
  FirewallQuery q;
  q.direction = direction;
  q.family = p.key.family;
  q.protocol = p.key.protocol;
  q.remote = direction == Direction::kIngress ? p.key.src : p.key.dst;
  const bool icmp = p.key.protocol == (p.key.family == 4 ? 1 : 58);
  if (icmp) q.port_key = static_cast<uint16_t>(p.icmp_type << 8 | p.icmp_code);
  else if (p.kind == PacketKind::kPorts) q.port_key = p.key.dst_port;
  return q;
}

Verdict StatefulFirewall::filter(conntrack::ConnTracker& tracker, const CompiledPolicy& policy,
                                 const RemoteGroupMembers& members, const conntrack::CtPacket& packet,
                                 Direction direction, uint64_t now_ms) {
  const conntrack::TrackResult r = tracker.process(packet, now_ms);
  switch (r.state) {
    case CtState::kEstablished:
      counters_.add(kEstablished, 1);
      return Verdict::kPass;
    case CtState::kRelated:
      counters_.add(kRelated, 1);
      return Verdict::kPass;
    case CtState::kInvalid:
      counters_.add(kInvalid, 1);
      return Verdict::kDrop;
    case CtState::kNew:
      break;
  }
  // A NEW packet of a committed connection (no reply yet) was allowed when committed.
  if (r.conn != conntrack::kNoConn) {
    counters_.add(kAllowed, 1);
    return Verdict::kPass;
  }
  const FirewallQuery q = query_of(packet, direction);
  if (!policy.allows(q, members)) {
    counters_.add(kDenied, 1);
    return Verdict::kDrop;
  }
  if (tracker.commit(packet, now_ms, nullptr, nullptr, mark_of(q)).conn == conntrack::kNoConn) {
    counters_.add(kNoRoom, 1);
    return Verdict::kDrop;
  }
  counters_.add(kAllowed, 1);
  return Verdict::kPass;
}

Verdict StatefulFirewall::filter_l3(conntrack::ConnTracker& tracker, const CompiledPolicy& policy,
                                    const RemoteGroupMembers& members, const uint8_t* l3, size_t length,
                                    uint16_t ethertype, conntrack::Zone zone, Direction direction, uint64_t now_ms) {
  conntrack::CtPacket packet;
  const conntrack::ParseResult parsed = conntrack::parse_ct_packet(l3, length, ethertype, zone, packet);
  if (parsed != conntrack::ParseResult::kOk) {
    malformed_.add(static_cast<size_t>(parsed), 1);
    return Verdict::kDrop;
  }
  return filter(tracker, policy, members, packet, direction, now_ms);
}

bool StatefulFirewall::disallows(const conntrack::Connection& c, const CompiledPolicy& policy,
                                 const RemoteGroupMembers& members) {
  if (!(c.mark & kCommittedByFirewall)) return false;
  FirewallQuery q;
  q.direction = c.mark & kEgressBit ? Direction::kEgress : Direction::kIngress;
  q.family = c.orig.family;
  q.protocol = c.orig.protocol;
  q.remote = q.direction == Direction::kIngress ? c.orig.src : c.orig.dst;
  q.port_key = static_cast<uint16_t>(c.mark & 0xffff);
  return !policy.allows(q, members);
}

size_t StatefulFirewall::end_disallowed(conntrack::ConnTracker& tracker, conntrack::Zone zone,
                                        const CompiledPolicy& policy, const RemoteGroupMembers& members) {
  return tracker.end_if(
      [&](const conntrack::Connection& c) { return c.orig.zone == zone && disallows(c, policy, members); });
}

}  // namespace overcast::dataplane::firewall

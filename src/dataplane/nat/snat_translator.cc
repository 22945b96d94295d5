#include "dataplane/nat/snat_translator.h"

namespace overcast::dataplane::nat {
namespace {

using conntrack::PacketKind;

// Connections that get a port (or an echo id) of their own; the allocator's pools are
// per protocol, so ICMP ids (protocol 1) never mix with ports.
bool takes_port(const conntrack::CtPacket& p) {
  return p.kind == PacketKind::kPorts || p.kind == PacketKind::kIcmpEchoRequest;
}

}  // namespace

SnatTranslator::SnatTranslator(conntrack::ConnTracker& tracker, SnatPortAllocator& ports)
    : tracker_(tracker), ports_(ports) {
  tracker_.set_on_end([this](const conntrack::Connection& c) {
    if (c.nat.kind == conntrack::NatBinding::Kind::kSnat && c.nat.translated_port != 0)
      ports_.release(conntrack::ipv4_of(c.nat.translated_addr), c.nat.protocol, c.nat.translated_port);
  });
}

conntrack::TrackResult SnatTranslator::commit(const conntrack::CtPacket& p, uint32_t external_ip, uint64_t now_ms,
                                              uint32_t mark) {
  if (p.key.family != 4) return {};
  conntrack::NatBinding nat;
  nat.kind = conntrack::NatBinding::Kind::kSnat;
  nat.protocol = p.key.protocol;
  nat.original_addr = p.key.src;
  nat.translated_addr = conntrack::ipv4_bytes(external_ip);
  nat.original_port = p.key.src_port;
  conntrack::ConnKey reply = p.key.reversed();
  reply.dst = nat.translated_addr;
  if (takes_port(p)) {
    const auto port = ports_.allocate(external_ip, p.key.protocol);
    if (!port) {
      counters_.add(kExhausted, 1);
      return {};
    }
    nat.translated_port = *port;
    reply.dst_port = *port;
    if (p.kind == PacketKind::kIcmpEchoRequest) reply.src_port = *port;  // echo keys carry the id twice
  }
  const conntrack::TrackResult r = tracker_.commit(p, now_ms, &reply, &nat, mark);
  if (r.conn == conntrack::kNoConn) {
    if (nat.translated_port) ports_.release(external_ip, p.key.protocol, nat.translated_port);
    counters_.add(kNoRoom, 1);
    return r;
  }
  counters_.add(kCommitted, 1);
  return r;
}

RewriteResult SnatTranslator::translate(uint8_t* l3, size_t length, const conntrack::CtPacket& p,
                                        const conntrack::TrackResult& r) {
  if (r.conn == conntrack::kNoConn) return RewriteResult::kBadHeader;
  const conntrack::NatBinding& nat = tracker_.connection(r.conn).nat;
  if (nat.kind != conntrack::NatBinding::Kind::kSnat) return RewriteResult::kOk;  // nothing to translate
  const uint32_t inside = conntrack::ipv4_of(nat.original_addr);
  const uint32_t outside = conntrack::ipv4_of(nat.translated_addr);
  const std::optional<uint16_t> inside_port =
      nat.translated_port ? std::optional<uint16_t>(nat.original_port) : std::nullopt;
  const std::optional<uint16_t> outside_port =
      nat.translated_port ? std::optional<uint16_t>(nat.translated_port) : std::nullopt;
  RewriteResult result;
  if (p.kind == PacketKind::kIcmpError) {
    // Coming back (to the external address) it quotes the translated packet: both go inside.
    result = r.is_reply ? rewrite_icmp_error(l3, length, Endpoint::kDestination, inside, Endpoint::kSource, inside,
                                             inside_port)
                        : rewrite_icmp_error(l3, length, Endpoint::kSource, outside, Endpoint::kDestination,
                                             outside, outside_port);
  } else if (r.is_reply) {
    result = rewrite_ipv4(l3, length, Endpoint::kDestination, inside, inside_port);
  } else {
    result = rewrite_ipv4(l3, length, Endpoint::kSource, outside, outside_port);
  }
  counters_.add(result == RewriteResult::kOk ? kTranslated : kRewriteFailed, 1);
  return result;
}

}  // namespace overcast::dataplane::nat

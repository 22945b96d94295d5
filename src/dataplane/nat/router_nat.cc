#include "dataplane/nat/router_nat.h"

#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/nat/nat_rewrite.h"

namespace overcast::dataplane::nat {
namespace {

using conntrack::CtState;
using conntrack::PacketKind;
using conntrack::ParseResult;

constexpr uint16_t kEthertypeIpv4 = 0x0800;

uint32_t read_address(const uint8_t* at) {
  return (uint32_t{at[0]} << 24) | (uint32_t{at[1]} << 16) | (uint32_t{at[2]} << 8) | at[3];
}
uint32_t source_of(const uint8_t* l3) { return read_address(l3 + 12); }
uint32_t destination_of(const uint8_t* l3) { return read_address(l3 + 16); }

}  // namespace

bool RouterNatConfig::add_floating_ip(uint32_t floating, uint32_t fixed) {
  if (floating == external_ip || fixed_by_floating.count(floating) || floating_by_fixed.count(fixed)) return false;
  fixed_by_floating.emplace(floating, fixed);
  floating_by_fixed.emplace(fixed, floating);
  return true;
}

RouterNat::Verdict RouterNat::floating_out(uint8_t* l3, size_t length, uint32_t floating, bool icmp_error) {
  // An error the VM sends about a packet that came in through the floating IP quotes
  // that packet with the fixed address as its destination: the outside must see its own.
  const RewriteResult r =
      icmp_error ? rewrite_icmp_error(l3, length, Endpoint::kSource, floating, Endpoint::kDestination, floating,
                                      std::nullopt)
                 : rewrite_ipv4(l3, length, Endpoint::kSource, floating, std::nullopt);
  return r == RewriteResult::kOk ? forward(kFloatingOut) : drop(kRewriteFailed);
}

RouterNat::Verdict RouterNat::floating_in(uint8_t* l3, size_t length, uint32_t fixed, bool icmp_error) {
  const RewriteResult r =
      icmp_error ? rewrite_icmp_error(l3, length, Endpoint::kDestination, fixed, Endpoint::kSource, fixed,
                                      std::nullopt)
                 : rewrite_ipv4(l3, length, Endpoint::kDestination, fixed, std::nullopt);
  return r == RewriteResult::kOk ? forward(kFloatingIn) : drop(kRewriteFailed);
}

RouterNat::Verdict RouterNat::outbound(const RouterNatConfig& config, uint8_t* l3, size_t length, uint64_t now_ms) {
  conntrack::CtPacket packet;
  const ParseResult parsed = conntrack::parse_ct_packet(l3, length, kEthertypeIpv4, config.zone, packet);
  if (parsed == ParseResult::kFragment) return drop(kFragment);
  if (parsed != ParseResult::kOk || packet.key.family != 4) return drop(kMalformed);
  const bool icmp_error = packet.kind == PacketKind::kIcmpError;

  if (auto fip = config.floating_by_fixed.find(source_of(l3)); fip != config.floating_by_fixed.end())
    return floating_out(l3, length, fip->second, icmp_error);
  if (!config.enable_snat || config.external_ip == 0) return forward(kUnchanged);

  conntrack::TrackResult result = tracker_.process(packet, now_ms);
  if (result.state == CtState::kInvalid) return drop(kInvalid);
  if (result.state == CtState::kNew && result.conn == conntrack::kNoConn) {
    if (icmp_error) return drop(kNoBinding);  // about nothing we translated
    result = snat_.commit(packet, config.external_ip, now_ms);
    if (result.conn == conntrack::kNoConn) return drop(kExhausted);
  }
  return snat_.translate(l3, length, packet, result) == RewriteResult::kOk ? forward(kSnatOut)
                                                                            : drop(kRewriteFailed);
}

RouterNat::Verdict RouterNat::inbound(const RouterNatConfig& config, uint8_t* l3, size_t length, uint64_t now_ms) {
  conntrack::CtPacket packet;
  const ParseResult parsed = conntrack::parse_ct_packet(l3, length, kEthertypeIpv4, config.zone, packet);
  if (parsed == ParseResult::kFragment) return drop(kFragment);
  if (parsed != ParseResult::kOk || packet.key.family != 4) return drop(kMalformed);
  const bool icmp_error = packet.kind == PacketKind::kIcmpError;
  const uint32_t destination = destination_of(l3);

  if (auto fip = config.fixed_by_floating.find(destination); fip != config.fixed_by_floating.end())
    return floating_in(l3, length, fip->second, icmp_error);
  if (config.external_ip == 0 || destination != config.external_ip) return drop(kNoBinding);

  const conntrack::TrackResult result = tracker_.process(packet, now_ms);
  const bool tracked = (result.state == CtState::kEstablished || result.state == CtState::kRelated) &&
                       result.conn != conntrack::kNoConn &&
                       tracker_.connection(result.conn).nat.kind == conntrack::NatBinding::Kind::kSnat;
  if (tracked) {
    return snat_.translate(l3, length, packet, result) == RewriteResult::kOk ? forward(kSnatIn)
                                                                              : drop(kRewriteFailed);
  }
  if (result.state == CtState::kNew && packet.kind == PacketKind::kIcmpEchoRequest) {
    counters_.add(kRouterLocal, 1);
    return Verdict::kToRouter;
  }
  return drop(result.state == CtState::kInvalid ? kInvalid : kNoBinding);
}

}  // namespace overcast::dataplane::nat

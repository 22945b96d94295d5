// Packet rewrites for SNAT, DNAT and 1:1 floating IPs on IPv4, in place, with every
// checksum updated incrementally (RFC 1624) rather than recomputed:
//   IPv4 header checksum; TCP and UDP checksums (their pseudo-header covers the
//   addresses); ICMP checksum for an echo id; and for an ICMP error, the quoted packet
//   (its address, port or echo id, its IP header checksum, its UDP/TCP/ICMP checksum
//   when quoted) with the outer ICMP checksum following every quoted byte changed.
// A UDP checksum of zero means "none" and stays zero; a computed zero is sent as
// 0xffff (RFC 768).
//
// These helpers only edit bytes; which binding applies (from the tracker's
// NatBinding) is the caller's decision. IPv6 is not translated (Neutron does not NAT
// IPv6 either).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace overcast::dataplane::nat {

enum class Endpoint : uint8_t { kSource, kDestination };

enum class RewriteResult : uint8_t {
  kOk,
  kTruncated,     // shorter than the headers that must change
  kBadHeader,     // not IPv4, bad IHL or lengths
  kFragment,      // a fragment: its transport header may be elsewhere
  kNotIcmpError,  // rewrite_icmp_error on something else
  kCount,
};
inline constexpr std::array<std::string_view, static_cast<size_t>(RewriteResult::kCount)> kRewriteResultNames = {
    "ok", "truncated", "bad_header", "fragment", "not_icmp_error"};

// Sets the packet's source or destination address and, when `port` is given, its
// TCP/UDP port on the same side or (ICMP echo request/reply) its echo id.
RewriteResult rewrite_ipv4(uint8_t* l3, size_t length, Endpoint which, uint32_t address,
                           std::optional<uint16_t> port);

// An ICMP error travelling back through a translation: the outer `outer` address
// becomes `outer_address`, and inside the quoted packet the `inner` address becomes
// `inner_address` (and its port / echo id `inner_port` when given).
RewriteResult rewrite_icmp_error(uint8_t* l3, size_t length, Endpoint outer, uint32_t outer_address,
                                 Endpoint inner, uint32_t inner_address, std::optional<uint16_t> inner_port);

}  // namespace overcast::dataplane::nat

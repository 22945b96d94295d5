// Parsing an IP packet into what the tracker needs: its connection key, TCP flags,
// and for an ICMP error the key of the packet it quotes. Parsing is separate from
// tracking (OVS's flow.c vs conntrack.c) so the firewall and NAT can reuse it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::conntrack {

enum class PacketKind : uint8_t {
  kPorts,          // TCP, UDP, SCTP: key carries ports
  kIcmpEchoRequest,
  kIcmpEchoReply,
  kIcmpError,      // key is the quoted packet's key (as that packet was sent)
  kOther,          // other protocols and ICMP messages: addresses (+ ICMP type/code)
};

struct CtPacket {
  ConnKey key;
  PacketKind kind = PacketKind::kOther;
  uint8_t tcp_flags = 0;
  uint8_t icmp_type = 0;  // of the outer ICMP message, when protocol is ICMP/ICMPv6
  uint8_t icmp_code = 0;
  uint16_t l4_offset = 0;  // from the start of the IP header
};

enum class ParseResult : uint8_t {
  kOk,
  kTruncated,     // shorter than a header it announces
  kBadHeader,     // wrong version, IHL, length fields
  kFragment,      // non-first or non-atomic fragment: no ports to track (not reassembled)
  kBadIcmpError,  // ICMP error whose quoted packet is missing or malformed
  kCount,
};
inline constexpr std::array<std::string_view, static_cast<size_t>(ParseResult::kCount)> kParseResultNames = {
    "ok", "truncated", "bad_header", "fragment", "bad_icmp_error"};

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kAck = 0x10;
}  // namespace tcp_flag

// `l3` points at the IPv4 or IPv6 header (`ethertype` says which), `length` bytes held.
ParseResult parse_ct_packet(const uint8_t* l3, size_t length, uint16_t ethertype, Zone zone, CtPacket& out);

}  // namespace overcast::dataplane::conntrack

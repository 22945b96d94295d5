#include "dataplane/conntrack/conn_packet.h"

#include <cstring>

#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace overcast::dataplane::conntrack {
namespace {

constexpr uint8_t kSctp = 132;
constexpr uint8_t kUdpLite = 136;

uint16_t read16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

bool is_icmpv4_error(uint8_t type) { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }
bool is_icmpv6_error(uint8_t type) { return type >= 1 && type <= 4; }

struct L3 {
  uint8_t protocol = 0;
  size_t l4_offset = 0;
  size_t end = 0;  // bytes of the packet proper (IPv4 total length)
};

// IPv4 header: fills key addresses. `quoted` relaxes the length check: an ICMP error
// quotes only the start of the original packet, whose total_length says more.
ParseResult parse_l3_v4(const uint8_t* p, size_t length, bool quoted, ConnKey& key, L3& l3) {
  if (length < sizeof(net::Ipv4Header)) return ParseResult::kTruncated;
  const auto* h = net::header_at<net::Ipv4Header>(p);
  const size_t ihl = h->header_length();
  if (h->version() != 4 || ihl < sizeof(net::Ipv4Header)) return ParseResult::kBadHeader;
  if (ihl > length) return ParseResult::kTruncated;
  size_t total = h->total_length.host();
  if (total < ihl) return ParseResult::kBadHeader;
  if (total > length) {
    if (!quoted) return ParseResult::kTruncated;
    total = length;
  }
  // A later fragment has no L4 header; a first fragment's may be cut short. Both untracked.
  if (h->is_fragment()) return ParseResult::kFragment;
  key.family = 4;
  key.src = ipv4_bytes(h->src.host());
  key.dst = ipv4_bytes(h->dst.host());
  l3 = {h->protocol, ihl, total};
  return ParseResult::kOk;
}

// IPv6 header and the extension headers before the transport header.
ParseResult parse_l3_v6(const uint8_t* p, size_t length, bool quoted, ConnKey& key, L3& l3) {
  if (length < sizeof(net::Ipv6Header)) return ParseResult::kTruncated;
  const auto* h = net::header_at<net::Ipv6Header>(p);
  if (h->version() != 6) return ParseResult::kBadHeader;
  size_t end = sizeof(net::Ipv6Header) + h->payload_length.host();
  if (end > length) {
    if (!quoted) return ParseResult::kTruncated;
    end = length;
  }
  key.family = 6;
  std::memcpy(key.src.data(), h->src, 16);
  std::memcpy(key.dst.data(), h->dst, 16);
  uint8_t next = h->next_header;
  size_t offset = sizeof(net::Ipv6Header);
  for (int hops = 0;; ++hops) {
    if (hops > 8) return ParseResult::kBadHeader;  // a chain this long is an attack, not a packet
    if (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
      if (offset + 8 > end) return ParseResult::kTruncated;
      const size_t len = (size_t{p[offset + 1]} + 1) * 8;
      next = p[offset];
      offset += len;
    } else if (next == 51) {  // AH: length in 4-byte units, minus 2
      if (offset + 8 > end) return ParseResult::kTruncated;
      const size_t len = (size_t{p[offset + 1]} + 2) * 4;
      next = p[offset];
      offset += len;
    } else if (next == 44) {  // fragment: only an atomic fragment (offset 0, no M) is whole
      if (offset + 8 > end) return ParseResult::kTruncated;
      if ((read16(p + offset + 2) & 0xfff9) != 0) return ParseResult::kFragment;
      next = p[offset];
      offset += 8;
    } else {
      break;
    }
    if (offset > end) return ParseResult::kTruncated;
  }
  l3 = {next, offset, end};
  return ParseResult::kOk;
}

ParseResult parse_l3(const uint8_t* p, size_t length, bool v4, bool quoted, ConnKey& key, L3& l3) {
  return v4 ? parse_l3_v4(p, length, quoted, key, l3) : parse_l3_v6(p, length, quoted, key, l3);
}

// The quoted packet of an ICMP error: its IP header and at least 8 bytes of transport
// header (RFC 792 guarantees 8). Its key is built as that packet was sent.
ParseResult parse_quoted(const uint8_t* p, size_t length, bool v4, ConnKey& key) {
  L3 l3;
  const ParseResult r = parse_l3(p, length, v4, /*quoted=*/true, key, l3);
  if (r != ParseResult::kOk) return ParseResult::kBadIcmpError;
  if (l3.l4_offset + 8 > l3.end) return ParseResult::kBadIcmpError;
  const uint8_t* l4 = p + l3.l4_offset;
  key.protocol = l3.protocol;
  const uint8_t icmp = v4 ? net::ip_proto::kIcmp : net::ip_proto::kIcmpv6;
  if (l3.protocol == net::ip_proto::kTcp || l3.protocol == net::ip_proto::kUdp || l3.protocol == kSctp ||
      l3.protocol == kUdpLite) {
    key.src_port = read16(l4);
    key.dst_port = read16(l4 + 2);
  } else if (l3.protocol == icmp) {
    const uint8_t type = l4[0];
    const bool echo = v4 ? (type == 8 || type == 0) : (type == 128 || type == 129);
    if (!echo) return ParseResult::kBadIcmpError;  // errors about errors are never sent
    key.src_port = key.dst_port = read16(l4 + 4);
  }
  return ParseResult::kOk;
}

}  // namespace

ParseResult parse_ct_packet(const uint8_t* l3p, size_t length, uint16_t ethertype, Zone zone, CtPacket& out) {
  const bool v4 = ethertype == net::ethertype::kIpv4;
  if (!v4 && ethertype != net::ethertype::kIpv6) return ParseResult::kBadHeader;
  out = CtPacket{};
  out.key.zone = zone;
  L3 l3;
  ParseResult r = parse_l3(l3p, length, v4, /*quoted=*/false, out.key, l3);
  if (r != ParseResult::kOk) return r;
  out.key.protocol = l3.protocol;
  out.l4_offset = static_cast<uint16_t>(l3.l4_offset);
  const uint8_t* l4 = l3p + l3.l4_offset;
  const size_t l4_length = l3.end - l3.l4_offset;
  const uint8_t icmp = v4 ? net::ip_proto::kIcmp : net::ip_proto::kIcmpv6;

  if (l3.protocol == net::ip_proto::kTcp) {
    if (l4_length < 20) return ParseResult::kTruncated;
    const size_t header = size_t{static_cast<uint8_t>(l4[12] >> 4)} * 4;
    if (header < 20) return ParseResult::kBadHeader;
    if (header > l4_length) return ParseResult::kTruncated;
    out.kind = PacketKind::kPorts;
    out.key.src_port = read16(l4);
    out.key.dst_port = read16(l4 + 2);
    out.tcp_flags = l4[13];
  } else if (l3.protocol == net::ip_proto::kUdp || l3.protocol == kUdpLite || l3.protocol == kSctp) {
    if (l4_length < 8) return ParseResult::kTruncated;
    if (l3.protocol == net::ip_proto::kUdp) {
      const size_t declared = read16(l4 + 4);
      if (declared < 8 || declared > l4_length) return ParseResult::kBadHeader;
    }
    out.kind = PacketKind::kPorts;
    out.key.src_port = read16(l4);
    out.key.dst_port = read16(l4 + 2);
  } else if (l3.protocol == icmp) {
    if (l4_length < 8) return ParseResult::kTruncated;
    out.icmp_type = l4[0];
    out.icmp_code = l4[1];
    const bool request = v4 ? out.icmp_type == 8 : out.icmp_type == 128;
    const bool reply = v4 ? out.icmp_type == 0 : out.icmp_type == 129;
    const bool error = v4 ? is_icmpv4_error(out.icmp_type) : is_icmpv6_error(out.icmp_type);
    if (request || reply) {
      out.kind = request ? PacketKind::kIcmpEchoRequest : PacketKind::kIcmpEchoReply;
      out.key.src_port = out.key.dst_port = read16(l4 + 4);
    } else if (error) {
      ConnKey quoted;
      quoted.zone = zone;
      r = parse_quoted(l4 + 8, l4_length - 8, v4, quoted);
      if (r != ParseResult::kOk) return r;
      out.kind = PacketKind::kIcmpError;
      out.key = quoted;
    } else {
      out.kind = PacketKind::kOther;
      out.key.src_port = static_cast<uint16_t>((out.icmp_type << 8) | out.icmp_code);
    }
  } else {
    out.kind = PacketKind::kOther;
  }
  return ParseResult::kOk;
}

}  // namespace overcast::dataplane::conntrack

// TCP frame builders and checksum oracles for the offload tests. Everything here is
// written byte by byte and summed with the plainest RFC 1071 loop, so the code under
// test (net/checksum, the segmenter, GRO) is never its own oracle.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dataplane/test_frames.h"

#include "dataplane/core/offload_info.h"

namespace overcast::dataplane::testing {

// RFC 1071 the slow way: 16-bit big-endian pairs, an odd last byte padded with a
// zero, end-around carry folded one at a time. Not complemented.
inline uint16_t naive_sum16(const uint8_t* data, size_t length, uint32_t start = 0) {
  uint64_t sum = start;
  for (size_t i = 0; i < length; i += 2) {
    const uint16_t hi = data[i];
    const uint16_t lo = i + 1 < length ? data[i + 1] : 0;
    sum += static_cast<uint16_t>((hi << 8) | lo);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}
inline uint16_t naive_sum16(const std::vector<uint8_t>& bytes, uint32_t start = 0) {
  return naive_sum16(bytes.data(), bytes.size(), start);
}

// The pseudo headers as the RFCs draw them (RFC 9293 §3.1, RFC 8200 §8.1), as bytes.
inline std::vector<uint8_t> pseudo_header_v4(const uint8_t* src, const uint8_t* dst, uint8_t protocol,
                                             uint16_t l4_length) {
  std::vector<uint8_t> p(src, src + 4);
  p.insert(p.end(), dst, dst + 4);
  p.push_back(0);
  p.push_back(protocol);
  put16(p, l4_length);
  return p;
}
inline std::vector<uint8_t> pseudo_header_v6(const uint8_t* src, const uint8_t* dst, uint8_t next_header,
                                             uint32_t l4_length) {
  std::vector<uint8_t> p(src, src + 16);
  p.insert(p.end(), dst, dst + 16);
  put32(p, l4_length);
  p.insert(p.end(), {0, 0, 0});
  p.push_back(next_header);
  return p;
}

// Puts the folded pseudo-header sum in the L4 checksum field at `field`, as a sender with
// NEEDS_CSUM does, and returns the OffloadInfo describing it.
inline OffloadInfo make_partial(std::vector<uint8_t>& f, size_t l3, size_t l4, bool ipv6, uint8_t proto,
                                size_t field) {
  const uint32_t l4_length = static_cast<uint32_t>(f.size() - l4);
  const auto ph = ipv6 ? pseudo_header_v6(&f[l3 + 8], &f[l3 + 24], proto, l4_length)
                       : pseudo_header_v4(&f[l3 + 12], &f[l3 + 16], proto, static_cast<uint16_t>(l4_length));
  const uint16_t partial = naive_sum16(ph);
  f[l4 + field] = static_cast<uint8_t>(partial >> 8);
  f[l4 + field + 1] = static_cast<uint8_t>(partial);
  OffloadInfo o;
  o.needs_csum = true;
  o.csum_start = static_cast<uint16_t>(l4);
  o.csum_offset = static_cast<uint16_t>(field);
  return o;
}

inline std::vector<uint8_t> random_bytes(std::mt19937& rng, size_t n) {
  std::vector<uint8_t> b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10,
                         kEce = 0x40, kCwr = 0x80;

struct TcpSpec {
  bool ipv6 = false;
  bool vlan = false;          // one 802.1Q tag (VID 42)
  size_t option_words = 0;    // 32-bit words of TCP options (NOP-padded timestamps pattern)
  uint32_t seq = 1000;
  uint32_t ack = 5000;
  uint8_t flags = kAck;
  uint16_t ip_id = 0x1234;
  uint16_t sport = 40000;
  uint16_t dport = 5201;
  uint8_t src_last = 1;       // last byte of the source address (flows differ by it)
  uint8_t tos = 0;
  uint16_t window = 0x2000;
};

struct TcpOffsets {
  size_t l3 = 0, l4 = 0, payload = 0;
};

inline TcpOffsets tcp_offsets(const TcpSpec& s) {
  TcpOffsets o;
  o.l3 = 14 + (s.vlan ? 4 : 0);
  o.l4 = o.l3 + (s.ipv6 ? 40 : 20);
  o.payload = o.l4 + 20 + 4 * s.option_words;
  return o;
}

// A complete Ethernet [+ VLAN] + IPv4/IPv6 + TCP frame carrying `payload`, with
// lengths and checksums filled by the naive oracle. IP length fields are truncated
// to 16 bits, as a super-frame's may be anything (the code must not rely on them).
inline std::vector<uint8_t> tcp_frame(const TcpSpec& s, const std::vector<uint8_t>& payload) {
  const TcpOffsets o = tcp_offsets(s);
  std::vector<uint8_t> f;
  put_mac(f, mac(2));
  put_mac(f, mac(1));
  if (s.vlan) {
    put16(f, 0x8100);
    put16(f, 42);
  }
  put16(f, s.ipv6 ? 0x86dd : 0x0800);
  const size_t l4_length = o.payload - o.l4 + payload.size();
  if (!s.ipv6) {
    f.push_back(0x45);
    f.push_back(s.tos);
    put16(f, static_cast<uint16_t>(20 + l4_length));
    put16(f, s.ip_id);
    put16(f, 0x4000);  // DF
    f.push_back(64);
    f.push_back(6);
    put16(f, 0);
    put32(f, 0x0a000000u | s.src_last);
    put32(f, 0x0a000063u);
  } else {
    put32(f, 0x60000000u | (uint32_t{s.tos} << 20) | 0x12345);
    put16(f, static_cast<uint16_t>(l4_length));
    f.push_back(6);
    f.push_back(64);
    const uint8_t src[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.src_last};
    const uint8_t dst[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x63};
    f.insert(f.end(), src, src + 16);
    f.insert(f.end(), dst, dst + 16);
  }
  put16(f, s.sport);
  put16(f, s.dport);
  put32(f, s.seq);
  put32(f, s.ack);
  f.push_back(static_cast<uint8_t>((5 + s.option_words) << 4));
  f.push_back(s.flags);
  put16(f, s.window);
  put16(f, 0);  // checksum, below
  put16(f, 0);  // urgent pointer
  for (size_t w = 0; w < s.option_words; ++w) {
    // NOP NOP kind=8 len=10 style filler; the contents only need to be repeatable.
    f.insert(f.end(), {1, 1, 8, static_cast<uint8_t>(10 + w)});
  }
  f.insert(f.end(), payload.begin(), payload.end());

  if (!s.ipv6) {
    const uint16_t ip_sum = static_cast<uint16_t>(~naive_sum16(f.data() + o.l3, 20));
    f[o.l3 + 10] = static_cast<uint8_t>(ip_sum >> 8);
    f[o.l3 + 11] = static_cast<uint8_t>(ip_sum);
  }
  const auto ph = s.ipv6 ? pseudo_header_v6(&f[o.l3 + 8], &f[o.l3 + 24], 6, static_cast<uint32_t>(l4_length))
                         : pseudo_header_v4(&f[o.l3 + 12], &f[o.l3 + 16], 6, static_cast<uint16_t>(l4_length));
  const uint16_t tcp_sum = static_cast<uint16_t>(~naive_sum16(f.data() + o.l4, l4_length, naive_sum16(ph)));
  f[o.l4 + 16] = static_cast<uint8_t>(tcp_sum >> 8);
  f[o.l4 + 17] = static_cast<uint8_t>(tcp_sum);
  return f;
}

// Does the frame's TCP checksum verify over [l4, end) with the naive oracle?
inline bool naive_tcp_checksum_ok(const uint8_t* f, size_t length, size_t l3, size_t l4, bool ipv6) {
  const size_t l4_length = length - l4;
  const auto ph = ipv6 ? pseudo_header_v6(f + l3 + 8, f + l3 + 24, 6, static_cast<uint32_t>(l4_length))
                       : pseudo_header_v4(f + l3 + 12, f + l3 + 16, 6, static_cast<uint16_t>(l4_length));
  return naive_sum16(f + l4, l4_length, naive_sum16(ph)) == 0xffff;
}
inline bool naive_ipv4_header_ok(const uint8_t* f, size_t l3) { return naive_sum16(f + l3, 20) == 0xffff; }

inline uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

inline std::vector<uint8_t> pattern_payload(size_t n, uint8_t seed = 0) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + seed + (i >> 8));
  return b;
}

// A VXLAN-like 8-byte tunnel prefix for `vni` (flags 0x08).
inline std::vector<uint8_t> tunnel_prefix(uint32_t vni) {
  return {0x08, 0, 0, 0, static_cast<uint8_t>(vni >> 16), static_cast<uint8_t>(vni >> 8), static_cast<uint8_t>(vni),
          0};
}

// Any IP packet in an Ethernet frame, for the path MTU tests: `l4` is written after
// the IP header as it is (UDP, ICMP, anything), lengths and the IPv4 header checksum
// filled by the naive oracle.
struct IpSpec {
  bool ipv6 = false;
  bool vlan = false;               // one 802.1Q tag (VID 42)
  uint16_t flags_fragment = 0x4000;  // IPv4 flags + offset field: DF by default
  size_t option_words = 0;         // IPv4 options: 32-bit words of NOPs
  uint8_t protocol = 17;           // IPv4 protocol / IPv6 next header
  uint32_t src4 = 0x0a000001;      // 10.0.0.1
  uint32_t dst4 = 0x0a000063;      // 10.0.0.99
  std::array<uint8_t, 16> src6 = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::array<uint8_t, 16> dst6 = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x63};
  uint16_t ip_id = 0x4242;
  uint8_t ttl = 64;
};

inline size_t ip_l3_offset(const IpSpec& s) { return 14 + (s.vlan ? 4 : 0); }
inline size_t ip_header_size(const IpSpec& s) { return s.ipv6 ? 40 : 20 + 4 * s.option_words; }

inline std::vector<uint8_t> ip_frame(const IpSpec& s, const std::vector<uint8_t>& l4) {
  std::vector<uint8_t> f;
  put_mac(f, mac(2));
  put_mac(f, mac(1));
  if (s.vlan) {
    put16(f, 0x8100);
    put16(f, 42);
  }
  put16(f, s.ipv6 ? 0x86dd : 0x0800);
  const size_t l3 = f.size();
  if (!s.ipv6) {
    f.push_back(static_cast<uint8_t>(0x40 | (5 + s.option_words)));
    f.push_back(0);
    put16(f, static_cast<uint16_t>(20 + 4 * s.option_words + l4.size()));
    put16(f, s.ip_id);
    put16(f, s.flags_fragment);
    f.push_back(s.ttl);
    f.push_back(s.protocol);
    put16(f, 0);
    put32(f, s.src4);
    put32(f, s.dst4);
    f.insert(f.end(), 4 * s.option_words, 1);  // NOP options
    const uint16_t sum = static_cast<uint16_t>(~naive_sum16(f.data() + l3, f.size() - l3));
    f[l3 + 10] = static_cast<uint8_t>(sum >> 8);
    f[l3 + 11] = static_cast<uint8_t>(sum);
  } else {
    put32(f, 0x60000000u);
    put16(f, static_cast<uint16_t>(l4.size()));
    f.push_back(s.protocol);
    f.push_back(s.ttl);
    f.insert(f.end(), s.src6.begin(), s.src6.end());
    f.insert(f.end(), s.dst6.begin(), s.dst6.end());
  }
  f.insert(f.end(), l4.begin(), l4.end());
  return f;
}

// A UDP header (checksum 0: "none" for IPv4) and `payload`, as the l4 of ip_frame().
inline std::vector<uint8_t> udp_l4(const std::vector<uint8_t>& payload, uint16_t sport = 4000, uint16_t dport = 53) {
  std::vector<uint8_t> u;
  put16(u, sport);
  put16(u, dport);
  put16(u, static_cast<uint16_t>(8 + payload.size()));
  put16(u, 0);
  u.insert(u.end(), payload.begin(), payload.end());
  return u;
}

// An ICMP/ICMPv6 message of `type` (code 0, checksum not filled) with `body` bytes.
inline std::vector<uint8_t> icmp_l4(uint8_t type, size_t body) {
  std::vector<uint8_t> m = {type, 0, 0, 0, 0, 0, 0, 0};
  const auto b = pattern_payload(body, type);
  m.insert(m.end(), b.begin(), b.end());
  return m;
}

// Independent oracles for the path MTU replies and fragments: each returns "" when
// `out` is what the RFCs ask for, else the first thing that is wrong.

// ICMPv4 3/4 (RFC 1191) or ICMPv6 2 (RFC 4443 §3.2) answering `orig` for `mtu`.
inline std::string too_big_reply_problem(const std::vector<uint8_t>& orig, const std::vector<uint8_t>& out,
                                         uint32_t mtu) {
  if (orig.size() < 14 || out.size() < 14) return "frame shorter than Ethernet";
  const size_t l3 = get16(&orig[12]) == 0x8100 ? 18 : 14;
  const bool ipv6 = get16(&orig[l3 - 2]) == 0x86dd;
  if (!std::equal(orig.begin(), orig.begin() + 6, out.begin() + 6)) return "Ethernet source is not the sender";
  if (!std::equal(orig.begin() + 6, orig.begin() + 12, out.begin())) return "Ethernet destination is not the sender";
  if (!std::equal(orig.begin() + 12, orig.begin() + l3, out.begin() + 12)) return "VLAN tag / ethertype changed";
  const std::vector<uint8_t> orig_ip(orig.begin() + l3, orig.end());
  if (!ipv6) {
    const size_t quoted = std::min<size_t>(orig_ip.size(), 576 - 28);
    if (out.size() != l3 + 28 + quoted) return "length " + std::to_string(out.size()) + " != " + std::to_string(l3 + 28 + quoted);
    const uint8_t* ip = &out[l3];
    if (ip[0] != 0x45) return "IPv4 version/IHL";
    if (get16(ip + 2) != 28 + quoted) return "IPv4 total length";
    if ((get16(ip + 6) & 0x3fff) != 0) return "reply is a fragment";
    if (ip[8] == 0) return "TTL 0";
    if (ip[9] != 1) return "protocol not ICMP";
    if (!std::equal(ip + 12, ip + 16, orig_ip.begin() + 16)) return "IPv4 source is not the original destination";
    if (!std::equal(ip + 16, ip + 20, orig_ip.begin() + 12)) return "IPv4 destination is not the original source";
    if (naive_sum16(ip, 20) != 0xffff) return "IPv4 header checksum";
    const uint8_t* icmp = ip + 20;
    if (icmp[0] != 3 || icmp[1] != 4) return "ICMP type/code not 3/4";
    if (get16(icmp + 4) != 0) return "ICMP unused field not zero";
    if (get16(icmp + 6) != mtu) return "next-hop MTU " + std::to_string(get16(icmp + 6));
    if (!std::equal(icmp + 8, icmp + 8 + quoted, orig_ip.begin())) return "quoted bytes differ";
    if (naive_sum16(icmp, 8 + quoted) != 0xffff) return "ICMP checksum";
    return "";
  }
  const size_t quoted = std::min<size_t>(orig_ip.size(), 1280 - 48);
  if (out.size() != l3 + 48 + quoted) return "length " + std::to_string(out.size()) + " != " + std::to_string(l3 + 48 + quoted);
  const uint8_t* ip = &out[l3];
  if ((ip[0] >> 4) != 6) return "IPv6 version";
  if (get16(ip + 4) != 8 + quoted) return "IPv6 payload length";
  if (ip[6] != 58) return "next header not ICMPv6";
  if (ip[7] == 0) return "hop limit 0";
  if (!std::equal(ip + 8, ip + 24, orig_ip.begin() + 24)) return "IPv6 source is not the original destination";
  if (!std::equal(ip + 24, ip + 40, orig_ip.begin() + 8)) return "IPv6 destination is not the original source";
  const uint8_t* icmp = ip + 40;
  if (icmp[0] != 2 || icmp[1] != 0) return "ICMPv6 type/code not 2/0";
  if (get32(icmp + 4) != mtu) return "MTU " + std::to_string(get32(icmp + 4));
  if (!std::equal(icmp + 8, icmp + 8 + quoted, orig_ip.begin())) return "quoted bytes differ";
  const auto ph = pseudo_header_v6(ip + 8, ip + 24, 58, static_cast<uint32_t>(8 + quoted));
  if (naive_sum16(icmp, 8 + quoted, naive_sum16(ph)) != 0xffff) return "ICMPv6 checksum";
  return "";
}

// IPv4 fragments of `orig` (no options) for `mtu`: each fits, offsets continue the
// original's, MF on all but the last (which keeps the original's), headers intact
// and checksummed, and the data laid out by offset is the original's data.
inline std::string fragments_problem(const std::vector<uint8_t>& orig, const std::vector<std::vector<uint8_t>>& frags,
                                     uint32_t mtu) {
  const size_t l3 = get16(&orig[12]) == 0x8100 ? 18 : 14;
  const uint8_t* oip = &orig[l3];
  const size_t data_length = get16(oip + 2) - 20;
  const uint16_t base = get16(oip + 6) & 0x1fff;
  const bool orig_more = get16(oip + 6) & 0x2000;
  if (frags.empty()) return "no fragments";
  std::vector<uint8_t> data;
  for (size_t i = 0; i < frags.size(); ++i) {
    const auto& f = frags[i];
    const std::string at = "fragment " + std::to_string(i) + ": ";
    if (f.size() < l3 + 20) return at + "too short";
    if (!std::equal(orig.begin(), orig.begin() + l3, f.begin())) return at + "Ethernet header changed";
    const uint8_t* ip = &f[l3];
    const size_t ip_length = f.size() - l3;
    if (ip_length > mtu) return at + "IP length " + std::to_string(ip_length) + " > mtu";
    if (ip[0] != 0x45) return at + "version/IHL";
    if (get16(ip + 2) != ip_length) return at + "total length field";
    if (get16(ip + 4) != get16(oip + 4)) return at + "identification changed";
    if (ip[1] != oip[1] || ip[8] != oip[8] || ip[9] != oip[9]) return at + "TOS/TTL/protocol changed";
    if (!std::equal(ip + 12, ip + 20, oip + 12)) return at + "addresses changed";
    if (naive_sum16(ip, 20) != 0xffff) return at + "header checksum";
    const uint16_t ff = get16(ip + 6);
    if (ff & 0x8000) return at + "reserved flag set";
    if ((ff & 0x4000) != (get16(oip + 6) & 0x4000)) return at + "DF changed";
    const bool last = i + 1 == frags.size();
    const bool more = ff & 0x2000;
    if (more != (last ? orig_more : true)) return at + "MF " + std::to_string(more);
    const size_t offset = size_t{ff & 0x1fffu} * 8;
    if (offset != size_t{base} * 8 + data.size()) return at + "offset " + std::to_string(offset) + " leaves a gap/overlap";
    if (!last && (ip_length - 20) % 8 != 0) return at + "data of a non-last fragment not a multiple of 8";
    if (ip_length == 20) return at + "empty";
    data.insert(data.end(), ip + 20, ip + ip_length);
  }
  if (data.size() != data_length) return "reassembled " + std::to_string(data.size()) + " bytes, want " + std::to_string(data_length);
  if (!std::equal(data.begin(), data.end(), oip + 20)) return "reassembled data differs";
  return "";
}

}  // namespace overcast::dataplane::testing

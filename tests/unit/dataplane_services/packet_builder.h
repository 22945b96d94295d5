// Builds IPv4/IPv6 packets (from the IP header on) with correct checksums, for tests
// of the tracker, firewall and NAT. Checksums are computed in full here, so a test
// that checks an incremental update compares against an independent computation.
#pragma once

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

#include "net/ipv4.h"

namespace overcast::testing {

inline void put16(std::vector<uint8_t>& v, size_t at, uint16_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
inline void put32(std::vector<uint8_t>& v, size_t at, uint32_t x) {
  put16(v, at, static_cast<uint16_t>(x >> 16));
  put16(v, at + 2, static_cast<uint16_t>(x));
}
inline uint16_t get16(const std::vector<uint8_t>& v, size_t at) {
  return static_cast<uint16_t>((v[at] << 8) | v[at + 1]);
}
inline uint32_t get32(const std::vector<uint8_t>& v, size_t at) {
  return (uint32_t{get16(v, at)} << 16) | get16(v, at + 2);
}

inline uint32_t ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return (uint32_t{a} << 24) | (uint32_t{b} << 16) | (uint32_t{c} << 8) | d;
}

// L4 checksum over the IPv4 pseudo-header and `l4` (checksum field included as is).
inline uint16_t l4_checksum_v4(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t* l4, size_t len) {
  std::vector<uint8_t> buf(12 + len);
  put32(buf, 0, src);
  put32(buf, 4, dst);
  buf[8] = 0;
  buf[9] = proto;
  put16(buf, 10, static_cast<uint16_t>(len));
  std::memcpy(buf.data() + 12, l4, len);
  return net::internet_checksum(buf.data(), buf.size());
}

// IPv4 header + `l4` bytes; fills the IP checksum and, for TCP/UDP, the L4 checksum; for
// ICMP the ICMP checksum.
inline std::vector<uint8_t> ipv4_packet(uint32_t src, uint32_t dst, uint8_t proto, std::vector<uint8_t> l4,
                                        uint8_t ttl = 64) {
  std::vector<uint8_t> p(20 + l4.size());
  p[0] = 0x45;
  put16(p, 2, static_cast<uint16_t>(p.size()));
  put16(p, 4, 0x1234);
  p[8] = ttl;
  p[9] = proto;
  put32(p, 12, src);
  put32(p, 16, dst);
  std::memcpy(p.data() + 20, l4.data(), l4.size());
  put16(p, 10, net::internet_checksum(p.data(), 20));
  if (proto == 6 && l4.size() >= 20) {
    put16(p, 36, 0);
    put16(p, 36, l4_checksum_v4(src, dst, 6, p.data() + 20, l4.size()));
  } else if (proto == 17 && l4.size() >= 8) {
    put16(p, 26, 0);
    uint16_t c = l4_checksum_v4(src, dst, 17, p.data() + 20, l4.size());
    put16(p, 26, c == 0 ? 0xffff : c);
  } else if (proto == 1 && l4.size() >= 4) {
    put16(p, 22, 0);
    put16(p, 22, net::internet_checksum(p.data() + 20, l4.size()));
  }
  return p;
}

inline std::vector<uint8_t> tcp_segment(uint16_t sport, uint16_t dport, uint8_t flags, size_t payload = 0) {
  std::vector<uint8_t> t(20 + payload, 0xab);
  put16(t, 0, sport);
  put16(t, 2, dport);
  put32(t, 4, 1000);
  put32(t, 8, 2000);
  t[12] = 5 << 4;
  t[13] = flags;
  put16(t, 14, 65535);
  put16(t, 16, 0);
  put16(t, 18, 0);
  return t;
}

inline std::vector<uint8_t> udp_datagram(uint16_t sport, uint16_t dport, size_t payload = 4) {
  std::vector<uint8_t> u(8 + payload, 0xcd);
  put16(u, 0, sport);
  put16(u, 2, dport);
  put16(u, 4, static_cast<uint16_t>(u.size()));
  put16(u, 6, 0);
  return u;
}

inline std::vector<uint8_t> icmp_echo(uint8_t type, uint16_t id, uint16_t seq = 1) {
  std::vector<uint8_t> m(16, 0x5a);
  m[0] = type;
  m[1] = 0;
  put16(m, 2, 0);
  put16(m, 4, id);
  put16(m, 6, seq);
  return m;
}

// ICMP error (type/code) quoting the first `quote` bytes of `original` (RFC 792: IP
// header + 8).
inline std::vector<uint8_t> icmp_error(uint8_t type, uint8_t code, const std::vector<uint8_t>& original,
                                       size_t quote = 28) {
  std::vector<uint8_t> m(8, 0);
  m[0] = type;
  m[1] = code;
  quote = std::min<size_t>(original.size(), quote);
  m.insert(m.end(), original.begin(), original.begin() + static_cast<long>(quote));
  return m;
}

// IPv6 header + l4 (checksums left zero: the tracker and firewall do not verify them).
inline std::vector<uint8_t> ipv6_packet(uint8_t src_last, uint8_t dst_last, uint8_t next, std::vector<uint8_t> l4) {
  std::vector<uint8_t> p(40 + l4.size(), 0);
  p[0] = 0x60;
  put16(p, 4, static_cast<uint16_t>(l4.size()));
  p[6] = next;
  p[7] = 64;
  p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = src_last;
  p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = dst_last;
  std::memcpy(p.data() + 40, l4.data(), l4.size());
  return p;
}

}  // namespace overcast::testing

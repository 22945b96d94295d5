#include "dataplane/nat/nat_rewrite.h"

#include <algorithm>

#include "dataplane/nat/checksum_update.h"

namespace overcast::dataplane::nat {
namespace {

constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17;

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// Everything a field change must be reflected in: up to three checksums (nullptr when
// absent), and whether the middle one is a UDP checksum (zero = none).
struct Checksums {
  uint8_t* ip = nullptr;     // an IPv4 header checksum covering the field
  uint8_t* l4 = nullptr;     // a TCP/UDP checksum covering it (directly or via pseudo-header)
  bool l4_is_udp = false;
  uint8_t* icmp = nullptr;   // the outer ICMP checksum, when the field is inside an ICMP error
};

void fix(uint8_t* csum, uint16_t old_v, uint16_t new_v, Checksums* outer);

// Writes a 16-bit word and updates the checksums covering it. A checksum field that
// itself lies inside the ICMP error changes too, and the ICMP checksum follows it.
void replace16(uint8_t* field, uint16_t new_v, const Checksums& c) {
  const uint16_t old_v = load16(field);
  if (old_v == new_v) return;
  store16(field, new_v);
  Checksums outer{nullptr, nullptr, false, c.icmp};
  if (c.ip) fix(c.ip, old_v, new_v, c.icmp ? &outer : nullptr);
  if (c.l4 && !(c.l4_is_udp && load16(c.l4) == 0)) {
    const uint16_t before = load16(c.l4);
    uint16_t after = checksum_update16(before, old_v, new_v);
    if (c.l4_is_udp && after == 0) after = 0xffff;
    store16(c.l4, after);
    if (c.icmp) store16(c.icmp, checksum_update16(load16(c.icmp), before, after));
  }
  if (c.icmp) store16(c.icmp, checksum_update16(load16(c.icmp), old_v, new_v));
}

void fix(uint8_t* csum, uint16_t old_v, uint16_t new_v, Checksums* outer) {
  const uint16_t before = load16(csum);
  const uint16_t after = checksum_update16(before, old_v, new_v);
  store16(csum, after);
  if (outer && outer->icmp) store16(outer->icmp, checksum_update16(load16(outer->icmp), before, after));
}

void replace32(uint8_t* field, uint32_t new_v, const Checksums& c) {
  replace16(field, static_cast<uint16_t>(new_v >> 16), c);
  replace16(field + 2, static_cast<uint16_t>(new_v), c);
}

struct Ip {
  size_t ihl = 0;
  size_t end = 0;
  uint8_t protocol = 0;
};

RewriteResult parse(const uint8_t* l3, size_t length, bool quoted, Ip& ip) {
  if (length < 20) return RewriteResult::kTruncated;
  if ((l3[0] >> 4) != 4) return RewriteResult::kBadHeader;
  ip.ihl = size_t{l3[0] & 0x0fu} * 4;
  const size_t total = load16(l3 + 2);
  if (ip.ihl < 20 || total < ip.ihl) return RewriteResult::kBadHeader;
  if (ip.ihl > length) return RewriteResult::kTruncated;
  if (total > length && !quoted) return RewriteResult::kTruncated;
  if (load16(l3 + 6) & 0x3fff) return RewriteResult::kFragment;
  ip.end = std::min(total, length);
  ip.protocol = l3[9];
  return RewriteResult::kOk;
}

bool is_icmp_error(uint8_t type) { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }

// Rewrites address and port of one side of an IPv4 packet whose header is at `l3` and
// whose transport bytes end at `end`; `icmp` is the enclosing ICMP checksum (quoted
// packets) or nullptr. A quoted packet may hold only 8 transport bytes: checksums
// beyond them are skipped (the receiver cannot check them either).
RewriteResult rewrite_side(uint8_t* l3, const Ip& ip, Endpoint which, uint32_t address,
                           std::optional<uint16_t> port, uint8_t* icmp) {
  uint8_t* l4 = l3 + ip.ihl;
  const size_t l4_len = ip.end - ip.ihl;
  Checksums c;
  c.ip = l3 + 10;
  c.icmp = icmp;
  size_t port_offset = which == Endpoint::kSource ? 0 : 2;
  if (ip.protocol == kTcp && l4_len >= 18) c.l4 = l4 + 16;
  if (ip.protocol == kUdp && l4_len >= 8) {
    c.l4 = l4 + 6;
    c.l4_is_udp = true;
  }
  // A packet of our own must hold its whole transport header (its checksum changes with
  // the address); a quoted one needs its first 8 bytes only when a port changes.
  size_t needed = 0;
  if (!icmp) needed = ip.protocol == kTcp ? 20 : ip.protocol == kUdp ? 8 : ip.protocol == kIcmp && port ? 8 : 0;
  else if (port) needed = ip.protocol == kTcp || ip.protocol == kUdp || ip.protocol == kIcmp ? 8 : 0;
  if (l4_len < needed) return RewriteResult::kTruncated;
  replace32(l3 + (which == Endpoint::kSource ? 12 : 16), address, c);  // pseudo-header: l4 too
  if (!port) return RewriteResult::kOk;
  Checksums pc;
  pc.icmp = icmp;
  pc.l4 = c.l4;
  pc.l4_is_udp = c.l4_is_udp;
  if (ip.protocol == kTcp || ip.protocol == kUdp) {
    replace16(l4 + port_offset, *port, pc);
  } else if (ip.protocol == kIcmp && (l4[0] == 8 || l4[0] == 0)) {
    pc.l4 = l4 + 2;  // the echo's own ICMP checksum covers its id
    pc.l4_is_udp = false;
    replace16(l4 + 4, *port, pc);
  }
  return RewriteResult::kOk;
}

}  // namespace

RewriteResult rewrite_ipv4(uint8_t* l3, size_t length, Endpoint which, uint32_t address,
                           std::optional<uint16_t> port) {
  Ip ip;
  if (RewriteResult r = parse(l3, length, false, ip); r != RewriteResult::kOk) return r;
  return rewrite_side(l3, ip, which, address, port, nullptr);
}

RewriteResult rewrite_icmp_error(uint8_t* l3, size_t length, Endpoint outer, uint32_t outer_address,
                                 Endpoint inner, uint32_t inner_address, std::optional<uint16_t> inner_port) {
  Ip ip;
  if (RewriteResult r = parse(l3, length, false, ip); r != RewriteResult::kOk) return r;
  if (ip.protocol != kIcmp) return RewriteResult::kNotIcmpError;
  if (ip.end - ip.ihl < 8) return RewriteResult::kTruncated;
  uint8_t* icmp = l3 + ip.ihl;
  if (!is_icmp_error(icmp[0])) return RewriteResult::kNotIcmpError;
  if (ip.end - ip.ihl < 8 + 20) return RewriteResult::kTruncated;
  uint8_t* quoted = icmp + 8;
  Ip inner_ip;
  if (RewriteResult r = parse(quoted, ip.end - ip.ihl - 8, true, inner_ip); r != RewriteResult::kOk) return r;
  // The quoted packet first (its changes feed the ICMP checksum), then the outer header.
  if (RewriteResult r = rewrite_side(quoted, inner_ip, inner, inner_address, inner_port, icmp + 2);
      r != RewriteResult::kOk)
    return r;
  Checksums c;
  c.ip = l3 + 10;
  replace32(l3 + (outer == Endpoint::kSource ? 12 : 16), outer_address, c);
  return RewriteResult::kOk;
}

}  // namespace overcast::dataplane::nat

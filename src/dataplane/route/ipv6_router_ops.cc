#include "dataplane/route/ipv6_router_ops.h"

#include <algorithm>
#include <cstring>

#include "dataplane/nat/checksum_update.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace overcast::dataplane::route {
namespace {

constexpr size_t kMinMtu = 1280;
constexpr uint8_t kIcmpv6 = 58;

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

}  // namespace

uint16_t icmp6_checksum(const uint8_t* src, const uint8_t* dst, const uint8_t* icmp, size_t length) {
  uint64_t sum = 0;
  auto add = [&](const uint8_t* p, size_t n) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += load16(p + i);
    if (n & 1) sum += uint32_t{p[n - 1]} << 8;
  };
  add(src, 16);
  add(dst, 16);
  sum += (length >> 16) + (length & 0xffff);
  sum += kIcmpv6;
  add(icmp, length);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

TtlResult decrement_hop_limit(uint8_t* l3, size_t length) {
  if (!net::parse_ipv6(l3, length)) return TtlResult::kMalformed;
  if (l3[7] <= 1) return TtlResult::kExpired;
  --l3[7];
  return TtlResult::kForward;
}

bool echo6_reply_in_place(uint8_t* l3, size_t length) {
  const auto* ip = net::parse_ipv6(l3, length);
  if (!ip || ip->next_header != kIcmpv6 || ip->payload_length.host() < 8) return false;
  uint8_t* icmp = l3 + sizeof(net::Ipv6Header);
  if (icmp[0] != 128) return false;
  uint8_t src[16];
  std::memcpy(src, l3 + 8, 16);
  std::memcpy(l3 + 8, l3 + 24, 16);
  std::memcpy(l3 + 24, src, 16);
  l3[7] = 64;
  // Swapping the addresses leaves the pseudo-header sum alone; only the type changes.
  const uint16_t before = static_cast<uint16_t>(icmp[0] << 8 | icmp[1]);
  icmp[0] = 129;
  store16(icmp + 2, nat::checksum_update16(load16(icmp + 2), before, static_cast<uint16_t>(icmp[0] << 8 | icmp[1])));
  return true;
}

size_t build_icmp6_error(const uint8_t* original, size_t length, uint8_t type, uint8_t code,
                         const conntrack::IpBytes& router_address, uint8_t* out, size_t capacity) {
  const auto* ip = net::parse_ipv6(original, length);
  if (!ip) return 0;
  const bool unspecified = std::all_of(ip->src, ip->src + 16, [](uint8_t b) { return b == 0; });
  if (unspecified || ip->src[0] == 0xff) return 0;
  if (ip->dst[0] == 0xff && type != 2) return 0;  // to a group: only "packet too big"
  const size_t whole = sizeof(net::Ipv6Header) + ip->payload_length.host();
  if (ip->next_header == kIcmpv6) {
    if (whole < sizeof(net::Ipv6Header) + 1) return 0;
    if (original[sizeof(net::Ipv6Header)] < 128) return 0;  // never about an error
  }
  const size_t quote = std::min(whole, kMinMtu - sizeof(net::Ipv6Header) - 8);
  const size_t icmp_length = 8 + quote;
  const size_t total = sizeof(net::Ipv6Header) + icmp_length;
  if (capacity < total) return 0;
  std::memset(out, 0, sizeof(net::Ipv6Header) + 8);
  out[0] = 0x60;
  store16(out + 4, static_cast<uint16_t>(icmp_length));
  out[6] = kIcmpv6;
  out[7] = 64;
  std::memcpy(out + 8, router_address.data(), 16);
  std::memcpy(out + 24, ip->src, 16);
  uint8_t* icmp = out + sizeof(net::Ipv6Header);
  icmp[0] = type;
  icmp[1] = code;
  std::memcpy(icmp + 8, original, quote);
  store16(icmp + 2, icmp6_checksum(out + 8, out + 24, icmp, icmp_length));
  return total;
}

}  // namespace overcast::dataplane::route

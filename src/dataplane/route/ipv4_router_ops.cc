#include "dataplane/route/ipv4_router_ops.h"

#include <algorithm>
#include <cstring>

#include "dataplane/nat/checksum_update.h"
#include "net/ipv4.h"

namespace overcast::dataplane::route {
namespace {

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
uint32_t load32(const uint8_t* p) { return (uint32_t{load16(p)} << 16) | load16(p + 2); }

bool is_special(uint32_t a) { return a == 0 || a == 0xffffffff || (a >> 28) == 0xe; }

constexpr size_t kMaxErrorSize = 576;

}  // namespace

TtlResult decrement_ttl(uint8_t* l3, size_t length) {
  const auto ip = net::parse_ipv4(l3, length);
  if (!ip.header) return TtlResult::kMalformed;
  if (l3[8] <= 1) return TtlResult::kExpired;
  const uint16_t before = load16(l3 + 8);  // TTL and protocol share a checksum word
  --l3[8];
  store16(l3 + 10, nat::checksum_update16(load16(l3 + 10), before, load16(l3 + 8)));
  return TtlResult::kForward;
}

bool echo_reply_in_place(uint8_t* l3, size_t length) {
  const auto ip = net::parse_ipv4(l3, length);
  if (!ip.header || ip.header->protocol != net::ip_proto::kIcmp || ip.header->is_fragment()) return false;
  uint8_t* icmp = l3 + ip.header_length;
  if (ip.total_length - ip.header_length < 8 || icmp[0] != 8) return false;
  uint8_t src[4];
  std::memcpy(src, l3 + 12, 4);
  std::memcpy(l3 + 12, l3 + 16, 4);
  std::memcpy(l3 + 16, src, 4);
  l3[8] = 64;
  net::set_ipv4_checksum(reinterpret_cast<net::Ipv4Header*>(l3));
  icmp[0] = 0;  // type 8 -> 0: the first checksum word goes from 0x08cc to 0x00cc
  store16(icmp + 2, nat::checksum_update16(load16(icmp + 2), static_cast<uint16_t>(8 << 8 | icmp[1]),
                                           static_cast<uint16_t>(icmp[1])));
  return true;
}

size_t build_icmp_error(const uint8_t* original, size_t length, uint8_t type, uint8_t code, uint32_t router_address,
                        uint8_t* out, size_t capacity) {
  const auto ip = net::parse_ipv4(original, length);
  if (!ip.header) return 0;
  if (ip.header->flags_fragment.host() & 0x1fff) return 0;  // not the first fragment
  const uint32_t src = load32(original + 12), dst = load32(original + 16);
  if (is_special(src) || is_special(dst)) return 0;
  if (ip.header->protocol == net::ip_proto::kIcmp) {
    if (ip.total_length - ip.header_length < 1) return 0;
    const uint8_t t = original[ip.header_length];
    if (t != 0 && t != 8 && t != 13 && t != 14 && t != 15 && t != 16) return 0;  // never about an error
  }
  const size_t quote = std::min(ip.total_length, kMaxErrorSize - 28);
  const size_t total = 20 + 8 + quote;
  if (capacity < total) return 0;
  std::memset(out, 0, 28);
  out[0] = 0x45;
  store16(out + 2, static_cast<uint16_t>(total));
  out[8] = 64;
  out[9] = net::ip_proto::kIcmp;
  for (int i = 0; i < 4; ++i) {
    out[12 + i] = static_cast<uint8_t>(router_address >> (24 - 8 * i));
    out[16 + i] = original[12 + i];
  }
  net::set_ipv4_checksum(reinterpret_cast<net::Ipv4Header*>(out));
  out[20] = type;
  out[21] = code;
  std::memcpy(out + 28, original, quote);
  store16(out + 22, net::internet_checksum(out + 20, 8 + quote));
  return total;
}

}  // namespace overcast::dataplane::route

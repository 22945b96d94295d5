// The identity of a tracked connection: (zone, family, protocol, addresses, ports).
// Zone is the VM port's zone, so two tenants using the same 10.0.0.0/24 never share an
// entry. IPv4 addresses sit in the first 4 bytes of the 16 (the rest zero).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace overcast::dataplane::conntrack {

using Zone = uint16_t;
using IpBytes = std::array<uint8_t, 16>;

inline IpBytes ipv4_bytes(uint32_t host_order) {
  IpBytes b{};
  b[0] = static_cast<uint8_t>(host_order >> 24);
  b[1] = static_cast<uint8_t>(host_order >> 16);
  b[2] = static_cast<uint8_t>(host_order >> 8);
  b[3] = static_cast<uint8_t>(host_order);
  return b;
}
inline uint32_t ipv4_of(const IpBytes& b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// For TCP/UDP/SCTP the ports; for ICMP echo both "ports" carry the echo id (so the
// reply's key is the plain inverse); for other ICMP messages type<<8|code and 0.
struct ConnKey {
  IpBytes src{};
  IpBytes dst{};
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  Zone zone = 0;
  uint8_t family = 4;  // 4 or 6
  uint8_t protocol = 0;

  ConnKey reversed() const {
    ConnKey r = *this;
    r.src = dst;
    r.dst = src;
    r.src_port = dst_port;
    r.dst_port = src_port;
    return r;
  }
  bool operator==(const ConnKey& o) const { return std::memcmp(this, &o, sizeof(ConnKey)) == 0; }
};
static_assert(sizeof(ConnKey) == 40, "no padding: keys are compared and hashed as bytes");

// A fast 64-bit mix over the key's five words (no allocation, no branches).
inline uint64_t hash_key(const ConnKey& k) {
  uint64_t w[5];
  std::memcpy(w, &k, sizeof(w));
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t x : w) {
    h ^= x;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

}  // namespace overcast::dataplane::conntrack

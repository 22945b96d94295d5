// A hash of a frame's flow identity, for tunnel entropy.
//
// RFC 7348 §5: the outer UDP source port should come from a hash of the inner
// headers, so the underlay's ECMP spreads flows but keeps each flow on one path.
// The hash covers the MACs and ethertype, and for IPv4/IPv6 the addresses and
// protocol, plus the ports for TCP/UDP. IPv4 fragments hash without ports, so
// every piece of a datagram takes the same path as the first.
#pragma once

#include <cstddef>
#include <cstdint>

namespace overcast::net {

uint32_t flow_hash(const uint8_t* frame, size_t length);

inline constexpr uint16_t kTunnelSourcePortMin = 49152;  // RFC 6335 dynamic range
inline constexpr uint16_t kTunnelSourcePortCount = 16384;

inline uint16_t tunnel_source_port(uint32_t hash) {
  // Fold the high bits in: the low 14 bits alone would ignore half the hash.
  return static_cast<uint16_t>(kTunnelSourcePortMin + ((hash ^ (hash >> 16)) % kTunnelSourcePortCount));
}

}  // namespace overcast::net

// The IPv6 counterparts of ipv4_router_ops.h: hop limit, echo reply, ICMPv6 errors.
// IPv6 has no header checksum, but ICMPv6's covers a pseudo-header with both addresses.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dataplane/conntrack/conn_key.h"
#include "dataplane/route/ipv4_router_ops.h"

namespace overcast::dataplane::route {

TtlResult decrement_hop_limit(uint8_t* l3, size_t length);

// Echo request (128) to the router -> echo reply (129) in place, addresses swapped,
// hop limit 64. False (untouched) if not a whole echo request without extension headers.
bool echo6_reply_in_place(uint8_t* l3, size_t length);

namespace icmp6_error {
inline constexpr uint8_t kUnreachable = 1;    // code 0 no route
inline constexpr uint8_t kTimeExceeded = 3;   // code 0 hop limit exceeded in transit
}  // namespace icmp6_error

// ICMPv6 error from `router_address` about the packet at `original`, quoting as much as
// fits in the minimum MTU of 1280 bytes (RFC 4443 2.4(c)). 0 when none may be sent
// (RFC 4443 2.4(e): never about an ICMPv6 error or a packet from the unspecified or a
// multicast address) or `capacity` is too small.
size_t build_icmp6_error(const uint8_t* original, size_t length, uint8_t type, uint8_t code,
                         const conntrack::IpBytes& router_address, uint8_t* out, size_t capacity);

// The ICMPv6 checksum of `icmp` (length bytes) between `src` and `dst` (RFC 8200 8.1).
uint16_t icmp6_checksum(const uint8_t* src, const uint8_t* dst, const uint8_t* icmp, size_t length);

}  // namespace overcast::dataplane::route

// What a distributed router does to an IPv4 packet besides the lookup: decrement TTL,
// answer ICMP echo to its own addresses, and build the ICMP errors it owes (time
// exceeded at TTL 0, destination unreachable without a route). L3 only: the caller
// rewrites MACs and picks the output.
#pragma once

#include <cstddef>
#include <cstdint>

namespace overcast::dataplane::route {

enum class TtlResult : uint8_t {
  kForward,    // TTL decremented, checksum updated
  kExpired,    // TTL would reach 0: send ICMP time exceeded instead
  kMalformed,  // not a whole IPv4 header
};

TtlResult decrement_ttl(uint8_t* l3, size_t length);

// Turns an echo request to the router into its reply, in place: addresses swapped,
// type 0, TTL 64, checksums updated. False (packet untouched) if it is not a whole
// ICMP echo request.
bool echo_reply_in_place(uint8_t* l3, size_t length);

namespace icmp_error {
inline constexpr uint8_t kUnreachable = 3;       // code 0 net, 1 host
inline constexpr uint8_t kTimeExceeded = 11;     // code 0 TTL exceeded in transit
}  // namespace icmp_error

// Builds, into `out`, the ICMP error `type`/`code` from `router_address` about the
// packet at `original`, quoting as much of it as fits in 576 bytes (RFC 1812 4.3.2.3).
// Returns its length, or 0 when none may be sent (RFC 1812 4.3.2.7: never about an ICMP
// error, a non-first fragment, or a packet from/to a broadcast, multicast or 0.0.0.0
// address) or `capacity` is too small.
size_t build_icmp_error(const uint8_t* original, size_t length, uint8_t type, uint8_t code,
                        uint32_t router_address, uint8_t* out, size_t capacity);

}  // namespace overcast::dataplane::route

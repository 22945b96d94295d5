// IPv4 header (RFC 791) and its header checksum.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/byte_order.h"

namespace overcast::net {

namespace ip_proto {
inline constexpr uint8_t kIcmp = 1;
inline constexpr uint8_t kTcp = 6;
inline constexpr uint8_t kUdp = 17;
inline constexpr uint8_t kIcmpv6 = 58;
}  // namespace ip_proto

struct [[gnu::may_alias]] Ipv4Header {
  uint8_t version_ihl;
  uint8_t tos;
  be16 total_length;
  be16 identification;
  be16 flags_fragment;
  uint8_t ttl;
  uint8_t protocol;
  be16 checksum;
  be32 src;
  be32 dst;

  uint8_t version() const { return version_ihl >> 4; }
  size_t header_length() const { return size_t{version_ihl & 0x0fu} * 4; }
  // True for any fragment (first with MF, or a later one): ports are not in every piece.
  bool is_fragment() const { return (flags_fragment.host() & 0x3fff) != 0; }
};
static_assert(sizeof(Ipv4Header) == 20);

struct ParsedIpv4 {
  const Ipv4Header* header = nullptr;
  size_t header_length = 0;  // with options
  size_t total_length = 0;   // from the header, checked against the bytes held
};

// Checks version, IHL >= 5, IHL*4 <= total_length <= length. nullptr-headed on failure.
ParsedIpv4 parse_ipv4(const uint8_t* data, size_t length);

// RFC 1071 one's complement sum over `length` bytes, folded and complemented.
uint16_t internet_checksum(const uint8_t* data, size_t length);

// Computes and stores the header checksum (covers header_length() bytes).
void set_ipv4_checksum(Ipv4Header* header);
// True if the stored checksum verifies.
bool ipv4_checksum_ok(const Ipv4Header* header);

}  // namespace overcast::net

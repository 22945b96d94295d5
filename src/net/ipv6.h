// IPv6 fixed header (RFC 8200). Extension headers are not walked here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/byte_order.h"

namespace overcast::net {

struct [[gnu::may_alias]] Ipv6Header {
  be32 version_class_flow;
  be16 payload_length;
  uint8_t next_header;
  uint8_t hop_limit;
  uint8_t src[16];
  uint8_t dst[16];

  uint8_t version() const { return static_cast<uint8_t>(version_class_flow.host() >> 28); }
};
static_assert(sizeof(Ipv6Header) == 40);

// The header if version is 6 and header + payload_length fit in `length`; else nullptr.
inline const Ipv6Header* parse_ipv6(const uint8_t* data, size_t length) {
  if (length < sizeof(Ipv6Header)) return nullptr;
  const auto* h = header_at<Ipv6Header>(data);
  if (h->version() != 6 || sizeof(Ipv6Header) + h->payload_length.host() > length) return nullptr;
  return h;
}

}  // namespace overcast::net

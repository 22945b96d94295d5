// UDP header (RFC 768).
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/byte_order.h"

namespace overcast::net {

struct [[gnu::may_alias]] UdpHeader {
  be16 src_port;
  be16 dst_port;
  be16 length;  // header + payload
  be16 checksum;
};
static_assert(sizeof(UdpHeader) == 8);

// The header if 8 <= length field <= `length`; else nullptr.
inline const UdpHeader* parse_udp(const uint8_t* data, size_t length) {
  if (length < sizeof(UdpHeader)) return nullptr;
  const auto* h = header_at<UdpHeader>(data);
  const size_t declared = h->length.host();
  if (declared < sizeof(UdpHeader) || declared > length) return nullptr;
  return h;
}

}  // namespace overcast::net

// TCP header (RFC 9293): the fixed 20 bytes. The data plane reads ports only for now.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/byte_order.h"

namespace overcast::net {

struct [[gnu::may_alias]] TcpHeader {
  be16 src_port;
  be16 dst_port;
  be32 sequence;
  be32 acknowledgment;
  uint8_t data_offset;  // high 4 bits: header length in 32-bit words
  uint8_t flags;
  be16 window;
  be16 checksum;
  be16 urgent_pointer;

  size_t header_length() const { return size_t{static_cast<uint8_t>(data_offset >> 4)} * 4; }
};
static_assert(sizeof(TcpHeader) == 20);

// The header if the fixed part and the options it announces fit in `length`.
inline const TcpHeader* parse_tcp(const uint8_t* data, size_t length) {
  if (length < sizeof(TcpHeader)) return nullptr;
  const auto* h = header_at<TcpHeader>(data);
  if (h->header_length() < sizeof(TcpHeader) || h->header_length() > length) return nullptr;
  return h;
}

}  // namespace overcast::net

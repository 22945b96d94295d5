#include "controller/model/ip_math.h"

#include <array>

namespace overcast::controller {

namespace {

struct Bytes {
  std::array<uint8_t, 16> b{};
  size_t count = 4;
};

Bytes to_bytes(const IpAddress& ip) {
  Bytes out;
  if (ip.is_v4()) {
    const uint32_t v = ip.v4().value;
    out.b = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
             static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    out.count = 4;
  } else {
    out.b = ip.v6().bytes;
    out.count = 16;
  }
  return out;
}

IpAddress from_bytes(const Bytes& bytes) {
  if (bytes.count == 4) {
    return IpAddress{Ipv4Address{(uint32_t{bytes.b[0]} << 24) | (uint32_t{bytes.b[1]} << 16) |
                                 (uint32_t{bytes.b[2]} << 8) | uint32_t{bytes.b[3]}}};
  }
  Ipv6Address v6;
  v6.bytes = bytes.b;
  return IpAddress{v6};
}

// Sets every bit from `length` on to `bit_value`.
IpAddress fill_host_bits(const IpPrefix& prefix, bool bit_value) {
  Bytes bytes = to_bytes(prefix.address);
  for (size_t bit = static_cast<size_t>(prefix.length); bit < bytes.count * 8; ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if (bit_value) {
      bytes.b[bit / 8] |= mask;
    } else {
      bytes.b[bit / 8] &= static_cast<uint8_t>(~mask);
    }
  }
  return from_bytes(bytes);
}

}  // namespace

IpAddress first_address(const IpPrefix& prefix) { return fill_host_bits(prefix, false); }
IpAddress last_address(const IpPrefix& prefix) { return fill_host_bits(prefix, true); }

IpAddress next_address(const IpAddress& ip) {
  Bytes bytes = to_bytes(ip);
  for (size_t i = bytes.count; i-- > 0;) {
    if (++bytes.b[i] != 0) break;
  }
  return from_bytes(bytes);
}

IpAddress previous_address(const IpAddress& ip) {
  Bytes bytes = to_bytes(ip);
  for (size_t i = bytes.count; i-- > 0;) {
    if (bytes.b[i]-- != 0) break;
  }
  return from_bytes(bytes);
}

}  // namespace overcast::controller

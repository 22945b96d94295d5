// Incremental Internet checksum update, RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
// Changing a field costs a few adds instead of a pass over the whole packet.
#pragma once

#include <cstdint>

namespace overcast::dataplane::nat {

inline uint16_t checksum_update16(uint16_t checksum, uint16_t old_value, uint16_t new_value) {
  uint32_t sum = uint32_t{static_cast<uint16_t>(~checksum)} + static_cast<uint16_t>(~old_value) + new_value;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

inline uint16_t checksum_update32(uint16_t checksum, uint32_t old_value, uint32_t new_value) {
  checksum = checksum_update16(checksum, static_cast<uint16_t>(old_value >> 16), static_cast<uint16_t>(new_value >> 16));
  return checksum_update16(checksum, static_cast<uint16_t>(old_value), static_cast<uint16_t>(new_value));
}

}  // namespace overcast::dataplane::nat

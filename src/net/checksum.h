// The Internet checksum (RFC 1071) in the pieces offloads need: an unfolded partial
// sum that can be extended over several buffers, pseudo-header sums for TCP/UDP over
// IPv4 and IPv6, and RFC 1624's incremental update.
//
// Partial sums are 64-bit and unfolded so a caller can add pieces (pseudo-header,
// header, payload slice) in any grouping; fold() makes the 16-bit result. A piece
// that starts at an odd offset of the checksummed stream must be byte-swapped
// (swap_partial), as RFC 1071 §2(B) says; the offload code only sums even-aligned
// pieces.
#pragma once

#include <cstddef>
#include <cstdint>

namespace overcast::net {

// One's-complement sum of `length` bytes as big-endian 16-bit words, added to `sum`.
uint64_t checksum_partial(const uint8_t* data, size_t length, uint64_t sum = 0);

// Folds a partial sum to 16 bits (not complemented).
inline uint16_t checksum_fold(uint64_t sum) {
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// The value to store in a checksum field: complement of the folded sum.
inline uint16_t checksum_finish(uint64_t sum) { return static_cast<uint16_t>(~checksum_fold(sum)); }

// Pseudo-header sums (RFC 9293 §3.1, RFC 8200 §8.1) for an L4 segment of `l4_length` bytes.
// `src`/`dst` point at the addresses as they are on the wire.
uint64_t pseudo_header_sum_v4(const uint8_t* src, const uint8_t* dst, uint8_t protocol, uint32_t l4_length);
uint64_t pseudo_header_sum_v6(const uint8_t* src, const uint8_t* dst, uint8_t next_header, uint32_t l4_length);

// RFC 1624 eqn. 3: the checksum after a 16-bit field went from `old_value` to `new_value`.
inline uint16_t checksum_update16(uint16_t checksum, uint16_t old_value, uint16_t new_value) {
  uint64_t sum = static_cast<uint16_t>(~checksum);
  sum += static_cast<uint16_t>(~old_value);
  sum += new_value;
  return static_cast<uint16_t>(~checksum_fold(sum));
}

}  // namespace overcast::net

#include "net/checksum.h"

#include <cstring>

namespace overcast::net {
namespace {

inline uint32_t load_be32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

}  // namespace

uint64_t checksum_partial(const uint8_t* data, size_t length, uint64_t sum) {
  // Sum 32-bit big-endian words into 64 bits: a carry cannot be lost before 2^32
  // words, far beyond any packet. Four accumulators keep the adds independent.
  uint64_t a = 0, b = 0, c = 0, d = 0;
  size_t i = 0;
  for (; i + 16 <= length; i += 16) {
    a += load_be32(data + i);
    b += load_be32(data + i + 4);
    c += load_be32(data + i + 8);
    d += load_be32(data + i + 12);
  }
  for (; i + 4 <= length; i += 4) a += load_be32(data + i);
  if (i + 2 <= length) {
    a += (uint32_t{data[i]} << 8) | data[i + 1];
    i += 2;
  }
  if (i < length) a += uint32_t{data[i]} << 8;
  // A 32-bit word w contributes (w >> 16) + (w & 0xffff) to the 16-bit sum; folding
  // the 64-bit total gives the same result, so words can stay unsplit here.
  return sum + checksum_fold(a + b) + checksum_fold(c + d);
}

uint64_t pseudo_header_sum_v4(const uint8_t* src, const uint8_t* dst, uint8_t protocol, uint32_t l4_length) {
  uint64_t sum = checksum_partial(src, 4);
  sum = checksum_partial(dst, 4, sum);
  return sum + protocol + l4_length;
}

uint64_t pseudo_header_sum_v6(const uint8_t* src, const uint8_t* dst, uint8_t next_header, uint32_t l4_length) {
  uint64_t sum = checksum_partial(src, 16);
  sum = checksum_partial(dst, 16, sum);
  return sum + next_header + (l4_length >> 16) + (l4_length & 0xffff);
}

}  // namespace overcast::net

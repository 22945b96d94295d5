#include "dataplane/nat/snat_port_allocator.h"

namespace overcast::dataplane::nat {

SnatPortAllocator::SnatPortAllocator(uint16_t first, uint16_t last)
    : first_(first <= last ? first : last), last_(first <= last ? last : first) {}

std::optional<uint16_t> SnatPortAllocator::allocate(uint32_t external_ip, uint8_t protocol) {
  Pool& pool = pools_[pool_key(external_ip, protocol)];
  const size_t bits = pool_size();
  if (pool.used.empty()) pool.used.assign((bits + 63) / 64, 0);
  if (pool.count == bits) {
    counters_.add(kExhausted, 1);
    return std::nullopt;
  }
  // From the cursor to the end, then from the start: the first free bit.
  size_t bit = pool.cursor;
  for (size_t scanned = 0; scanned <= bits + 64; ) {
    if (bit >= bits) bit = 0;
    const size_t word = bit / 64;
    const uint64_t free_bits = ~pool.used[word] & (~uint64_t{0} << (bit % 64));
    if (free_bits) {
      const size_t found = word * 64 + static_cast<size_t>(__builtin_ctzll(free_bits));
      if (found < bits) {
        pool.used[word] |= uint64_t{1} << (found % 64);
        ++pool.count;
        pool.cursor = found + 1;
        counters_.add(kAllocated, 1);
        return static_cast<uint16_t>(first_ + found);
      }
    }
    scanned += 64 - bit % 64;
    bit = (word + 1) * 64;
  }
  counters_.add(kExhausted, 1);  // not reached while count < bits
  return std::nullopt;
}

bool SnatPortAllocator::release(uint32_t external_ip, uint8_t protocol, uint16_t port) {
  auto it = pools_.find(pool_key(external_ip, protocol));
  if (it == pools_.end() || port < first_ || port > last_) {
    counters_.add(kBadRelease, 1);
    return false;
  }
  const size_t bit = size_t{port} - first_;
  uint64_t& word = it->second.used[bit / 64];
  const uint64_t mask = uint64_t{1} << (bit % 64);
  if (!(word & mask)) {
    counters_.add(kBadRelease, 1);
    return false;
  }
  word &= ~mask;
  --it->second.count;
  counters_.add(kReleased, 1);
  return true;
}

size_t SnatPortAllocator::in_use(uint32_t external_ip, uint8_t protocol) const {
  auto it = pools_.find(pool_key(external_ip, protocol));
  return it == pools_.end() ? 0 : it->second.count;
}

}  // namespace overcast::dataplane::nat

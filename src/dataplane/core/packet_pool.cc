#include "dataplane/core/packet_pool.h"

namespace overcast::dataplane {

PacketPool::PacketPool(size_t count, uint32_t buffer_size)
    : buffer_size_(buffer_size), memory_(new uint8_t[count * buffer_size]) {
  packets_.reserve(count);
  free_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    packets_.emplace_back(memory_.get() + i * buffer_size, buffer_size);
  }
  for (auto& p : packets_) free_.push_back(&p);
}

}  // namespace overcast::dataplane

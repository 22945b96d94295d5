// Preallocated packet buffers, recycled. One pool per worker thread: alloc/free
// take no lock and never touch the heap after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "dataplane/core/batch.h"
#include "dataplane/core/packet.h"

namespace overcast::dataplane {

class PacketPool {
 public:
  // `buffer_size` includes Packet::kHeadroom.
  PacketPool(size_t count, uint32_t buffer_size);
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  // nullptr when exhausted (the caller counts a drop).
  Packet* alloc() {
    if (free_.empty()) return nullptr;
    Packet* p = free_.back();
    free_.pop_back();
    p->reset();
    return p;
  }
  void free(Packet* p) { free_.push_back(p); }
  // Returns every packet of the batch and empties it.
  void free_batch(Batch& batch) {
    for (Packet* p : batch) free(p);
    batch.clear();
  }

  size_t available() const { return free_.size(); }
  size_t capacity() const { return packets_.size(); }
  uint32_t buffer_size() const { return buffer_size_; }

 private:
  uint32_t buffer_size_;
  std::unique_ptr<uint8_t[]> memory_;
  std::vector<Packet> packets_;
  std::vector<Packet*> free_;
};

}  // namespace overcast::dataplane

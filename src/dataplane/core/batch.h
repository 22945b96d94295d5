// A vector of packets processed together (VPP's frame, BESS's batch).
// A batch holds pointers; the packets belong to whoever holds the batch. A stage
// that receives a batch ends every packet one of two ways: passes it on, or drops
// it (returns it to the pool and counts the reason).
#pragma once

#include <array>
#include <cstddef>

#include "dataplane/core/packet.h"

namespace overcast::dataplane {

class Batch {
 public:
  static constexpr size_t kCapacity = 32;

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == kCapacity; }
  size_t free_space() const { return kCapacity - count_; }
  Packet* operator[](size_t i) const { return packets_[i]; }
  Packet** begin() { return packets_.data(); }
  Packet** end() { return packets_.data() + count_; }

  // Caller checks full() first; pushing into a full batch is a programming error.
  void push(Packet* p) { packets_[count_++] = p; }
  void clear() { count_ = 0; }

 private:
  std::array<Packet*, kCapacity> packets_{};
  size_t count_ = 0;
};

}  // namespace overcast::dataplane

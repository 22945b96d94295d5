// A single-producer single-consumer ring of packet pointers between two worker threads:
// lock-free (one release store per push, one per pop), fixed capacity, no allocation
// after construction.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>

#include "dataplane/core/packet.h"

namespace overcast::dataplane {

class PacketRing {
 public:
  // `capacity` is rounded up to a power of two.
  explicit PacketRing(size_t capacity)
      : mask_(std::bit_ceil(capacity < 2 ? size_t{2} : capacity) - 1), slots_(std::make_unique<Packet*[]>(mask_ + 1)) {}
  PacketRing(const PacketRing&) = delete;
  PacketRing& operator=(const PacketRing&) = delete;

  // Producer thread only. False when full (the caller keeps the packet).
  bool push(Packet* p) {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) > mask_) return false;
    slots_[tail & mask_] = p;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  // Consumer thread only. nullptr when empty.
  Packet* pop() {
    const size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return nullptr;
    Packet* p = slots_[head & mask_];
    head_.store(head + 1, std::memory_order_release);
    return p;
  }
  size_t capacity() const { return mask_ + 1; }

 private:
  const size_t mask_;
  std::unique_ptr<Packet*[]> slots_;
  alignas(64) std::atomic<size_t> head_{0};  // next to pop (consumer)
  alignas(64) std::atomic<size_t> tail_{0};  // next to push (producer)
};

}  // namespace overcast::dataplane

// Quiescent-state-based reclamation (the scheme of userspace RCU's QSBR flavour).
//
// Readers (worker threads) hold no lock and announce a quiescent state between
// batches: "I hold no pointer into any snapshot now". A writer that retires an
// object records the epoch it retired at; the object may be freed once every
// online reader has announced a quiescent state at or after that epoch. A reader
// that goes offline (before blocking in epoll_wait) never holds up reclamation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace overcast::dataplane {

class QsbrDomain {
 public:
  using ReaderId = size_t;

  explicit QsbrDomain(size_t max_readers);
  QsbrDomain(const QsbrDomain&) = delete;
  QsbrDomain& operator=(const QsbrDomain&) = delete;

  // Control side, before readers run: claims a reader slot. The reader starts offline.
  ReaderId register_reader();

  // Reader side. quiescent() also brings an offline reader online. Load shared
  // pointers only after quiescent()/online(), and drop them before the next call.
  void quiescent(ReaderId id) { slots_[id].seen.store(epoch_.load(std::memory_order_seq_cst), std::memory_order_seq_cst); }
  void online(ReaderId id) { quiescent(id); }
  void offline(ReaderId id) { slots_[id].seen.store(kOffline, std::memory_order_seq_cst); }

  // Writer side: after unpublishing an object, advance() returns the epoch to tag it
  // with; passed(tag) is true once no reader can still hold it.
  uint64_t advance() { return epoch_.fetch_add(1, std::memory_order_seq_cst) + 1; }
  bool passed(uint64_t tag) const;

 private:
  static constexpr uint64_t kOffline = 0;
  struct alignas(64) Slot {
    std::atomic<uint64_t> seen{kOffline};
  };

  std::atomic<uint64_t> epoch_{1};
  std::unique_ptr<Slot[]> slots_;
  size_t max_readers_;
  std::atomic<size_t> registered_{0};
};

}  // namespace overcast::dataplane

// Publishes immutable snapshots to lock-free readers (DESIGN: "the control plane
// publishes, the data plane reads").
//
// The control thread calls publish() with a shared_ptr; readers call load() once
// per batch after QsbrDomain::quiescent() and get a raw pointer without touching
// a reference count. The previous snapshot is kept (its shared_ptr) until every
// online reader has passed a quiescent point, then released by reclaim().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "dataplane/core/qsbr.h"

namespace overcast::dataplane {

template <class T>
class SnapshotPublisher {
 public:
  explicit SnapshotPublisher(QsbrDomain& domain) : domain_(domain) {}
  ~SnapshotPublisher() = default;  // readers must be stopped first
  SnapshotPublisher(const SnapshotPublisher&) = delete;
  SnapshotPublisher& operator=(const SnapshotPublisher&) = delete;

  // Reader side: valid until the reader's next quiescent()/offline().
  const T* load() const { return current_raw_.load(std::memory_order_seq_cst); }

  // Control side. Returns the snapshot it replaced (still retired, not yet freed).
  std::shared_ptr<const T> publish(std::shared_ptr<const T> next) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<const T> previous = current_;
    current_ = std::move(next);
    current_raw_.store(current_.get(), std::memory_order_seq_cst);
    if (previous) retired_.push_back({domain_.advance(), previous});
    reclaim_locked();
    return previous;
  }
  std::shared_ptr<const T> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  // Releases every retired snapshot no reader can still see. Returns how many remain.
  size_t reclaim() {
    std::lock_guard lock(mutex_);
    return reclaim_locked();
  }
  size_t retired_count() const {
    std::lock_guard lock(mutex_);
    return retired_.size();
  }

 private:
  struct Retired {
    uint64_t epoch;
    std::shared_ptr<const T> snapshot;
  };

  size_t reclaim_locked() {
    // Retired in epoch order, so stop at the first one still visible.
    size_t freed = 0;
    while (freed < retired_.size() && domain_.passed(retired_[freed].epoch)) ++freed;
    retired_.erase(retired_.begin(), retired_.begin() + static_cast<std::ptrdiff_t>(freed));
    return retired_.size();
  }

  QsbrDomain& domain_;
  mutable std::mutex mutex_;  // control side only; readers never take it
  std::shared_ptr<const T> current_;
  std::atomic<const T*> current_raw_{nullptr};
  std::vector<Retired> retired_;
};

}  // namespace overcast::dataplane

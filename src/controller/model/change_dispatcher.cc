#include "controller/model/change_dispatcher.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace overcast::controller {

void ChangeDispatcher::enqueue(ChangeSet changes, bool even_if_empty) {
  if (listener_ == nullptr || (changes.empty() && !even_if_empty)) return;
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(changes));
}

void ChangeDispatcher::deliver() {
  std::unique_lock lock(mutex_);
  if (delivering_) return;
  delivering_ = true;
  while (!queue_.empty()) {
    ChangeSet next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      listener_->apply(next);
    } catch (const std::exception& e) {
      // A listener that throws must not stop later deliveries.
      spdlog::error("topology listener failed on a change set: {}", e.what());
    }
    lock.lock();
  }
  delivering_ = false;
}

}  // namespace overcast::controller

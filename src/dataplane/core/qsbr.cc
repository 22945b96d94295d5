#include "dataplane/core/qsbr.h"

#include <stdexcept>

namespace overcast::dataplane {

QsbrDomain::QsbrDomain(size_t max_readers) : slots_(std::make_unique<Slot[]>(max_readers)), max_readers_(max_readers) {}

QsbrDomain::ReaderId QsbrDomain::register_reader() {
  const size_t id = registered_.fetch_add(1);
  if (id >= max_readers_) throw std::logic_error("QsbrDomain: more readers than slots");
  return id;
}

bool QsbrDomain::passed(uint64_t tag) const {
  const size_t n = registered_.load();
  for (size_t i = 0; i < n && i < max_readers_; ++i) {
    const uint64_t seen = slots_[i].seen.load(std::memory_order_seq_cst);
    if (seen != kOffline && seen < tag) return false;
  }
  return true;
}

}  // namespace overcast::dataplane

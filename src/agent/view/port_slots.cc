#include "agent/view/port_slots.h"

namespace overcast::agent {

dataplane::PortSlot PortSlots::assign(const std::string& port_id) {
  auto it = slots_.find(port_id);
  if (it != slots_.end()) return it->second;
  dataplane::PortSlot slot;
  if (!free_.empty()) {
    slot = *free_.begin();
    free_.erase(free_.begin());
  } else {
    slot = next_++;
  }
  slots_.emplace(port_id, slot);
  return slot;
}

dataplane::PortSlot PortSlots::find(const std::string& port_id) const {
  auto it = slots_.find(port_id);
  return it == slots_.end() ? dataplane::kNoPort : it->second;
}

void PortSlots::release(const std::string& port_id) {
  auto it = slots_.find(port_id);
  if (it == slots_.end()) return;
  free_.insert(it->second);
  slots_.erase(it);
  // Trim trailing free slots so the table does not keep growing after churn.
  while (next_ > 0 && free_.count(next_ - 1) != 0) {
    free_.erase(next_ - 1);
    --next_;
  }
}

size_t PortSlots::table_size() const { return next_; }

}  // namespace overcast::agent

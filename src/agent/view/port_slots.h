// Stable port slots: a local port keeps its slot for as long as it is in the view,
// so a slot the data plane saw in one table means the same port in the next.
// Freed slots are reused lowest first, which keeps the table's port vector short.
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "dataplane/core/packet.h"

namespace overcast::agent {

class PortSlots {
 public:
  // The port's slot, assigning one if it has none.
  dataplane::PortSlot assign(const std::string& port_id);
  // The port's slot, or kNoPort.
  dataplane::PortSlot find(const std::string& port_id) const;
  void release(const std::string& port_id);
  // One past the highest slot ever handed out and still held.
  size_t table_size() const;

 private:
  std::unordered_map<std::string, dataplane::PortSlot> slots_;
  std::set<dataplane::PortSlot> free_;
  dataplane::PortSlot next_ = 0;
};

}  // namespace overcast::agent

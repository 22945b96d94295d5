#include "dataplane/gateway/unresolved_queue.h"

namespace overcast::dataplane::gateway {

bool UnresolvedQueue::hold(Packet* p, uint32_t next_hop, uint64_t now_ms) {
  if (total_ >= kTotal) return false;
  std::vector<Held>& held = waiting_[next_hop];
  if (held.size() >= kPerNextHop) return false;
  held.push_back({p, now_ms});
  ++total_;
  return true;
}

void UnresolvedQueue::clear(PacketPool& pool) {
  for (auto& [next_hop, held] : waiting_)
    for (const Held& h : held) pool.free(h.packet);
  waiting_.clear();
  total_ = 0;
}

}  // namespace overcast::dataplane::gateway

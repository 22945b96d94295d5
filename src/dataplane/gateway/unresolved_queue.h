// UnresolvedQueue: packets the gateway holds while it resolves their next hop by ARP, as a
// host's neighbour table holds its "unresolved" queue (Linux: unres_qlen). Without it the
// packet that triggers the ARP request is lost: the first ping through a fresh gateway,
// the first SYN after a failover (then a 1 s retransmit).
//
// Bounded both ways, so a burst towards a next hop that never answers costs at most
// kPerNextHop buffers for it and kTotal in all: beyond, the caller drops (and counts).
// A packet waits at most kHoldMs; expire() hands the overdue ones back to be dropped.
// Owned by the worker that runs the gateway (no lock); the packets are its pool's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "dataplane/core/packet.h"
#include "dataplane/core/packet_pool.h"

namespace overcast::dataplane::gateway {

class UnresolvedQueue {
 public:
  static constexpr size_t kPerNextHop = 4;
  static constexpr size_t kTotal = 256;
  static constexpr uint64_t kHoldMs = 3000;

  UnresolvedQueue() = default;
  UnresolvedQueue(const UnresolvedQueue&) = delete;
  UnresolvedQueue& operator=(const UnresolvedQueue&) = delete;

  // Takes `p` to wait for `next_hop`; false (not taken) when either bound is reached.
  bool hold(Packet* p, uint32_t next_hop, uint64_t now_ms);

  // Hands the packets waiting for `next_hop` to `out(Packet*)`, oldest first, and forgets
  // them. Returns how many.
  template <class Out>
  size_t release(uint32_t next_hop, Out&& out) {
    auto it = waiting_.find(next_hop);
    if (it == waiting_.end()) return 0;
    const size_t n = it->second.size();
    for (const Held& h : it->second) out(h.packet);
    total_ -= n;
    waiting_.erase(it);
    return n;
  }

  // Hands every packet held for kHoldMs or more to `overdue(Packet*)`. Returns how many.
  template <class Overdue>
  size_t expire(uint64_t now_ms, Overdue&& overdue) {
    size_t n = 0;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      auto& held = it->second;
      size_t kept = 0;
      for (const Held& h : held) {
        if (now_ms - h.since_ms >= kHoldMs) {
          overdue(h.packet);
          ++n;
        } else {
          held[kept++] = h;
        }
      }
      held.resize(kept);
      it = held.empty() ? waiting_.erase(it) : std::next(it);
    }
    total_ -= n;
    return n;
  }

  // Returns every held packet to `pool` (the owner is going away).
  void clear(PacketPool& pool);

  size_t size() const { return total_; }

 private:
  struct Held {
    Packet* packet;
    uint64_t since_ms;
  };
  std::unordered_map<uint32_t, std::vector<Held>> waiting_;  // by next hop
  size_t total_ = 0;
};

}  // namespace overcast::dataplane::gateway

#include "dataplane/gateway/neighbour_cache.h"

namespace overcast::dataplane::gateway {

NeighbourCache::NeighbourCache(NeighbourCacheConfig config) : config_(config) {}

std::optional<MacAddress> NeighbourCache::find(uint32_t ip, uint64_t now_ms) {
  (void)now_ms;  // a stale entry still answers: should_request() renews it
  auto it = entries_.find(ip);
  if (it == entries_.end() || !it->second.resolved) {
    counters_.add(kMisses, 1);
    return std::nullopt;
  }
  counters_.add(kHits, 1);
  return it->second.mac;
}

bool NeighbourCache::should_request(uint32_t ip, uint64_t now_ms) {
  auto it = entries_.find(ip);
  if (it != entries_.end()) {
    Entry& entry = it->second;
    const bool fresh = entry.resolved && now_ms - entry.learned_ms < config_.reachable_ms;
    const bool asked_lately = entry.requested_ms != 0 && now_ms - entry.requested_ms < config_.retry_ms;
    if (fresh || asked_lately) return false;
    entry.requested_ms = now_ms == 0 ? 1 : now_ms;
    counters_.add(kRequests, 1);
    return true;
  }
  if (!make_room(now_ms)) return false;
  entries_[ip] = Entry{MacAddress{}, false, 0, now_ms == 0 ? 1 : now_ms};
  counters_.add(kRequests, 1);
  return true;
}

bool NeighbourCache::learn(uint32_t ip, const MacAddress& mac, uint64_t now_ms) {
  auto it = entries_.find(ip);
  if (it == entries_.end()) {
    counters_.add(kUnsolicited, 1);
    return false;
  }
  // A multicast or zero sender is not a neighbour (a malformed or hostile frame).
  if (mac.is_multicast() || mac.is_zero()) {
    counters_.add(kUnsolicited, 1);
    return false;
  }
  Entry& entry = it->second;
  counters_.add(entry.resolved ? kRefreshed : kLearned, 1);
  entry.mac = mac;
  entry.resolved = true;
  entry.learned_ms = now_ms;
  entry.requested_ms = 0;
  return true;
}

bool NeighbourCache::learn_asker(uint32_t ip, const MacAddress& mac, uint64_t now_ms) {
  if (mac.is_multicast() || mac.is_zero() || ip == 0) {
    counters_.add(kUnsolicited, 1);
    return false;
  }
  if (!entries_.count(ip)) {
    if (!make_room(now_ms)) return false;
    entries_[ip] = Entry{MacAddress{}, false, 0, now_ms == 0 ? 1 : now_ms};
  }
  return learn(ip, mac, now_ms);
}

void NeighbourCache::clear() { entries_.clear(); }

bool NeighbourCache::make_room(uint64_t now_ms) {
  if (entries_.size() < config_.capacity) return true;
  // Expired: resolved and not relearned for twice the reachable time, or asked and never
  // answered for that long.
  const uint64_t limit = 2 * config_.reachable_ms;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const uint64_t since = it->second.resolved ? it->second.learned_ms : it->second.requested_ms;
    if (now_ms - since >= limit) {
      it = entries_.erase(it);
      counters_.add(kExpired, 1);
    } else {
      ++it;
    }
  }
  if (entries_.size() < config_.capacity) return true;
  counters_.add(kFull, 1);
  return false;
}

}  // namespace overcast::dataplane::gateway

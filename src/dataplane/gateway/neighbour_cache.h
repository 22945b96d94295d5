// NeighbourCache: IPv4 -> MAC on a router's external segment, for the gateway host.
//
// The external network is a provider segment: its hosts (the outside's router, other
// clouds' gateways) are not in the view, so the gateway resolves its next hops itself,
// as a router does: ARP requests out of the uplink from the router's external address,
// replies learned here. Owned by the worker that runs the router's gateway (no lock).
//
// What is learned, and why so little: a reply or request is learned only for an address
// with an outstanding request of ours, or to refresh an entry already held; unsolicited
// ARP from the segment (anyone can send it) can neither fill the table nor plant an
// address we never asked for. A gratuitous ARP for a held address does update it, so a
// neighbour that moves (the outside's own failover) is followed at once.
//
// Bounded: at `capacity` entries, expired ones are purged first; if none is, the new
// address is refused and counted (`full`), existing neighbours keep working.
// Entries are fresh for `reachable_ms` after being learned; a stale one still answers
// (traffic keeps flowing) while should_request() asks again, at most once per
// `retry_ms` per address (so a burst to an unresolved next hop sends one request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "common/mac_address.h"
#include "dataplane/core/counters.h"

namespace overcast::dataplane::gateway {

struct NeighbourCacheConfig {
  size_t capacity = 1024;
  uint64_t reachable_ms = 30'000;
  uint64_t retry_ms = 1'000;
};

class NeighbourCache {
 public:
  enum Count : size_t { kHits, kMisses, kRequests, kLearned, kRefreshed, kUnsolicited, kFull, kExpired };

  explicit NeighbourCache(NeighbourCacheConfig config = {});

  // The neighbour's MAC (fresh or stale), or nullopt (a miss, counted).
  std::optional<MacAddress> find(uint32_t ip, uint64_t now_ms);
  // Whether to send an ARP request for `ip` now: unknown or stale, and none sent in the
  // last retry_ms. True marks the request as sent (counted).
  bool should_request(uint32_t ip, uint64_t now_ms);
  // An ARP sender seen on the segment (reply, request or gratuitous). True when learned
  // or refreshed; false when unsolicited or refused because the table is full.
  bool learn(uint32_t ip, const MacAddress& mac, uint64_t now_ms);
  // The sender of an ARP request for one of the gateway's own addresses (RFC 826: the
  // target merges the sender): about to be answered, it is a neighbour we will talk to,
  // so it may enter the table (room permitting) like an answer to our own request.
  bool learn_asker(uint32_t ip, const MacAddress& mac, uint64_t now_ms);
  // Forgets everything (the gateway moved away from this host).
  void clear();

  size_t size() const { return entries_.size(); }
  const CounterSet& counters() const { return counters_; }

 private:
  struct Entry {
    MacAddress mac;
    bool resolved = false;
    uint64_t learned_ms = 0;
    uint64_t requested_ms = 0;
  };
  bool make_room(uint64_t now_ms);

  NeighbourCacheConfig config_;
  std::unordered_map<uint32_t, Entry> entries_;  // resolved ones and outstanding requests
  CounterSet counters_{"hits", "misses", "requests", "learned", "refreshed", "unsolicited", "full", "expired"};
};

}  // namespace overcast::dataplane::gateway

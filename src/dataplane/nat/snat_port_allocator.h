// SnatPortAllocator: source ports (or ICMP echo ids) for SNAT, per external address and
// protocol. Every connection gets its own port, so no two connections through one
// external address ever share a translated tuple, whatever their destinations; a port
// comes back with release() when the tracker ends the connection.
//
// Each (address, protocol) pool is a bitmap over [first, last] with a cursor that moves
// on after each allocation, so a released port is not handed out again at once (late
// packets of the old connection do not land in the new one). Allocation skips full
// 64-port words with one compare each: at most (last-first)/64 words when nearly full.
//
// Single-threaded (the worker that owns the gateway's zone). Counters: allocated,
// released, exhausted, bad_release.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "dataplane/core/counters.h"

namespace overcast::dataplane::nat {

class SnatPortAllocator {
 public:
  enum Count : size_t { kAllocated, kReleased, kExhausted, kBadRelease };

  // Linux's ip_local_port_range default would be 32768-60999; SNAT may use all of
  // 1024-65535 since the gateway's own sockets do not live on the external address.
  explicit SnatPortAllocator(uint16_t first = 1024, uint16_t last = 65535);

  // A port no live connection of (external_ip, protocol) uses; nullopt when all are taken.
  std::optional<uint16_t> allocate(uint32_t external_ip, uint8_t protocol);
  // False (and counted) for a port that was not allocated.
  bool release(uint32_t external_ip, uint8_t protocol, uint16_t port);
  size_t in_use(uint32_t external_ip, uint8_t protocol) const;
  size_t pool_size() const { return size_t{last_} - first_ + 1; }

  const CounterSet& counters() const { return counters_; }

 private:
  struct Pool {
    std::vector<uint64_t> used;  // bit set = allocated
    size_t cursor = 0;           // next bit to try
    size_t count = 0;
  };
  static uint64_t pool_key(uint32_t ip, uint8_t protocol) { return uint64_t{ip} << 8 | protocol; }

  uint16_t first_, last_;
  std::unordered_map<uint64_t, Pool> pools_;
  CounterSet counters_{"allocated", "released", "exhausted", "bad_release"};
};

}  // namespace overcast::dataplane::nat

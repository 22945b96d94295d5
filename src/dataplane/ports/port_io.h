// Port I/O: how frames enter and leave a VM port. TAP is the first implementation;
// vhost-user, AF_XDP and AF_PACKET ports implement the same interface.
//
// Threading: rx_burst/tx_burst are called by one worker thread only. counters()
// may be read from any thread (single writer, relaxed atomics).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "dataplane/core/batch.h"
#include "dataplane/core/packet_pool.h"

namespace overcast::dataplane {

struct PortCounters {
  std::atomic<uint64_t> rx_packets{0};
  std::atomic<uint64_t> rx_bytes{0};
  std::atomic<uint64_t> tx_packets{0};
  std::atomic<uint64_t> tx_bytes{0};
  std::atomic<uint64_t> rx_errors{0};  // read failures, pool exhaustion, oversize
  std::atomic<uint64_t> tx_errors{0};  // write failures (frame dropped)

  void add(std::atomic<uint64_t>& c, uint64_t n) { c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
};

class PortIo {
 public:
  virtual ~PortIo() = default;

  virtual const std::string& name() const = 0;
  // A file descriptor that polls readable when rx_burst has frames, or -1.
  virtual int poll_fd() const = 0;
  // Receives up to out.free_space() frames into packets allocated from `pool`
  // and appends them to `out` (the caller owns them). Returns how many.
  virtual size_t rx_burst(PacketPool& pool, Batch& out) = 0;
  // Sends every packet of `batch`. Takes ownership: each packet is returned to
  // `pool` whether sent or dropped (and counted). Leaves `batch` empty.
  virtual void tx_burst(PacketPool& pool, Batch& batch) = 0;

  const PortCounters& counters() const { return counters_; }

 protected:
  PortCounters counters_;
};

}  // namespace overcast::dataplane

// LocalDeliveryStage: hands frames to VM ports, one tx_burst per port per batch.
//
// Input:  frames with meta.out_port set.
// Output: the ports themselves (PortIo::tx_burst takes ownership).
// Drops:  port_gone (slot empty in this snapshot), port_down.
// Counters (stage "local_delivery"): in, delivered, dropped.
//
// With several workers a port may be written by any of them: `tx_locks`, when
// given, serializes tx_burst per port (one lock per burst, never per packet).
#pragma once

#include <atomic>
#include <vector>

#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

// Striped spin locks guarding tx_burst on ports shared between workers.
class PortTxLocks {
 public:
  static constexpr size_t kStripes = 256;
  void lock(PortSlot slot) {
    auto& f = flags_[slot % kStripes];
    while (f.test_and_set(std::memory_order_acquire)) f.wait(true, std::memory_order_relaxed);
  }
  void unlock(PortSlot slot) {
    auto& f = flags_[slot % kStripes];
    f.clear(std::memory_order_release);
    f.notify_one();
  }

 private:
  std::atomic_flag flags_[kStripes] = {};
};

class LocalDeliveryStage {
 public:
  static constexpr const char* kName = "local_delivery";
  enum : size_t { kIn, kDelivered, kDropped };

  explicit LocalDeliveryStage(PortTxLocks* tx_locks = nullptr) : tx_locks_(tx_locks) {
    touched_.reserve(Batch::kCapacity);  // at most one entry per input packet
  }

  // Sizes the per-port staging for `table`. Called when the worker sees a new
  // snapshot, so process() never allocates.
  void prepare(const ForwardingTable& table);
  void process(StageContext& ctx, Batch& in);
  const CounterSet& counters() const { return counters_; }

 private:
  void send(StageContext& ctx, const PortEntry& port, PortSlot slot);

  PortTxLocks* tx_locks_;
  std::vector<Batch> staged_;        // by slot
  std::vector<PortSlot> touched_;    // slots with staged frames (may repeat)
  CounterSet counters_{"in", "delivered", "dropped"};
};

}  // namespace overcast::dataplane

// The view sink of one simulated hypervisor, in one of two modes:
//   agent  the agent's own AgentViewSink (same validation, port slots and
//          forwarding-table build, all O(view) per delta) over a NullPortDriver;
//   light  the agent's per-entry validation (validate_entry, validate_removal_key;
//          validate_view on snapshots) applied in place, O(delta) per delta, and
//          every new local port reported up once. No forwarding table is built.
// Light exists because 1,000 hosts share this machine's 2 cores with the controller:
// with the agent sink the bench measures mostly its own table builds (a real host
// has its own CPU for that); bench/scale/README.md gives the agent sink's cost.
// Around either, what the bench measures:
//   - the keys and serialized bytes of the view held (state per host),
//   - deltas, snapshots and bytes received,
//   - when each port's entry was last applied (the change's arrival on this host),
//     recorded only while `record_touches` is on (the churn phase).
// An apply is timed when the sink returns: the client queues the ACK right after.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/sync/view_sink.h"
#include "agent/view/agent_view_sink.h"
#include "bench/scale/sim/null_port_driver.h"

namespace overcast::bench {

using Clock = std::chrono::steady_clock;

struct SinkTraffic {
  uint64_t snapshots = 0;
  uint64_t deltas = 0;
  uint64_t bytes = 0;    // serialized entries and removal keys received
  uint64_t nacks = 0;
};

enum class SinkMode { kAgent, kLight };

class SimHostSink final : public agent::ViewSink {
 public:
  explicit SimHostSink(SinkMode mode = SinkMode::kAgent);

  bool apply_snapshot(const std::vector<agent::sb::ViewEntry>& entries, std::string& reason) override;
  bool apply_delta(const std::vector<agent::sb::ViewEntry>& upserts, const std::vector<std::string>& removals,
                   std::string& reason) override;
  std::vector<agent::sb::PortStatus> take_port_status_changes() override;

  void record_touches(bool on) { recording_ = on; }
  // A stalled host stops applying (its reader blocks in the sink, as a hung agent's
  // would) until released: the controller's stream to it backs up.
  void stall();
  void release();
  // When an entry of `port_id` was last applied here at or after `since`, or when a
  // snapshot (which settles every key at once) was applied at or after `since`.
  std::optional<Clock::time_point> settled_since(const std::string& port_id, Clock::time_point since) const;

  size_t entries() const { return entries_.load(); }
  uint64_t state_bytes() const { return state_bytes_.load(); }
  std::vector<std::string> keys() const;
  SinkTraffic traffic() const;

 private:
  void touch_locked(const std::string& key, Clock::time_point now);
  void wait_while_stalled();
  bool light_snapshot(const std::vector<agent::sb::ViewEntry>& entries, std::string& reason);
  bool light_delta(const std::vector<agent::sb::ViewEntry>& upserts, const std::vector<std::string>& removals,
                   std::string& reason);

  const SinkMode mode_;
  NullPortDriver driver_;
  agent::AgentViewSink inner_;  // agent mode only
  std::vector<std::string> new_local_ports_;  // light mode: to report up
  std::atomic<bool> recording_{false};
  std::mutex stall_mu_;
  std::condition_variable stall_cv_;
  bool stalled_ = false;
  std::atomic<size_t> entries_{0};
  std::atomic<uint64_t> state_bytes_{0};

  mutable std::mutex mu_;  // everything below
  std::unordered_map<std::string, size_t> held_;  // key -> serialized size
  std::unordered_map<std::string, Clock::time_point> touched_;  // port id -> last apply
  Clock::time_point last_snapshot_{};
  bool has_snapshot_ = false;
  SinkTraffic traffic_;
};

// "lport/ID" or "rport/ID" -> "ID"; "" for any other key.
std::string port_id_of_key(const std::string& key);

}  // namespace overcast::bench

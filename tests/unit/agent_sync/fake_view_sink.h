// A ViewSink that keeps the view as a map, can fail or hold up applies on demand,
// and hands out port status changes that the test queues.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agent/sync/view_sink.h"

namespace overcast::agent::testing {

class FakeViewSink : public ViewSink {
 public:
  bool apply_snapshot(const std::vector<sb::ViewEntry>& entries, std::string& reason) override {
    std::unique_lock lock(mu_);
    ++snapshot_calls_;
    gate_cv_.wait(lock, [this] { return open_; });
    if (fail_next_ > 0) {
      --fail_next_;
      reason = "injected failure";
      return false;
    }
    view_.clear();
    for (const auto& entry : entries) view_[entry.key()] = entry;
    ++snapshots_;
    return true;
  }
  bool apply_delta(const std::vector<sb::ViewEntry>& upserts, const std::vector<std::string>& removals,
                   std::string& reason) override {
    std::unique_lock lock(mu_);
    ++delta_calls_;
    gate_cv_.wait(lock, [this] { return open_; });
    if (fail_next_ > 0) {
      --fail_next_;
      reason = "injected failure";
      return false;
    }
    for (const auto& key : removals) view_.erase(key);
    for (const auto& entry : upserts) view_[entry.key()] = entry;
    ++deltas_;
    return true;
  }
  std::vector<sb::PortStatus> take_port_status_changes() override {
    std::lock_guard lock(mu_);
    return std::exchange(status_changes_, {});
  }

  void fail_next(int count) {
    std::lock_guard lock(mu_);
    fail_next_ = count;
  }
  // While closed, applies wait: a data plane that is stuck.
  void close_gate() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    gate_cv_.notify_all();
  }
  void report_port(const std::string& port_id, bool up) {
    std::lock_guard lock(mu_);
    sb::PortStatus status;
    status.set_port_id(port_id);
    status.set_up(up);
    status_changes_.push_back(status);
  }
  bool has(const std::string& key) const {
    std::lock_guard lock(mu_);
    return view_.count(key) != 0;
  }
  std::map<std::string, sb::ViewEntry> view() const {
    std::lock_guard lock(mu_);
    return view_;
  }
  int snapshots() const {
    std::lock_guard lock(mu_);
    return snapshots_;
  }
  int deltas() const {
    std::lock_guard lock(mu_);
    return deltas_;
  }
  int snapshot_calls() const {
    std::lock_guard lock(mu_);
    return snapshot_calls_;
  }
  int delta_calls() const {
    std::lock_guard lock(mu_);
    return delta_calls_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable gate_cv_;
  bool open_ = true;
  int fail_next_ = 0;
  std::map<std::string, sb::ViewEntry> view_;
  std::vector<sb::PortStatus> status_changes_;
  int snapshots_ = 0, deltas_ = 0, snapshot_calls_ = 0, delta_calls_ = 0;
};

}  // namespace overcast::agent::testing

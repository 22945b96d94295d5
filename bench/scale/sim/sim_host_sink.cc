#include "bench/scale/sim/sim_host_sink.h"

#include "agent/view/view_validator.h"

namespace overcast::bench {

namespace {
// The simulated host has no data plane: the table is built (that is the agent's
// cost) and dropped.
void discard_table(std::shared_ptr<const dataplane::ForwardingTable>) {}
}  // namespace

std::string port_id_of_key(const std::string& key) {
  for (const char* prefix : {"lport/", "rport/"}) {
    const std::string_view p(prefix);
    if (key.size() > p.size() && key.compare(0, p.size(), p) == 0) return key.substr(p.size());
  }
  return "";
}

SimHostSink::SimHostSink(SinkMode mode) : mode_(mode), inner_(driver_, discard_table) {}

bool SimHostSink::light_snapshot(const std::vector<agent::sb::ViewEntry>& entries, std::string& reason) {
  agent::ViewMap candidate;
  for (const auto& entry : entries) {
    if (auto bad = agent::validate_entry(entry)) {
      reason = *bad;
      return false;
    }
    if (!candidate.emplace(entry.key(), entry).second) {
      reason = entry.key() + ": key appears twice in the snapshot";
      return false;
    }
  }
  if (auto bad = agent::validate_view(candidate)) {
    reason = *bad;
    return false;
  }
  std::lock_guard lock(mu_);
  for (const auto& [key, entry] : candidate) {
    if (entry.has_local_port() && held_.count(key) == 0) new_local_ports_.push_back(entry.local_port().port_id());
  }
  return true;
}

bool SimHostSink::light_delta(const std::vector<agent::sb::ViewEntry>& upserts,
                              const std::vector<std::string>& removals, std::string& reason) {
  for (const auto& key : removals) {
    if (auto bad = agent::validate_removal_key(key)) {
      reason = *bad;
      return false;
    }
  }
  for (const auto& entry : upserts) {
    if (auto bad = agent::validate_entry(entry)) {
      reason = *bad;
      return false;
    }
  }
  std::lock_guard lock(mu_);
  for (const auto& entry : upserts) {
    if (entry.has_local_port() && held_.count(entry.key()) == 0) {
      new_local_ports_.push_back(entry.local_port().port_id());
    }
  }
  return true;
}

void SimHostSink::stall() {
  std::lock_guard lock(stall_mu_);
  stalled_ = true;
}

void SimHostSink::release() {
  {
    std::lock_guard lock(stall_mu_);
    stalled_ = false;
  }
  stall_cv_.notify_all();
}

void SimHostSink::wait_while_stalled() {
  std::unique_lock lock(stall_mu_);
  stall_cv_.wait(lock, [this] { return !stalled_; });
}

bool SimHostSink::apply_snapshot(const std::vector<agent::sb::ViewEntry>& entries, std::string& reason) {
  wait_while_stalled();
  const bool applied =
      mode_ == SinkMode::kAgent ? inner_.apply_snapshot(entries, reason) : light_snapshot(entries, reason);
  if (!applied) {
    std::lock_guard lock(mu_);
    ++traffic_.nacks;
    return false;
  }
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  held_.clear();
  uint64_t bytes = 0;
  for (const auto& entry : entries) {
    const size_t size = entry.ByteSizeLong();
    held_[entry.key()] = size;
    bytes += size;
  }
  ++traffic_.snapshots;
  traffic_.bytes += bytes;
  last_snapshot_ = now;
  has_snapshot_ = true;
  entries_ = held_.size();
  state_bytes_ = bytes;
  return true;
}

bool SimHostSink::apply_delta(const std::vector<agent::sb::ViewEntry>& upserts,
                              const std::vector<std::string>& removals, std::string& reason) {
  wait_while_stalled();
  const bool applied = mode_ == SinkMode::kAgent ? inner_.apply_delta(upserts, removals, reason)
                                                 : light_delta(upserts, removals, reason);
  if (!applied) {
    std::lock_guard lock(mu_);
    ++traffic_.nacks;
    return false;
  }
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  uint64_t state = state_bytes_.load();
  for (const auto& key : removals) {
    traffic_.bytes += key.size();
    if (auto it = held_.find(key); it != held_.end()) {
      state -= it->second;
      held_.erase(it);
    }
    touch_locked(key, now);
  }
  for (const auto& entry : upserts) {
    const size_t size = entry.ByteSizeLong();
    traffic_.bytes += size;
    auto [it, inserted] = held_.try_emplace(entry.key(), size);
    if (!inserted) state -= it->second;
    it->second = size;
    state += size;
    touch_locked(entry.key(), now);
  }
  ++traffic_.deltas;
  entries_ = held_.size();
  state_bytes_ = state;
  return true;
}

void SimHostSink::touch_locked(const std::string& key, Clock::time_point now) {
  if (!recording_.load(std::memory_order_relaxed)) return;
  std::string id = port_id_of_key(key);
  if (!id.empty()) touched_[std::move(id)] = now;
}

std::vector<agent::sb::PortStatus> SimHostSink::take_port_status_changes() {
  if (mode_ == SinkMode::kAgent) return inner_.take_port_status_changes();
  std::vector<agent::sb::PortStatus> out;
  std::lock_guard lock(mu_);
  for (auto& port_id : new_local_ports_) {
    // Reported only while the port is still here, as the agent does.
    if (held_.count("lport/" + port_id) == 0) continue;
    agent::sb::PortStatus status;
    status.set_port_id(std::move(port_id));
    status.set_up(true);
    out.push_back(std::move(status));
  }
  new_local_ports_.clear();
  return out;
}

std::optional<Clock::time_point> SimHostSink::settled_since(const std::string& port_id,
                                                            Clock::time_point since) const {
  std::lock_guard lock(mu_);
  if (auto it = touched_.find(port_id); it != touched_.end() && it->second >= since) return it->second;
  if (has_snapshot_ && last_snapshot_ >= since) return last_snapshot_;
  return std::nullopt;
}

std::vector<std::string> SimHostSink::keys() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(held_.size());
  for (const auto& [key, size] : held_) out.push_back(key);
  return out;
}

SinkTraffic SimHostSink::traffic() const {
  std::lock_guard lock(mu_);
  return traffic_;
}

}  // namespace overcast::bench

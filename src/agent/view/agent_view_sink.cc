#include "agent/view/agent_view_sink.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "agent/view/table_builder.h"
#include "agent/view/view_json.h"
#include "agent/view/view_store.h"

namespace overcast::agent {

AgentViewSink::AgentViewSink(PortDriver& driver, TablePublisher publish, std::string state_file,
                             ProviderUplinks uplinks)
    : publish_(std::move(publish)), state_file_(std::move(state_file)), ports_(driver), uplinks_(std::move(uplinks)) {}

bool AgentViewSink::apply_snapshot(const std::vector<sb::ViewEntry>& entries, std::string& reason) {
  std::lock_guard lock(mutex_);
  ViewMap candidate;
  for (const auto& entry : entries) {
    if (auto bad = validate_entry(entry)) return nack(*bad, reason);
    if (!candidate.emplace(entry.key(), entry).second) return nack(entry.key() + ": key appears twice in the snapshot", reason);
  }
  if (!commit(std::move(candidate), reason)) return false;
  ++stats_.snapshots;
  return true;
}

bool AgentViewSink::apply_delta(const std::vector<sb::ViewEntry>& upserts, const std::vector<std::string>& removals,
                                std::string& reason) {
  std::lock_guard lock(mutex_);
  for (const auto& key : removals) {
    if (auto bad = validate_removal_key(key)) return nack(*bad, reason);
  }
  for (const auto& entry : upserts) {
    if (auto bad = validate_entry(entry)) return nack(*bad, reason);
  }
  ViewMap candidate = view_;
  // Removing a key we do not hold is harmless (the controller may repeat itself).
  for (const auto& key : removals) candidate.erase(key);
  for (const auto& entry : upserts) candidate[entry.key()] = entry;
  if (!commit(std::move(candidate), reason)) return false;
  ++stats_.deltas;
  return true;
}

bool AgentViewSink::commit(ViewMap candidate, std::string& reason) {
  if (auto bad = validate_view(candidate)) return nack(*bad, reason);
  if (auto bad = uplinks_.check(candidate)) return nack(*bad, reason);
  view_ = std::move(candidate);
  ports_.reconcile(view_);
  uplinks_.reconcile(view_, ports_.slots());
  publish_table();
  if (!state_file_.empty()) {
    std::string error;
    if (!save_view(state_file_, view_, error)) spdlog::warn("cannot save the view: {}", error);
  }
  return true;
}

bool AgentViewSink::nack(const std::string& why, std::string& reason) {
  reason = why;
  ++stats_.nacks;
  stats_.last_nack = why;
  spdlog::warn("view rejected: {}", why);
  return false;
}

void AgentViewSink::publish_table() {
  auto table = std::make_shared<dataplane::ForwardingTable>(build_forwarding_table(
      view_, std::as_const(ports_).slots(), [this](const std::string& id) { return ports_.io(id); },
      stats_.table_version + 1,
      &security_groups_, local_host_));
  uplinks_.add_to_table(view_, *table);
  stats_.table_version = table->version;
  publish_(std::move(table));
}

std::vector<sb::PortStatus> AgentViewSink::take_port_status_changes() {
  std::lock_guard lock(mutex_);
  std::vector<sb::PortStatus> out;
  for (const auto& [port_id, up] : ports_.take_status_changes()) {
    sb::PortStatus status;
    status.set_port_id(port_id);
    status.set_up(up);
    out.push_back(std::move(status));
  }
  return out;
}

bool AgentViewSink::restore(std::string& error) {
  auto entries = load_view(state_file_, error);
  if (!entries) return error.empty();
  std::string reason;
  if (!apply_snapshot(*entries, reason)) {
    error = "saved view " + state_file_ + " rejected: " + reason;
    return false;
  }
  spdlog::info("restored {} view entries from {}", entries->size(), state_file_);
  return true;
}

void AgentViewSink::retry_down_ports() {
  std::lock_guard lock(mutex_);
  const bool ports_changed = ports_.retry_down();
  if (uplinks_.retry() || ports_changed) publish_table();
}

nlohmann::json AgentViewSink::view_json() const {
  std::lock_guard lock(mutex_);
  return render_view_json(view_, ports_.states(), stats_, ports_.slots());
}

ViewSinkStats AgentViewSink::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

ViewMap AgentViewSink::view() const {
  std::lock_guard lock(mutex_);
  return view_;
}

}  // namespace overcast::agent

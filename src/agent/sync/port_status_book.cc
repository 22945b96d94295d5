#include "agent/sync/port_status_book.h"

#include <set>

namespace overcast::agent {

namespace {
constexpr std::string_view kLocalPortPrefix = "lport/";
}

void PortStatusBook::record(const std::vector<sb::PortStatus>& changes) {
  for (const auto& change : changes) {
    if (!change.port_id().empty()) up_[change.port_id()] = change.up();
  }
}

void PortStatusBook::forget_removed(const std::vector<std::string>& removed_keys) {
  for (const auto& key : removed_keys) {
    if (key.starts_with(kLocalPortPrefix)) up_.erase(key.substr(kLocalPortPrefix.size()));
  }
}

void PortStatusBook::retain_snapshot(const std::vector<sb::ViewEntry>& entries) {
  std::set<std::string> local;
  for (const auto& entry : entries) {
    if (entry.key().starts_with(kLocalPortPrefix)) local.insert(entry.key().substr(kLocalPortPrefix.size()));
  }
  std::erase_if(up_, [&](const auto& item) { return local.count(item.first) == 0; });
}

sb::PortStatusReport PortStatusBook::full_report() const {
  sb::PortStatusReport report;
  for (const auto& [port_id, up] : up_) {
    auto* status = report.add_ports();
    status->set_port_id(port_id);
    status->set_up(up);
  }
  return report;
}

}  // namespace overcast::agent

// The last known status of every local port, so a (re)connected session can send
// the whole picture at once (the ViewSink only reports changes).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "overcast/southbound.pb.h"

namespace overcast::agent {

namespace sb = overcast::southbound::v1;

class PortStatusBook {
 public:
  void record(const std::vector<sb::PortStatus>& changes);
  // Forgets ports that left the view (removed "lport/<id>" keys).
  void forget_removed(const std::vector<std::string>& removed_keys);
  // Keeps only the ports whose "lport/<id>" is in a new snapshot.
  void retain_snapshot(const std::vector<sb::ViewEntry>& entries);
  sb::PortStatusReport full_report() const;
  size_t size() const { return up_.size(); }

 private:
  std::map<std::string, bool> up_;  // port id -> up
};

}  // namespace overcast::agent

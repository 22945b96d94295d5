// The seam between the southbound client (stream, versions, reconnects) and the
// agent (ports and data plane). The client hands over whole view entries; the
// sink turns them into TAPs and forwarding tables.
#pragma once

#include <string>
#include <vector>

#include "overcast/southbound.pb.h"

namespace overcast::agent {

namespace sb = overcast::southbound::v1;

class ViewSink {
 public:
  virtual ~ViewSink() = default;
  // Replace the whole view. Returns false with `reason` set to NACK it.
  virtual bool apply_snapshot(const std::vector<sb::ViewEntry>& entries, std::string& reason) = 0;
  // Apply upserts and removals (keys) on top of the current view.
  virtual bool apply_delta(const std::vector<sb::ViewEntry>& upserts,
                           const std::vector<std::string>& removals, std::string& reason) = 0;
  // Ports whose status changed since the last call (port_id, up); the client
  // sends them to the controller.
  virtual std::vector<sb::PortStatus> take_port_status_changes() = 0;
};

}  // namespace overcast::agent

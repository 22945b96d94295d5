// The devices of this host's VM ports, kept in step with the view.
//
// reconcile() opens the device of every new local port (and retries ports that
// are down), destroys the devices of ports that left the view, and keeps each
// port's slot stable. A device that fails to open leaves its port down with the
// error kept for the operator; retry_down() tries again later.
// Not thread-safe: the owner (AgentViewSink) serializes calls.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/ports/port_driver.h"
#include "agent/view/port_slots.h"
#include "agent/view/view_validator.h"

namespace overcast::agent {

struct LocalPortState {
  PortSpec spec;
  std::shared_ptr<dataplane::PortIo> io;  // nullptr: down
  std::string error;                      // why it is down
  bool up() const { return io != nullptr; }
};

class LocalPorts {
 public:
  explicit LocalPorts(PortDriver& driver) : driver_(driver) {}

  void reconcile(const ViewMap& view);
  // Marks down the ports whose device vanished, then tries to open the devices
  // of down ports. True if any port changed state.
  bool retry_down();

  std::shared_ptr<dataplane::PortIo> io(const std::string& port_id) const;
  const PortSlots& slots() const { return slots_; }
  // Shared with the provider uplinks, whose ids ("uplink:PHYSNET") never meet a port's.
  PortSlots& slots() { return slots_; }
  const std::map<std::string, LocalPortState>& states() const { return states_; }
  // (port_id, up) for every port whose state differs from what was last taken.
  // Ports that left the view are not reported: the port may be up on another host now.
  std::vector<std::pair<std::string, bool>> take_status_changes();

 private:
  bool open_device(LocalPortState& state);

  PortDriver& driver_;
  PortSlots slots_;
  std::map<std::string, LocalPortState> states_;  // by port_id
  std::map<std::string, bool> reported_;          // port_id -> up, as last taken
};

// The device spec of a local port entry; the MTU is the port's, else its network's.
PortSpec port_spec_from_view(const ViewMap& view, const sb::LocalPortEntry& port);

}  // namespace overcast::agent

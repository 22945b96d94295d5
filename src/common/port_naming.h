// Neutron's convention for a VM port's device name, shared by the controller (which
// names the TAP in the view), the agent (which checks it) and the lab (which finds it).
#pragma once

#include <string>

namespace overcast {

// "tap" + the first 11 characters of the port id: 14 characters, within IFNAMSIZ.
inline std::string tap_name_for_port(const std::string& port_id) { return "tap" + port_id.substr(0, 11); }

}  // namespace overcast

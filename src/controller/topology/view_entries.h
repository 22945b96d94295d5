// How facts become southbound view entries, and the keys that name them
// ("net/<id>", "subnet/<id>", "lport/<id>", "rport/<id>").
#pragma once

#include <string>
#include <vector>

#include "common/port_naming.h"
#include "controller/topology/topology_listener.h"
#include "overcast/southbound.pb.h"

namespace overcast::controller {

namespace sb = overcast::southbound::v1;

inline constexpr size_t kTapPortIdChars = 11;  // "tap" + 11 = 14 < IFNAMSIZ (16)

std::string network_key(const std::string& network_id);
std::string subnet_key(const std::string& subnet_id);
std::string local_port_key(const std::string& port_id);
std::string remote_port_key(const std::string& port_id);
using overcast::tap_name_for_port;

sb::ViewEntry make_network_entry(const NetworkFacts& network, std::vector<std::string> flood_vteps);
sb::ViewEntry make_subnet_entry(const SubnetFacts& subnet);
sb::ViewEntry make_local_port_entry(const PortFacts& port, const NetworkFacts& network);
sb::ViewEntry make_remote_port_entry(const PortFacts& port, const NetworkFacts& network,
                                     const std::string& vtep_ip);

bool same_entry(const sb::ViewEntry& a, const sb::ViewEntry& b);

}  // namespace overcast::controller

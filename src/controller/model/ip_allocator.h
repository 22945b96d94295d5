// Chooses the fixed IPs of a port: requested addresses are checked (inside a subnet of
// the port's network, not reserved, not taken), subnet-only requests and ports that
// ask for nothing get the lowest free address of the subnet's allocation pools.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/model/model_error.h"
#include "controller/model/model_state.h"
#include "controller/model/requests.h"

namespace overcast::controller {

// `port_id` is the port the addresses are for: addresses it already holds count as
// free (an update may keep them). `requests` nullopt: one address from every subnet of
// the network. A subnet's gateway address may be requested only when `may_take_gateway`
// (a router's interface: the router is the gateway).
Status allocate_fixed_ips(const ModelState& state, const std::string& network_id,
                          const std::string& port_id,
                          const std::optional<std::vector<FixedIpRequest>>& requests,
                          std::vector<FixedIp>& allocated, bool may_take_gateway = false);

}  // namespace overcast::controller

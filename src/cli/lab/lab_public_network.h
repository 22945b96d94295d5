// The lab's external network, created by `lab up` as devstack creates its own: network
// `public` (flat on physnet1, router:external) with subnet `public-subnet` 203.0.113.0/24,
// gateway 203.0.113.1 (the outside host `ext`) and no DHCP (nothing on a provider segment
// asks Overcast for addresses). Routers' external gateways and floating IPs come from it.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/client/neutron_client.h"

namespace overcast::cli::lab {

// The POST bodies, pure for tests.
nlohmann::json public_network_request();
nlohmann::json public_subnet_request(const std::string& network_id);

// Creates `public` and `public-subnet` unless networks/subnets of those names exist (a
// second `lab up` keeps them, and whatever the operator changed in them). Returns the
// network's ID; throws LabError naming the request that failed.
std::string ensure_public_network(const NeutronClient& client, std::ostream& log);

}  // namespace overcast::cli::lab

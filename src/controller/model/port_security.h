// A port's security attributes as Neutron checks them: security_groups (that exist; none
// while port security is off), allowed_address_pairs (IP or CIDR, MAC; only with port
// security on). The default group is the model's to supply, before these checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/model/model_error.h"
#include "controller/model/model_state.h"

namespace overcast::controller {

// Whether a port belongs to a network service (router, floating IP, DHCP...): Neutron
// filters those with no security group.
bool is_service_port(const Port& port);

// Checks and sets `port.security_groups` (deduplicated, in the order given).
Status set_security_groups(const ModelState& state, const std::vector<std::string>& groups, Port& port);
// Checks and sets `port.allowed_address_pairs`; a pair without MAC gets the port's.
Status set_address_pairs(const std::vector<AllowedAddressPair>& pairs, Port& port);
// Port security off excludes groups and pairs. `updating` picks Neutron's error for an
// update (409) rather than a create (400).
Status check_port_security(const Port& port, bool updating);

}  // namespace overcast::controller

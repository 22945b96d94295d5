// Checks one router entry ("router/<id>") on its own: ids, VNIs, interface addresses
// (an address inside its prefix, not the network or broadcast address), unicast MACs
// no two interfaces share, and static routes (a network prefix via an address).
#pragma once

#include <optional>
#include <string>

#include "overcast/southbound.pb.h"

namespace overcast::agent {

namespace sb = overcast::southbound::v1;

std::optional<std::string> validate_router(const std::string& key, const sb::RouterEntry& router);

}  // namespace overcast::agent

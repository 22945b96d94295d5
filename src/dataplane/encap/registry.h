// Encapsulations by name ("vxlan"). Each worker gets its own instance (its own counters).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "dataplane/encap/tunnel_encapsulation.h"

namespace overcast::dataplane {

// nullptr for a name no encapsulation registered.
std::unique_ptr<TunnelEncapsulation> make_encapsulation(std::string_view name);
std::vector<std::string_view> encapsulation_names();

}  // namespace overcast::dataplane

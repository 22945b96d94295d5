// A bridge mapping "physnet:iface" (Neutron's agents' --bridge-mappings): which host
// interface reaches a physical network. The agent checks its flags with it; the
// controller checks what an agent registers with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace overcast {

struct BridgeMapping {
  std::string physical_network;
  std::string interface;
};

// nullopt with `error` set when `text` is not "PHYSNET:IFACE": both parts non-empty,
// the physnet without ':' or blanks (at most 64 characters, Neutron's limit), the
// interface a valid Linux interface name (1..15 characters, no '/', ':' or blanks).
std::optional<BridgeMapping> parse_bridge_mapping(std::string_view text, std::string& error);

}  // namespace overcast

// Checks a host's view before the agent acts on any of it.
//
// A view that fails here is NACKed as a whole: the agent keeps the view and the
// data plane it had. Reasons name the entry (its key) and the field, e.g.
//   "lport/p1: mac 'zz:zz' is not a MAC address".
#pragma once

#include <map>
#include <optional>
#include <string>

#include "agent/sync/view_sink.h"

namespace overcast::agent {

// The view the agent holds: key -> entry, ordered so output and tables are stable.
using ViewMap = std::map<std::string, sb::ViewEntry>;

inline constexpr uint32_t kMaxVni = 16777215;  // 24 bits (RFC 7348)
inline constexpr uint32_t kDefaultMtu = 1450;  // 1500 underlay minus VXLAN over IPv4

// The TAP name Neutron uses for a port: "tap" + the first 11 characters of its id.
std::string tap_name_for(const std::string& port_id);

// Checks one entry on its own: the key matches the body, every field parses and is
// in range. nullopt if valid, else the reason.
std::optional<std::string> validate_entry(const sb::ViewEntry& entry);

// Checks what only the whole view shows: no two local ports share a TAP, no two
// networks share a VNI, a port's VNI is its network's. Assumes validate_entry
// passed for every entry.
std::optional<std::string> validate_view(const ViewMap& view);

// A removal key must name an entry kind we know ("net/", "subnet/", "lport/", "rport/").
std::optional<std::string> validate_removal_key(const std::string& key);

}  // namespace overcast::agent

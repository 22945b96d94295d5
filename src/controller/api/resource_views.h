// The model's resources rendered as Neutron shows them: the full attribute set of the
// Networking API v2.0, including the attributes Overcast fixes (provider type "vxlan",
// no security groups yet, ...) so unmodified clients find every column they expect.
#pragma once

#include <nlohmann/json.hpp>

#include "controller/model/logical_model.h"

namespace overcast::controller::api {

nlohmann::json network_json(const NetworkView& view);
nlohmann::json subnet_json(const Subnet& subnet);
nlohmann::json port_json(const PortView& view);
nlohmann::json agent_json(const AgentView& view);

// An agent's agent_type: hosts declared through the API (the overcast-static-vtep
// extension) show kStaticVtepAgentType, agents that registered over the southbound the other.
inline constexpr const char* kStaticVtepAgentType = "Static VTEP";
inline constexpr const char* kAgentAgentType = "Overcast agent";

}  // namespace overcast::controller::api

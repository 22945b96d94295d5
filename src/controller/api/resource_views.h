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
nlohmann::json router_json(const RouterView& view);
nlohmann::json router_interface_json(const RouterInterfaceInfo& info);
// An agent as GET /v2.0/routers/{id}/l3-agents shows it: the agent plus ha_state.
nlohmann::json l3_agent_json(const L3AgentView& view);
nlohmann::json floating_ip_json(const FloatingIpView& view);
nlohmann::json security_group_json(const SecurityGroupView& view);
nlohmann::json security_group_rule_json(const SecurityGroupRule& rule);

// An agent's agent_type: hosts declared through the API (the overcast-static-vtep
// extension) show kStaticVtepAgentType; agents that registered over the southbound show
// kAgentAgentType (an L2 agent, as Neutron's Open vSwitch agent) or, when started with
// --gateway, kL3AgentType, the type `openstack network agent list --router` expects.
inline constexpr const char* kStaticVtepAgentType = "Static VTEP";
inline constexpr const char* kAgentAgentType = "Overcast agent";
inline constexpr const char* kL3AgentType = "L3 agent";

}  // namespace overcast::controller::api

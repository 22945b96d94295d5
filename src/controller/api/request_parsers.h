// Neutron request bodies → the model's typed requests. Checks attribute names and
// types (400 naming the attribute); the model checks meaning (ranges, conflicts).
// `default_project` comes from the X-Project-Id header or the server's default and is
// used when the body names neither tenant_id nor project_id.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "controller/model/model_error.h"
#include "controller/model/requests.h"

namespace overcast::controller::api {

Result<NetworkCreate> parse_network_create(const nlohmann::json& body, const std::string& default_project);
Result<NetworkUpdate> parse_network_update(const nlohmann::json& body);
Result<SubnetCreate> parse_subnet_create(const nlohmann::json& body, const std::string& default_project);
Result<SubnetUpdate> parse_subnet_update(const nlohmann::json& body);
Result<PortCreate> parse_port_create(const nlohmann::json& body, const std::string& default_project);
Result<PortUpdate> parse_port_update(const nlohmann::json& body);

Result<RouterCreate> parse_router_create(const nlohmann::json& body, const std::string& default_project);
Result<RouterUpdate> parse_router_update(const nlohmann::json& body);
// The body of add_router_interface / remove_router_interface (not enveloped).
Result<RouterInterfaceRequest> parse_router_interface(const nlohmann::json& body);
Result<FloatingIpCreate> parse_floating_ip_create(const nlohmann::json& body, const std::string& default_project);
Result<FloatingIpUpdate> parse_floating_ip_update(const nlohmann::json& body);
Result<SecurityGroupCreate> parse_security_group_create(const nlohmann::json& body,
                                                        const std::string& default_project);
Result<SecurityGroupUpdate> parse_security_group_update(const nlohmann::json& body);
Result<SecurityGroupRuleCreate> parse_security_group_rule_create(const nlohmann::json& body,
                                                                 const std::string& default_project);

// POST /v2.0/agents: only a static VTEP may be created (see static_vtep_parser.cc).
Result<StaticVtepCreate> parse_static_vtep_create(const nlohmann::json& body, const std::string& default_project);

}  // namespace overcast::controller::api

// POST /v2.0/agents — Overcast's "overcast-static-vtep" extension. Neutron has no
// create on agents (agents register themselves); Overcast accepts one kind of create:
// a VTEP that runs no agent, in the same shape GET /v2.0/agents renders it:
//   {"agent": {"host": "kvm1", "agent_type": "Static VTEP",
//              "configurations": {"tunneling_ip": "172.16.1.50", "tunnel_types": ["vxlan"]},
//              "admin_state_up": true, "description": "..."}}
#include "controller/api/attribute_reader.h"
#include "controller/api/request_parsers.h"
#include "controller/api/resource_views.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {

const std::set<std::string> kStaticVtepAttributes = {"host", "agent_type", "configurations", "admin_state_up",
                                                     "description"};
// What GET shows of an agent but only the controller sets.
const std::set<std::string> kAgentReadOnly = {"id", "alive", "binary", "topic", "created_at", "started_at",
                                              "heartbeat_timestamp", "availability_zone", "resources_synced",
                                              "tenant_id", "project_id"};
const std::set<std::string> kConfigurationKeys = {"tunneling_ip", "tunnel_types"};

Status read_configurations(const AttributeReader& reader, StaticVtepCreate& request) {
  if (Status e = reader.require("configurations")) return e;
  const json& value = reader.raw("configurations");
  if (!value.is_object()) return invalid_input("configurations", "'" + value.dump() + "' is not a dictionary");
  for (const auto& [key, field] : value.items()) {
    if (!kConfigurationKeys.contains(key)) {
      return invalid_input("configurations", "unrecognized key '" + key +
                                                 "' (a static VTEP has only tunneling_ip and tunnel_types)");
    }
  }
  if (!value.contains("tunneling_ip")) {
    return ModelError::bad_request(
        "Failed to parse request. Required attribute 'configurations.tunneling_ip' not specified");
  }
  const json& ip = value["tunneling_ip"];
  if (!ip.is_string()) return invalid_input("configurations.tunneling_ip", "'" + ip.dump() + "' is not a string");
  request.underlay_ip = ip.get<std::string>();
  if (value.contains("tunnel_types")) {
    const json& types = value["tunnel_types"];
    if (!types.is_array()) {
      return invalid_input("configurations.tunnel_types", "'" + types.dump() + "' is not a list");
    }
    for (const auto& type : types) {
      if (!type.is_string()) {
        return invalid_input("configurations.tunnel_types", "'" + type.dump() + "' is not a string");
      }
      request.encapsulations.push_back(type.get<std::string>());
    }
  }
  return std::nullopt;
}

}  // namespace

Result<StaticVtepCreate> parse_static_vtep_create(const json& body, const std::string&) {
  AttributeReader r(body);
  StaticVtepCreate request;
  for (const auto& key : kAgentReadOnly) {
    if (r.has(key)) return ModelError::bad_request("Attribute '" + key + "' not allowed in POST");
  }
  if (Status e = r.check_known(kStaticVtepAttributes)) return *e;
  if (Status e = r.require("agent_type")) return *e;
  std::string agent_type;
  if (Status e = r.read_string("agent_type", agent_type)) return *e;
  if (agent_type != kStaticVtepAgentType) {
    return invalid_input("agent_type", "'" + agent_type + "': only '" + std::string(kStaticVtepAgentType) +
                                           "' hosts can be created through the API; Overcast agents "
                                           "register themselves over the southbound");
  }
  if (Status e = r.require("host")) return *e;
  if (Status e = r.read_string("host", request.host)) return *e;
  if (Status e = read_configurations(r, request)) return *e;
  if (Status e = r.read_bool("admin_state_up", request.admin_state_up)) return *e;
  if (Status e = r.read_string("description", request.description)) return *e;
  return request;
}

}  // namespace overcast::controller::api

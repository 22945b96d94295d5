// Routers, router interfaces, L3 agents of a router and floating IPs as Neutron shows them.
#include "controller/api/resource_views.h"
#include "controller/model/resource_codec.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
json nullable(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }
}  // namespace

json router_json(const RouterView& view) {
  const Router& r = view.router;
  json gateway = nullptr;
  if (r.gateway) {
    json ips = json::array();
    for (const auto& fixed : view.external_fixed_ips) {
      ips.push_back({{"subnet_id", fixed.subnet_id}, {"ip_address", fixed.ip_address}});
    }
    gateway = json{{"network_id", r.gateway->network_id},
                   {"enable_snat", r.gateway->enable_snat},
                   {"external_fixed_ips", ips}};
  }
  return json{{"id", r.id},
              {"name", r.name},
              {"tenant_id", r.project_id},
              {"project_id", r.project_id},
              {"admin_state_up", r.admin_state_up},
              {"status", "ACTIVE"},
              {"external_gateway_info", gateway},
              {"routes", r.routes},
              {"description", r.description},
              // Its gateway is served by every gateway host, one active and the rest standing by.
              {"ha", r.gateway.has_value()},
              {"distributed", true},
              {"availability_zone_hints", json::array()},
              {"availability_zones", json::array()},
              {"flavor_id", nullptr},
              {"tags", json::array()},
              {"created_at", r.created_at},
              {"updated_at", r.updated_at},
              {"revision_number", r.revision_number}};
}

json router_interface_json(const RouterInterfaceInfo& info) {
  return json{{"id", info.router_id},
              {"tenant_id", info.project_id},
              {"project_id", info.project_id},
              {"port_id", info.port_id},
              {"network_id", info.network_id},
              {"subnet_id", info.subnet_id},
              {"subnet_ids", info.subnet_ids}};
}

json l3_agent_json(const L3AgentView& view) {
  json agent = agent_json(view.agent);
  agent["ha_state"] = view.ha_state;
  return agent;
}

json floating_ip_json(const FloatingIpView& view) {
  const FloatingIp& f = view.floating_ip;
  return json{{"id", f.id},
              {"tenant_id", f.project_id},
              {"project_id", f.project_id},
              {"floating_network_id", f.floating_network_id},
              {"floating_ip_address", f.floating_ip_address},
              {"port_id", nullable(f.port_id)},
              {"fixed_ip_address", nullable(f.fixed_ip_address)},
              {"router_id", nullable(f.router_id)},
              {"status", view.status},
              {"description", f.description},
              {"qos_policy_id", nullptr},
              {"port_details", nullptr},
              {"port_forwardings", json::array()},
              {"tags", json::array()},
              {"created_at", f.created_at},
              {"updated_at", f.updated_at},
              {"revision_number", f.revision_number}};
}

}  // namespace overcast::controller::api

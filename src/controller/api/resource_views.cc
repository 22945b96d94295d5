#include "controller/api/resource_views.h"

#include "controller/model/resource_codec.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
json nullable(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }
}  // namespace

json network_json(const NetworkView& view) {
  const Network& n = view.network;
  return json{{"id", n.id},
              {"name", n.name},
              {"tenant_id", n.project_id},
              {"project_id", n.project_id},
              {"admin_state_up", n.admin_state_up},
              {"status", "ACTIVE"},
              {"shared", n.shared},
              {"subnets", view.subnet_ids},
              {"mtu", n.mtu},
              {"provider:network_type", n.network_type},
              {"provider:physical_network", n.physical_network.empty() ? json(nullptr) : json(n.physical_network)},
              {"provider:segmentation_id", n.network_type == "vxlan"  ? json(n.vni)
                                           : n.network_type == "vlan" ? json(n.vlan_id)
                                                                      : json(nullptr)},
              {"router:external", n.external},
              {"port_security_enabled", n.port_security_enabled},
              {"description", n.description},
              {"tags", json::array()},
              {"created_at", n.created_at},
              {"updated_at", n.updated_at},
              {"revision_number", n.revision_number},
              {"availability_zone_hints", json::array()},
              {"availability_zones", json::array()},
              {"ipv4_address_scope", nullptr},
              {"ipv6_address_scope", nullptr},
              {"l2_adjacency", true},
              {"qos_policy_id", nullptr}};
}

json subnet_json(const Subnet& s) {
  return json{{"id", s.id},
              {"name", s.name},
              {"network_id", s.network_id},
              {"tenant_id", s.project_id},
              {"project_id", s.project_id},
              {"ip_version", s.ip_version},
              {"cidr", s.cidr},
              {"gateway_ip", nullable(s.gateway_ip)},
              {"allocation_pools", s.allocation_pools},
              {"enable_dhcp", s.enable_dhcp},
              {"dns_nameservers", s.dns_nameservers},
              {"host_routes", s.host_routes},
              {"ipv6_ra_mode", nullable(s.ipv6_ra_mode)},
              {"ipv6_address_mode", nullable(s.ipv6_address_mode)},
              {"subnetpool_id", nullptr},
              {"description", s.description},
              {"tags", json::array()},
              {"created_at", s.created_at},
              {"updated_at", s.updated_at},
              {"revision_number", s.revision_number},
              {"service_types", json::array()},
              {"segment_id", nullptr}};
}

json port_json(const PortView& view) {
  const Port& p = view.port;
  json vif_details = json::object();
  // The agent filters the port itself (security groups, anti-spoofing).
  if (view.vif_type == "tap") vif_details = json{{"port_filter", true}};
  return json{{"id", p.id},
              {"name", p.name},
              {"network_id", p.network_id},
              {"tenant_id", p.project_id},
              {"project_id", p.project_id},
              {"mac_address", p.mac_address},
              {"fixed_ips", p.fixed_ips},
              {"device_id", p.device_id},
              {"device_owner", p.device_owner},
              {"admin_state_up", p.admin_state_up},
              {"status", view.status},
              {"binding:host_id", p.binding_host_id},
              {"binding:vif_type", view.vif_type},
              {"binding:vnic_type", "normal"},
              {"binding:vif_details", vif_details},
              {"binding:profile", p.binding_profile},
              {"security_groups", p.security_groups},
              {"port_security_enabled", p.port_security_enabled},
              {"allowed_address_pairs", p.allowed_address_pairs},
              {"extra_dhcp_opts", json::array()},
              {"description", p.description},
              {"tags", json::array()},
              {"created_at", p.created_at},
              {"updated_at", p.updated_at},
              {"revision_number", p.revision_number}};
}

json agent_json(const AgentView& view) {
  const Agent& a = view.agent;
  const bool is_static = a.kind == HostKind::kStaticVtep;
  json configurations{{"tunneling_ip", a.underlay_ip}, {"tunnel_types", a.encapsulations}};
  if (!is_static) {
    json mappings = json::object();
    for (const auto& text : a.bridge_mappings) {
      const auto colon = text.find(':');
      if (colon != std::string::npos) mappings[text.substr(0, colon)] = text.substr(colon + 1);
    }
    configurations["bridge_mappings"] = mappings;
    configurations["gateway"] = a.gateway;
    if (a.gateway) {
      configurations["gateway_priority"] = a.gateway_priority;
      configurations["agent_mode"] = "dvr_snat";  // routes locally, and serves SNAT gateways
    }
  }
  return json{{"id", a.id},
              {"agent_type", is_static ? kStaticVtepAgentType : a.gateway ? kL3AgentType : kAgentAgentType},
              {"binary", is_static ? "" : "overcast-agent"},
              {"host", a.host},
              {"alive", view.alive},
              {"admin_state_up", a.admin_state_up},
              {"configurations", configurations},
              {"created_at", a.created_at},
              {"started_at", a.started_at},
              {"heartbeat_timestamp", view.heartbeat_timestamp.empty() ? json(nullptr)
                                                                        : json(view.heartbeat_timestamp)},
              {"topic", "N/A"},
              {"availability_zone", nullptr},
              {"description", a.description},
              {"resources_synced", nullptr}};
}

}  // namespace overcast::controller::api

// Request bodies of routers and floating IPs (router, ext-gw-mode, extraroute, l3-ha).
#include "controller/api/attribute_reader.h"
#include "controller/api/parser_helpers.h"
#include "controller/api/request_parsers.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
const std::set<std::string> kRouterAttributes = {
    "name", "tenant_id", "project_id", "admin_state_up", "external_gateway_info", "description", "routes", "ha",
    "distributed", "availability_zone_hints", "availability_zones", "flavor_id", "id", "status", "created_at",
    "updated_at", "revision_number", "tags"};

// external_gateway_info: null or {} removes the gateway; else network_id is required.
Status read_gateway(const AttributeReader& r, std::optional<std::optional<ExternalGatewayRequest>>& out) {
  const std::string key = "external_gateway_info";
  if (!r.has(key)) return std::nullopt;
  const json& value = r.raw(key);
  if (value.is_null() || (value.is_object() && value.empty())) {
    out = std::optional<ExternalGatewayRequest>{};
    return std::nullopt;
  }
  if (!value.is_object()) return invalid_input(key, "'" + value.dump() + "' is not a dictionary");
  AttributeReader g(value);
  ExternalGatewayRequest gateway;
  Status e = g.check_known({"network_id", "enable_snat", "external_fixed_ips", "qos_policy_id"});
  if (!e) e = g.require("network_id");
  if (!e) e = g.read_string("network_id", gateway.network_id);
  if (!e) e = g.read_bool("enable_snat", gateway.enable_snat);
  if (!e) e = read_fixed_ips(g, gateway.external_fixed_ips, "external_fixed_ips");
  if (!e) e = g.read_fixed("qos_policy_id", nullptr);
  if (e) return invalid_input(key, e->message);
  out = gateway;
  return std::nullopt;
}

Status read_ha_flags(const AttributeReader& r) {
  // Every router's gateway is served by all gateway hosts with standbys, and routing
  // is distributed: the flags are accepted as booleans, the behaviour does not change.
  std::optional<bool> ignored;
  Status e = r.read_bool("ha", ignored);
  if (!e) e = r.read_bool("distributed", ignored);
  if (!e) e = r.read_fixed("availability_zone_hints", json::array());
  if (!e) e = r.read_fixed("flavor_id", nullptr);
  return e;
}
}  // namespace

Result<RouterCreate> parse_router_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  RouterCreate router;
  std::optional<std::optional<ExternalGatewayRequest>> gateway;
  Status e = r.check_known(kRouterAttributes);
  if (!e) e = refuse_create_only(r);
  if (!e && r.has("availability_zones")) e = ModelError::bad_request("Attribute 'availability_zones' not allowed in POST");
  if (!e) e = read_project(r, default_project, router.project_id);
  if (!e) e = r.read_string("name", router.name);
  if (!e) e = r.read_string("description", router.description);
  if (!e) e = r.read_bool("admin_state_up", router.admin_state_up);
  if (!e) e = read_gateway(r, gateway);
  if (!e) e = read_routes(r, router.routes, "routes");
  if (!e) e = read_ha_flags(r);
  if (e) return *e;
  if (gateway && *gateway) router.gateway = **gateway;
  return router;
}

Result<RouterUpdate> parse_router_update(const json& body) {
  AttributeReader r(body);
  RouterUpdate router;
  Status e = r.check_known(kRouterAttributes);
  if (!e) e = r.check_not_updated({"id", "tenant_id", "project_id", "status", "created_at", "updated_at",
                                   "revision_number", "tags", "availability_zones"});
  if (!e) e = r.read_string("name", router.name);
  if (!e) e = r.read_string("description", router.description);
  if (!e) e = r.read_bool("admin_state_up", router.admin_state_up);
  if (!e) e = read_gateway(r, router.gateway);
  if (!e) e = read_routes(r, router.routes, "routes");
  if (!e) e = read_ha_flags(r);
  if (e) return *e;
  return router;
}

Result<RouterInterfaceRequest> parse_router_interface(const json& body) {
  if (!body.is_object()) return ModelError::bad_request("The request body must be a JSON object.");
  AttributeReader r(body);
  RouterInterfaceRequest request;
  Status e = r.check_known({"subnet_id", "port_id"});
  if (!e) e = r.read_string("subnet_id", request.subnet_id);
  if (!e) e = r.read_string("port_id", request.port_id);
  if (e) return *e;
  return request;
}

namespace {
const std::set<std::string> kFloatingIpAttributes = {
    "floating_network_id", "floating_ip_address", "subnet_id", "port_id", "fixed_ip_address", "tenant_id",
    "project_id", "description", "router_id", "qos_policy_id", "dns_domain", "dns_name", "port_details",
    "port_forwardings", "id", "status", "created_at", "updated_at", "revision_number", "tags"};
}  // namespace

Result<FloatingIpCreate> parse_floating_ip_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  FloatingIpCreate f;
  std::optional<std::optional<std::string>> port_id, address, subnet_id, fixed_ip;
  Status e = r.check_known(kFloatingIpAttributes);
  if (!e) e = refuse_create_only(r);
  if (!e) e = r.check_not_updated({"router_id", "port_details", "port_forwardings"});
  if (!e) e = r.require("floating_network_id");
  if (!e) e = read_project(r, default_project, f.project_id);
  if (!e) e = r.read_string("floating_network_id", f.floating_network_id);
  if (!e) e = r.read_nullable_string("floating_ip_address", address);
  if (!e) e = r.read_nullable_string("subnet_id", subnet_id);
  if (!e) e = r.read_nullable_string("port_id", port_id);
  if (!e) e = r.read_nullable_string("fixed_ip_address", fixed_ip);
  if (!e) e = r.read_string("description", f.description);
  if (!e) e = r.read_fixed("qos_policy_id", nullptr);
  if (!e && r.has("dns_domain")) e = r.read_fixed("dns_domain", "");
  if (!e && r.has("dns_name")) e = r.read_fixed("dns_name", "");
  if (e) return *e;
  if (address) f.floating_ip_address = *address;
  if (subnet_id) f.subnet_id = *subnet_id;
  if (port_id) f.port_id = *port_id;
  if (fixed_ip) f.fixed_ip_address = *fixed_ip;
  return f;
}

Result<FloatingIpUpdate> parse_floating_ip_update(const json& body) {
  AttributeReader r(body);
  FloatingIpUpdate f;
  std::optional<std::optional<std::string>> fixed_ip;
  Status e = r.check_known(kFloatingIpAttributes);
  if (!e) e = r.check_not_updated({"floating_network_id", "floating_ip_address", "subnet_id", "tenant_id",
                                   "project_id", "router_id", "id", "status", "created_at", "updated_at",
                                   "revision_number", "tags", "port_details", "port_forwardings", "dns_domain",
                                   "dns_name"});
  if (!e) e = r.read_nullable_string("port_id", f.port_id);
  if (!e) e = r.read_nullable_string("fixed_ip_address", fixed_ip);
  if (!e) e = r.read_string("description", f.description);
  if (!e) e = r.read_fixed("qos_policy_id", nullptr);
  if (e) return *e;
  if (fixed_ip && *fixed_ip) f.fixed_ip_address = **fixed_ip;
  return f;
}

}  // namespace overcast::controller::api

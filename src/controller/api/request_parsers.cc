#include "controller/api/request_parsers.h"

#include "controller/api/attribute_reader.h"
#include "controller/api/parser_helpers.h"

namespace overcast::controller::api {

using nlohmann::json;

Status read_project(const AttributeReader& reader, const std::string& default_project, std::string& project) {
  std::optional<std::string> tenant, project_id;
  if (Status e = reader.read_string("tenant_id", tenant)) return e;
  if (Status e = reader.read_string("project_id", project_id)) return e;
  if (tenant && project_id && *tenant != *project_id) {
    return ModelError::bad_request("Invalid input: tenant_id '" + *tenant + "' and project_id '" + *project_id +
                                   "' differ; they name the same project.");
  }
  project = project_id ? *project_id : tenant ? *tenant : default_project;
  if (project.empty()) return invalid_input("project_id", "must not be empty");
  return std::nullopt;
}

Status refuse_create_only(const AttributeReader& reader) {
  for (const auto& key : kAlwaysReadOnly) {
    if (reader.has(key)) return ModelError::bad_request("Attribute '" + key + "' not allowed in POST");
  }
  return std::nullopt;
}

namespace {
Status read_pools(const AttributeReader& reader, std::optional<std::vector<AllocationPool>>& out) {
  if (!reader.has("allocation_pools")) return std::nullopt;
  const json& value = reader.raw("allocation_pools");
  if (!value.is_array()) return invalid_input("allocation_pools", "'" + value.dump() + "' is not a list");
  std::vector<AllocationPool> pools;
  for (const auto& item : value) {
    if (!item.is_object() || item.size() != 2 || !item.contains("start") || !item.contains("end") ||
        !item["start"].is_string() || !item["end"].is_string()) {
      return invalid_input("allocation_pools", "'" + item.dump() + "' is not {\"start\": IP, \"end\": IP}");
    }
    pools.push_back({item["start"].get<std::string>(), item["end"].get<std::string>()});
  }
  out = std::move(pools);
  return std::nullopt;
}

}  // namespace

Status read_routes(const AttributeReader& reader, std::optional<std::vector<HostRoute>>& out, const std::string& key) {
  if (!reader.has(key)) return std::nullopt;
  const json& value = reader.raw(key);
  if (value.is_null() && key == "routes") {
    out = std::vector<HostRoute>{};
    return std::nullopt;
  }
  if (!value.is_array()) return invalid_input(key, "'" + value.dump() + "' is not a list");
  std::vector<HostRoute> routes;
  for (const auto& item : value) {
    if (!item.is_object() || item.size() != 2 || !item.contains("destination") || !item.contains("nexthop") ||
        !item["destination"].is_string() || !item["nexthop"].is_string()) {
      return invalid_input(key, "'" + item.dump() + "' is not {\"destination\": CIDR, \"nexthop\": IP}");
    }
    routes.push_back({item["destination"].get<std::string>(), item["nexthop"].get<std::string>()});
  }
  out = std::move(routes);
  return std::nullopt;
}

Status read_fixed_ips(const AttributeReader& reader, std::optional<std::vector<FixedIpRequest>>& out,
                      const std::string& key) {
  if (!reader.has(key)) return std::nullopt;
  const json& value = reader.raw(key);
  if (value.is_null()) {
    out = std::vector<FixedIpRequest>{};
    return std::nullopt;
  }
  if (!value.is_array()) return invalid_input(key, "'" + value.dump() + "' is not a list");
  std::vector<FixedIpRequest> requests;
  for (const auto& item : value) {
    if (!item.is_object()) return invalid_input(key, "'" + item.dump() + "' is not a dictionary");
    FixedIpRequest request;
    for (const auto& [key, field] : item.items()) {
      if ((key != "subnet_id" && key != "ip_address") || !field.is_string()) {
        return invalid_input(key, "'" + item.dump() + "' may hold only subnet_id and ip_address strings");
      }
      (key == "subnet_id" ? request.subnet_id : request.ip_address) = field.get<std::string>();
    }
    requests.push_back(std::move(request));
  }
  out = std::move(requests);
  return std::nullopt;
}

namespace {
Status read_vnic_type(const AttributeReader& reader) { return reader.read_fixed("binding:vnic_type", "normal"); }
}  // namespace

Result<NetworkCreate> parse_network_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  NetworkCreate n;
  Status e = r.check_known({"name", "tenant_id", "project_id", "admin_state_up", "shared", "mtu", "description",
                            "port_security_enabled", "provider:network_type", "provider:physical_network",
                            "provider:segmentation_id", "router:external", "availability_zone_hints",
                            "qos_policy_id", "id", "status", "created_at", "updated_at", "revision_number",
                            "tags"});
  if (!e) e = refuse_create_only(r);
  if (!e) e = read_project(r, default_project, n.project_id);
  if (!e) e = r.read_string("name", n.name);
  if (!e) e = r.read_string("description", n.description);
  if (!e) e = r.read_bool("admin_state_up", n.admin_state_up);
  if (!e) e = r.read_bool("shared", n.shared);
  if (!e) e = r.read_bool("port_security_enabled", n.port_security_enabled);
  if (!e) e = r.read_int("mtu", n.mtu);
  if (!e) e = r.read_int("provider:segmentation_id", n.segmentation_id);
  if (!e) e = r.read_string("provider:network_type", n.network_type);
  std::optional<std::optional<std::string>> physnet;
  if (!e) e = r.read_nullable_string("provider:physical_network", physnet);
  if (!e) e = r.read_bool("router:external", n.external);
  if (!e) e = r.read_fixed("availability_zone_hints", json::array());
  if (!e) e = r.read_fixed("qos_policy_id", nullptr);
  if (e) return *e;
  if (physnet && *physnet) n.physical_network = **physnet;
  return n;
}

Result<NetworkUpdate> parse_network_update(const json& body) {
  AttributeReader r(body);
  NetworkUpdate n;
  Status e = r.check_known({"name", "admin_state_up", "shared", "mtu", "description", "port_security_enabled",
                            "tenant_id", "project_id", "provider:network_type", "provider:physical_network",
                            "provider:segmentation_id", "router:external", "availability_zone_hints",
                            "qos_policy_id", "id", "status", "subnets", "created_at", "updated_at",
                            "revision_number", "tags"});
  if (!e) e = r.check_not_updated({"id", "tenant_id", "project_id", "status", "subnets", "created_at",
                                   "updated_at", "revision_number", "tags", "provider:network_type",
                                   "provider:physical_network", "provider:segmentation_id",
                                   "availability_zone_hints"});
  if (!e) e = r.read_string("name", n.name);
  if (!e) e = r.read_string("description", n.description);
  if (!e) e = r.read_bool("admin_state_up", n.admin_state_up);
  if (!e) e = r.read_bool("shared", n.shared);
  if (!e) e = r.read_bool("port_security_enabled", n.port_security_enabled);
  if (!e) e = r.read_int("mtu", n.mtu);
  if (!e) e = r.read_bool("router:external", n.external);
  if (!e) e = r.read_fixed("qos_policy_id", nullptr);
  if (e) return *e;
  return n;
}

Result<SubnetCreate> parse_subnet_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  SubnetCreate s;
  std::optional<int64_t> ip_version;
  std::optional<std::vector<std::string>> dns;
  std::optional<std::vector<HostRoute>> routes;
  std::optional<std::optional<std::string>> ra_mode, address_mode;
  Status e = r.check_known({"name", "network_id", "tenant_id", "project_id", "ip_version", "cidr", "gateway_ip",
                            "allocation_pools", "enable_dhcp", "dns_nameservers", "host_routes", "ipv6_ra_mode",
                            "ipv6_address_mode", "description", "subnetpool_id", "service_types", "segment_id",
                            "use_default_subnetpool", "id", "status", "created_at", "updated_at",
                            "revision_number", "tags"});
  if (!e) e = refuse_create_only(r);
  if (!e) e = r.require("network_id");
  if (!e) e = r.require("cidr");
  if (!e) e = read_project(r, default_project, s.project_id);
  if (!e) e = r.read_string("network_id", s.network_id);
  if (!e) e = r.read_string("cidr", s.cidr);
  if (!e) e = r.read_string("name", s.name);
  if (!e) e = r.read_string("description", s.description);
  if (!e) e = r.read_int("ip_version", ip_version);
  if (!e) e = r.read_nullable_string("gateway_ip", s.gateway_ip);
  if (!e) e = read_pools(r, s.allocation_pools);
  if (!e) e = r.read_bool("enable_dhcp", s.enable_dhcp);
  if (!e) e = r.read_string_list("dns_nameservers", dns);
  if (!e) e = read_routes(r, routes, "host_routes");
  if (!e) e = r.read_nullable_string("ipv6_ra_mode", ra_mode);
  if (!e) e = r.read_nullable_string("ipv6_address_mode", address_mode);
  if (!e) e = r.read_fixed("subnetpool_id", nullptr);
  if (!e) e = r.read_fixed("service_types", json::array());
  if (!e) e = r.read_fixed("segment_id", nullptr);
  if (!e) e = r.read_fixed("use_default_subnetpool", false);
  if (e) return *e;
  // Neutron requires ip_version; the cidr tells it unambiguously, so we infer it.
  s.ip_version = ip_version ? *ip_version : (s.cidr.find(':') != std::string::npos ? 6 : 4);
  if (dns) s.dns_nameservers = *dns;
  if (routes) s.host_routes = *routes;
  if (ra_mode) s.ipv6_ra_mode = *ra_mode;
  if (address_mode) s.ipv6_address_mode = *address_mode;
  return s;
}

Result<SubnetUpdate> parse_subnet_update(const json& body) {
  AttributeReader r(body);
  SubnetUpdate s;
  Status e = r.check_known({"name", "network_id", "tenant_id", "project_id", "ip_version", "cidr", "gateway_ip",
                            "allocation_pools", "enable_dhcp", "dns_nameservers", "host_routes", "ipv6_ra_mode",
                            "ipv6_address_mode", "description", "subnetpool_id", "service_types", "segment_id",
                            "id", "status", "created_at", "updated_at", "revision_number", "tags"});
  if (!e) e = r.check_not_updated({"network_id", "tenant_id", "project_id", "ip_version", "cidr", "gateway_ip",
                                   "allocation_pools", "ipv6_ra_mode", "ipv6_address_mode", "subnetpool_id",
                                   "service_types", "segment_id", "id", "status", "created_at", "updated_at",
                                   "revision_number", "tags"});
  if (!e) e = r.read_string("name", s.name);
  if (!e) e = r.read_string("description", s.description);
  if (!e) e = r.read_bool("enable_dhcp", s.enable_dhcp);
  if (!e) e = r.read_string_list("dns_nameservers", s.dns_nameservers);
  if (!e) e = read_routes(r, s.host_routes, "host_routes");
  if (e) return *e;
  return s;
}

namespace {
const std::set<std::string> kPortAttributes = {
    "name", "network_id", "tenant_id", "project_id", "mac_address", "fixed_ips", "device_id", "device_owner",
    "admin_state_up", "binding:host_id", "binding:profile", "binding:vnic_type", "binding:vif_type",
    "binding:vif_details", "security_groups", "port_security_enabled", "allowed_address_pairs",
    "extra_dhcp_opts", "description", "qos_policy_id", "id", "status", "created_at", "updated_at",
    "revision_number", "tags"};

// security_groups: a list of ids; null means none.
Status read_security_groups(const AttributeReader& r, std::optional<std::vector<std::string>>& out) {
  if (r.has("security_groups") && r.raw("security_groups").is_null()) {
    out = std::vector<std::string>{};
    return std::nullopt;
  }
  return r.read_string_list("security_groups", out);
}

// allowed_address_pairs: [{"ip_address": IP or CIDR, "mac_address"?: MAC}]; null means none.
Status read_address_pairs(const AttributeReader& r, std::optional<std::vector<AllowedAddressPair>>& out) {
  const std::string key = "allowed_address_pairs";
  if (!r.has(key)) return std::nullopt;
  const json& value = r.raw(key);
  if (value.is_null()) {
    out = std::vector<AllowedAddressPair>{};
    return std::nullopt;
  }
  if (!value.is_array()) return invalid_input(key, "'" + value.dump() + "' is not a list");
  std::vector<AllowedAddressPair> pairs;
  for (const auto& item : value) {
    if (!item.is_object() || !item.contains("ip_address") || !item["ip_address"].is_string()) {
      return invalid_input(key, "'" + item.dump() + "' is not {\"ip_address\": IP or CIDR, \"mac_address\": MAC}");
    }
    AllowedAddressPair pair{item["ip_address"].get<std::string>(), ""};
    for (const auto& [field, v] : item.items()) {
      if (field == "ip_address") continue;
      if (field != "mac_address" || !v.is_string()) {
        return invalid_input(key, "'" + item.dump() + "' may hold only ip_address and mac_address strings");
      }
      pair.mac_address = v.get<std::string>();
    }
    pairs.push_back(std::move(pair));
  }
  out = std::move(pairs);
  return std::nullopt;
}

Status read_port_common(const AttributeReader& r, std::optional<std::string>& name,
                        std::optional<std::string>& description, std::optional<std::string>& device_id,
                        std::optional<std::string>& device_owner, std::optional<std::string>& host,
                        std::optional<bool>& admin_up, std::optional<bool>& port_security,
                        std::optional<json>& profile, std::optional<std::vector<FixedIpRequest>>& fixed_ips,
                        std::optional<std::string>& mac,
                        std::optional<std::vector<std::string>>& security_groups,
                        std::optional<std::vector<AllowedAddressPair>>& address_pairs) {
  Status e = r.read_string("name", name);
  if (!e) e = r.read_string("description", description);
  if (!e) e = r.read_string("device_id", device_id);
  if (!e) e = r.read_string("device_owner", device_owner);
  if (!e) e = r.read_string("binding:host_id", host);
  if (!e) e = r.read_bool("admin_state_up", admin_up);
  if (!e) e = r.read_bool("port_security_enabled", port_security);
  if (!e) e = r.read_object("binding:profile", profile);
  if (!e) e = read_fixed_ips(r, fixed_ips, "fixed_ips");
  if (!e) e = r.read_string("mac_address", mac);
  if (!e) e = read_vnic_type(r);
  if (!e) e = read_security_groups(r, security_groups);
  if (!e) e = read_address_pairs(r, address_pairs);
  if (!e) e = r.read_fixed("extra_dhcp_opts", json::array());
  if (!e) e = r.read_fixed("qos_policy_id", nullptr);
  return e;
}
}  // namespace

Result<PortCreate> parse_port_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  PortCreate p;
  std::optional<std::string> name, description, device_id, device_owner, host, mac;
  std::optional<bool> admin_up;
  std::optional<json> profile;
  Status e = r.check_known(kPortAttributes);
  if (!e) e = refuse_create_only(r);
  if (!e && (r.has("binding:vif_type") || r.has("binding:vif_details"))) {
    e = ModelError::bad_request("Attribute 'binding:vif_type' not allowed in POST");
  }
  if (!e) e = r.require("network_id");
  if (!e) e = read_project(r, default_project, p.project_id);
  if (!e) e = r.read_string("network_id", p.network_id);
  if (!e) {
    e = read_port_common(r, name, description, device_id, device_owner, host, admin_up, p.port_security_enabled,
                         profile, p.fixed_ips, mac, p.security_groups, p.allowed_address_pairs);
  }
  if (e) return *e;
  p.name = name.value_or("");
  p.description = description.value_or("");
  p.device_id = device_id.value_or("");
  p.device_owner = device_owner.value_or("");
  p.binding_host_id = host.value_or("");
  p.admin_state_up = admin_up.value_or(true);
  p.binding_profile = profile.value_or(json::object());
  p.mac_address = mac;
  return p;
}

Result<PortUpdate> parse_port_update(const json& body) {
  AttributeReader r(body);
  PortUpdate p;
  Status e = r.check_known(kPortAttributes);
  if (!e) e = r.check_not_updated({"network_id", "tenant_id", "project_id", "binding:vif_type",
                                   "binding:vif_details", "id", "status", "created_at", "updated_at",
                                   "revision_number", "tags"});
  if (!e) {
    e = read_port_common(r, p.name, p.description, p.device_id, p.device_owner, p.binding_host_id,
                         p.admin_state_up, p.port_security_enabled, p.binding_profile, p.fixed_ips, p.mac_address,
                         p.security_groups, p.allowed_address_pairs);
  }
  if (e) return *e;
  return p;
}

}  // namespace overcast::controller::api

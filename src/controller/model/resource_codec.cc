#include "controller/model/resource_codec.h"

#include <stdexcept>

namespace overcast::controller {

using nlohmann::json;

namespace {
json optional_string(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}
std::optional<std::string> read_optional_string(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}
}  // namespace

void to_json(json& j, const Network& n) {
  j = json{{"id", n.id},
           {"name", n.name},
           {"project_id", n.project_id},
           {"description", n.description},
           {"admin_state_up", n.admin_state_up},
           {"shared", n.shared},
           {"port_security_enabled", n.port_security_enabled},
           {"mtu", n.mtu},
           {"vni", n.vni},
           {"network_type", n.network_type},
           {"physical_network", n.physical_network},
           {"vlan_id", n.vlan_id},
           {"external", n.external},
           {"created_at", n.created_at},
           {"updated_at", n.updated_at},
           {"revision_number", n.revision_number}};
}

void from_json(const json& j, Network& n) {
  j.at("id").get_to(n.id);
  j.at("name").get_to(n.name);
  j.at("project_id").get_to(n.project_id);
  j.at("description").get_to(n.description);
  j.at("admin_state_up").get_to(n.admin_state_up);
  j.at("shared").get_to(n.shared);
  j.at("port_security_enabled").get_to(n.port_security_enabled);
  j.at("mtu").get_to(n.mtu);
  j.at("vni").get_to(n.vni);
  // Records from before provider networks: a vxlan tenant network.
  n.network_type = j.value("network_type", std::string("vxlan"));
  n.physical_network = j.value("physical_network", std::string());
  n.vlan_id = j.value("vlan_id", uint32_t{0});
  n.external = j.value("external", false);
  j.at("created_at").get_to(n.created_at);
  j.at("updated_at").get_to(n.updated_at);
  j.at("revision_number").get_to(n.revision_number);
}

void to_json(json& j, const AllocationPool& p) { j = json{{"start", p.start}, {"end", p.end}}; }
void from_json(const json& j, AllocationPool& p) {
  j.at("start").get_to(p.start);
  j.at("end").get_to(p.end);
}

void to_json(json& j, const HostRoute& r) {
  j = json{{"destination", r.destination}, {"nexthop", r.nexthop}};
}
void from_json(const json& j, HostRoute& r) {
  j.at("destination").get_to(r.destination);
  j.at("nexthop").get_to(r.nexthop);
}

void to_json(json& j, const Subnet& s) {
  j = json{{"id", s.id},
           {"name", s.name},
           {"network_id", s.network_id},
           {"project_id", s.project_id},
           {"description", s.description},
           {"ip_version", s.ip_version},
           {"cidr", s.cidr},
           {"gateway_ip", optional_string(s.gateway_ip)},
           {"allocation_pools", s.allocation_pools},
           {"enable_dhcp", s.enable_dhcp},
           {"dns_nameservers", s.dns_nameservers},
           {"host_routes", s.host_routes},
           {"ipv6_ra_mode", optional_string(s.ipv6_ra_mode)},
           {"ipv6_address_mode", optional_string(s.ipv6_address_mode)},
           {"created_at", s.created_at},
           {"updated_at", s.updated_at},
           {"revision_number", s.revision_number}};
}

void from_json(const json& j, Subnet& s) {
  j.at("id").get_to(s.id);
  j.at("name").get_to(s.name);
  j.at("network_id").get_to(s.network_id);
  j.at("project_id").get_to(s.project_id);
  j.at("description").get_to(s.description);
  j.at("ip_version").get_to(s.ip_version);
  j.at("cidr").get_to(s.cidr);
  s.gateway_ip = read_optional_string(j, "gateway_ip");
  j.at("allocation_pools").get_to(s.allocation_pools);
  j.at("enable_dhcp").get_to(s.enable_dhcp);
  j.at("dns_nameservers").get_to(s.dns_nameservers);
  j.at("host_routes").get_to(s.host_routes);
  s.ipv6_ra_mode = read_optional_string(j, "ipv6_ra_mode");
  s.ipv6_address_mode = read_optional_string(j, "ipv6_address_mode");
  j.at("created_at").get_to(s.created_at);
  j.at("updated_at").get_to(s.updated_at);
  j.at("revision_number").get_to(s.revision_number);
}

void to_json(json& j, const FixedIp& f) {
  j = json{{"subnet_id", f.subnet_id}, {"ip_address", f.ip_address}};
}
void from_json(const json& j, FixedIp& f) {
  j.at("subnet_id").get_to(f.subnet_id);
  j.at("ip_address").get_to(f.ip_address);
}

void to_json(json& j, const Port& p) {
  j = json{{"id", p.id},
           {"name", p.name},
           {"network_id", p.network_id},
           {"project_id", p.project_id},
           {"description", p.description},
           {"mac_address", p.mac_address},
           {"fixed_ips", p.fixed_ips},
           {"device_id", p.device_id},
           {"device_owner", p.device_owner},
           {"admin_state_up", p.admin_state_up},
           {"port_security_enabled", p.port_security_enabled},
           {"security_groups", p.security_groups},
           {"allowed_address_pairs", p.allowed_address_pairs},
           {"binding_host_id", p.binding_host_id},
           {"binding_profile", p.binding_profile},
           {"created_at", p.created_at},
           {"updated_at", p.updated_at},
           {"revision_number", p.revision_number}};
}

void from_json(const json& j, Port& p) {
  j.at("id").get_to(p.id);
  j.at("name").get_to(p.name);
  j.at("network_id").get_to(p.network_id);
  j.at("project_id").get_to(p.project_id);
  j.at("description").get_to(p.description);
  j.at("mac_address").get_to(p.mac_address);
  j.at("fixed_ips").get_to(p.fixed_ips);
  j.at("device_id").get_to(p.device_id);
  j.at("device_owner").get_to(p.device_owner);
  j.at("admin_state_up").get_to(p.admin_state_up);
  j.at("port_security_enabled").get_to(p.port_security_enabled);
  j.at("binding_host_id").get_to(p.binding_host_id);
  // Records from before security groups: none, no pairs.
  p.security_groups = j.value("security_groups", std::vector<std::string>{});
  if (j.contains("allowed_address_pairs")) j.at("allowed_address_pairs").get_to(p.allowed_address_pairs);
  p.binding_profile = j.at("binding_profile");
  if (!p.binding_profile.is_object()) {
    throw json::type_error::create(302, "binding_profile must be an object", &j);
  }
  j.at("created_at").get_to(p.created_at);
  j.at("updated_at").get_to(p.updated_at);
  j.at("revision_number").get_to(p.revision_number);
}

namespace {
constexpr const char* kKindAgent = "agent";
constexpr const char* kKindStaticVtep = "static-vtep";
}  // namespace

void to_json(json& j, const Agent& a) {
  j = json{{"id", a.id},
           {"kind", a.kind == HostKind::kStaticVtep ? kKindStaticVtep : kKindAgent},
           {"description", a.description},
           {"host", a.host},
           {"underlay_ip", a.underlay_ip},
           {"encapsulations", a.encapsulations},
           {"agent_version", a.agent_version},
           {"admin_state_up", a.admin_state_up},
           {"created_at", a.created_at},
           {"started_at", a.started_at},
           {"gateway", a.gateway},
           {"gateway_priority", a.gateway_priority},
           {"bridge_mappings", a.bridge_mappings}};
}

void from_json(const json& j, Agent& a) {
  j.at("id").get_to(a.id);
  j.at("host").get_to(a.host);
  j.at("underlay_ip").get_to(a.underlay_ip);
  j.at("encapsulations").get_to(a.encapsulations);
  j.at("agent_version").get_to(a.agent_version);
  j.at("admin_state_up").get_to(a.admin_state_up);
  j.at("created_at").get_to(a.created_at);
  j.at("started_at").get_to(a.started_at);
  // Records written before static VTEPs existed carry neither field: they are agents.
  const std::string kind = j.value("kind", std::string(kKindAgent));
  if (kind == kKindStaticVtep) {
    a.kind = HostKind::kStaticVtep;
  } else if (kind == kKindAgent) {
    a.kind = HostKind::kAgent;
  } else {
    throw std::invalid_argument("unknown host kind '" + kind + "'");
  }
  a.description = j.value("description", std::string());
  // Records from before gateways existed: a plain agent without mappings.
  a.gateway = j.value("gateway", false);
  a.gateway_priority = j.value("gateway_priority", uint32_t{0});
  a.bridge_mappings = j.value("bridge_mappings", std::vector<std::string>{});
}

void to_json(json& j, const AllowedAddressPair& a) {
  j = json{{"ip_address", a.ip_address}, {"mac_address", a.mac_address}};
}
void from_json(const json& j, AllowedAddressPair& a) {
  j.at("ip_address").get_to(a.ip_address);
  j.at("mac_address").get_to(a.mac_address);
}

void to_json(json& j, const Router& r) {
  json gateway = nullptr;
  if (r.gateway) {
    gateway = json{{"network_id", r.gateway->network_id},
                   {"enable_snat", r.gateway->enable_snat},
                   {"port_id", r.gateway->port_id}};
  }
  j = json{{"id", r.id},
           {"name", r.name},
           {"project_id", r.project_id},
           {"description", r.description},
           {"admin_state_up", r.admin_state_up},
           {"gateway", gateway},
           {"routes", r.routes},
           {"created_at", r.created_at},
           {"updated_at", r.updated_at},
           {"revision_number", r.revision_number}};
}

void from_json(const json& j, Router& r) {
  j.at("id").get_to(r.id);
  j.at("name").get_to(r.name);
  j.at("project_id").get_to(r.project_id);
  j.at("description").get_to(r.description);
  j.at("admin_state_up").get_to(r.admin_state_up);
  const json& gateway = j.at("gateway");
  r.gateway.reset();
  if (!gateway.is_null()) {
    ExternalGateway g;
    gateway.at("network_id").get_to(g.network_id);
    gateway.at("enable_snat").get_to(g.enable_snat);
    gateway.at("port_id").get_to(g.port_id);
    r.gateway = g;
  }
  j.at("routes").get_to(r.routes);
  j.at("created_at").get_to(r.created_at);
  j.at("updated_at").get_to(r.updated_at);
  j.at("revision_number").get_to(r.revision_number);
}

void to_json(json& j, const FloatingIp& f) {
  j = json{{"id", f.id},
           {"project_id", f.project_id},
           {"description", f.description},
           {"floating_network_id", f.floating_network_id},
           {"floating_ip_address", f.floating_ip_address},
           {"floating_port_id", f.floating_port_id},
           {"port_id", f.port_id},
           {"fixed_ip_address", f.fixed_ip_address},
           {"router_id", f.router_id},
           {"created_at", f.created_at},
           {"updated_at", f.updated_at},
           {"revision_number", f.revision_number}};
}

void from_json(const json& j, FloatingIp& f) {
  j.at("id").get_to(f.id);
  j.at("project_id").get_to(f.project_id);
  j.at("description").get_to(f.description);
  j.at("floating_network_id").get_to(f.floating_network_id);
  j.at("floating_ip_address").get_to(f.floating_ip_address);
  j.at("floating_port_id").get_to(f.floating_port_id);
  j.at("port_id").get_to(f.port_id);
  j.at("fixed_ip_address").get_to(f.fixed_ip_address);
  j.at("router_id").get_to(f.router_id);
  j.at("created_at").get_to(f.created_at);
  j.at("updated_at").get_to(f.updated_at);
  j.at("revision_number").get_to(f.revision_number);
}

void to_json(json& j, const SecurityGroup& g) {
  j = json{{"id", g.id},
           {"name", g.name},
           {"project_id", g.project_id},
           {"description", g.description},
           {"stateful", g.stateful},
           {"created_at", g.created_at},
           {"updated_at", g.updated_at},
           {"revision_number", g.revision_number}};
}

void from_json(const json& j, SecurityGroup& g) {
  j.at("id").get_to(g.id);
  j.at("name").get_to(g.name);
  j.at("project_id").get_to(g.project_id);
  j.at("description").get_to(g.description);
  j.at("stateful").get_to(g.stateful);
  j.at("created_at").get_to(g.created_at);
  j.at("updated_at").get_to(g.updated_at);
  j.at("revision_number").get_to(g.revision_number);
}

namespace {
json optional_int(const std::optional<int64_t>& value) { return value ? json(*value) : json(nullptr); }
std::optional<int64_t> read_optional_int(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<int64_t>();
}
}  // namespace

void to_json(json& j, const SecurityGroupRule& r) {
  j = json{{"id", r.id},
           {"security_group_id", r.security_group_id},
           {"project_id", r.project_id},
           {"description", r.description},
           {"direction", r.direction},
           {"ethertype", r.ethertype},
           {"protocol", optional_string(r.protocol)},
           {"port_range_min", optional_int(r.port_range_min)},
           {"port_range_max", optional_int(r.port_range_max)},
           {"remote_ip_prefix", optional_string(r.remote_ip_prefix)},
           {"remote_group_id", optional_string(r.remote_group_id)},
           {"created_at", r.created_at},
           {"updated_at", r.updated_at},
           {"revision_number", r.revision_number}};
}

void from_json(const json& j, SecurityGroupRule& r) {
  j.at("id").get_to(r.id);
  j.at("security_group_id").get_to(r.security_group_id);
  j.at("project_id").get_to(r.project_id);
  j.at("description").get_to(r.description);
  j.at("direction").get_to(r.direction);
  j.at("ethertype").get_to(r.ethertype);
  r.protocol = read_optional_string(j, "protocol");
  r.port_range_min = read_optional_int(j, "port_range_min");
  r.port_range_max = read_optional_int(j, "port_range_max");
  r.remote_ip_prefix = read_optional_string(j, "remote_ip_prefix");
  r.remote_group_id = read_optional_string(j, "remote_group_id");
  j.at("created_at").get_to(r.created_at);
  j.at("updated_at").get_to(r.updated_at);
  j.at("revision_number").get_to(r.revision_number);
}

}  // namespace overcast::controller

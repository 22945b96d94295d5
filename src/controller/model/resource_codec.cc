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
           {"started_at", a.started_at}};
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
}

}  // namespace overcast::controller

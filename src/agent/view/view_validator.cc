#include "agent/view/view_validator.h"

#include "agent/view/provider_uplinks.h"
#include "agent/view/router_validator.h"

#include "common/port_naming.h"

#include <unordered_map>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "agent/view/security_group_policies.h"

namespace overcast::agent {

namespace {

using Reason = std::optional<std::string>;

// Proto3 leaves 0 for "not set"; the agent then uses the default MTU.
constexpr uint32_t kMinMtu = 68;  // the IPv4 minimum (RFC 791)
constexpr uint32_t kMaxMtu = 65535;

Reason fail(const std::string& key, const std::string& what) { return key + ": " + what; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

Reason check_id(const std::string& key, const char* field, const std::string& id) {
  if (id.empty()) return fail(key, std::string(field) + " is empty");
  for (char c : id) {
    // Ids end up in interface names and file paths: printable, no separators.
    if (c <= ' ' || c == '/' || c == ':' || c == 0x7f) return fail(key, std::string(field) + " " + quoted(id) + " has a forbidden character");
  }
  return std::nullopt;
}

Reason check_vni(const std::string& key, uint32_t vni) {
  if (vni < 1 || vni > kMaxVni) return fail(key, "vni " + std::to_string(vni) + " is outside 1..16777215");
  return std::nullopt;
}

Reason check_mtu(const std::string& key, uint32_t mtu) {
  if (mtu != 0 && (mtu < kMinMtu || mtu > kMaxMtu)) return fail(key, "mtu " + std::to_string(mtu) + " is outside 68..65535");
  return std::nullopt;
}

Reason check_mac(const std::string& key, const std::string& text) {
  auto mac = MacAddress::parse(text);
  if (!mac) return fail(key, "mac " + quoted(text) + " is not a MAC address");
  if (mac->is_multicast() || mac->is_zero()) return fail(key, "mac " + quoted(text) + " is not a unicast MAC address");
  return std::nullopt;
}

Reason check_ips(const std::string& key, const google::protobuf::RepeatedPtrField<std::string>& ips) {
  for (int i = 0; i < ips.size(); ++i) {
    if (!IpAddress::parse(ips[i])) return fail(key, "ips[" + std::to_string(i) + "] " + quoted(ips[i]) + " is not an IP address");
  }
  return std::nullopt;
}

Reason check_ipv4(const std::string& key, const std::string& field, const std::string& text) {
  if (!Ipv4Address::parse(text)) return fail(key, field + " " + quoted(text) + " is not an IPv4 address");
  return std::nullopt;
}

Reason check_key(const std::string& key, const char* prefix, const std::string& id) {
  if (key != prefix + id) return fail(key, std::string("key does not match the body's id (expected ") + quoted(prefix + id) + ")");
  return std::nullopt;
}

Reason check_ip(const std::string& key, const std::string& field, const std::string& text) {
  if (!IpAddress::parse(text)) return fail(key, field + " " + quoted(text) + " is not an IP address");
  return std::nullopt;
}

// A CIDR with no host bits set, e.g. "10.0.0.0/24".
std::optional<IpPrefix> parse_network_prefix(const std::string& text) {
  auto prefix = IpPrefix::parse(text);
  if (!prefix || !prefix->is_network()) return std::nullopt;
  return prefix;
}

Reason validate_subnet(const std::string& key, const sb::SubnetEntry& s) {
  if (auto r = check_id(key, "subnet_id", s.subnet_id())) return r;
  if (auto r = check_key(key, "subnet/", s.subnet_id())) return r;
  if (auto r = check_id(key, "network_id", s.network_id())) return r;
  if (s.ip_version() != 4 && s.ip_version() != 6) {
    return fail(key, "ip_version " + std::to_string(s.ip_version()) + " is not 4 or 6");
  }
  auto cidr = parse_network_prefix(s.cidr());
  if (!cidr) return fail(key, "cidr " + quoted(s.cidr()) + " is not a network prefix");
  if (static_cast<uint32_t>(cidr->address.version()) != s.ip_version()) {
    return fail(key, "cidr " + quoted(s.cidr()) + " is not IPv" + std::to_string(s.ip_version()));
  }
  if (!s.gateway_ip().empty()) {
    auto gateway = IpAddress::parse(s.gateway_ip());
    if (!gateway) return fail(key, "gateway_ip " + quoted(s.gateway_ip()) + " is not an IP address");
    if (!cidr->contains(*gateway)) return fail(key, "gateway_ip " + quoted(s.gateway_ip()) + " is outside " + quoted(s.cidr()));
  }
  for (int i = 0; i < s.dns_nameservers_size(); ++i) {
    if (auto r = check_ip(key, "dns_nameservers[" + std::to_string(i) + "]", s.dns_nameservers(i))) return r;
  }
  for (int i = 0; i < s.host_routes_size(); ++i) {
    const auto& route = s.host_routes(i);
    const std::string field = "host_routes[" + std::to_string(i) + "]";
    if (!parse_network_prefix(route.destination())) {
      return fail(key, field + ".destination " + quoted(route.destination()) + " is not a network prefix");
    }
    if (auto r = check_ip(key, field + ".nexthop", route.nexthop())) return r;
  }
  return std::nullopt;
}

// An allowed address pair's ip_address is an address or a prefix (Neutron takes both).
Reason check_allowed_address_pairs(const std::string& key, const sb::LocalPortEntry& p) {
  if (p.allowed_address_pairs_size() > 0 && !p.port_security_enabled()) {
    return fail(key, "allowed_address_pairs are set while port_security_enabled is false");
  }
  for (int i = 0; i < p.allowed_address_pairs_size(); ++i) {
    const auto& pair = p.allowed_address_pairs(i);
    const std::string field = "allowed_address_pairs[" + std::to_string(i) + "]";
    if (!IpAddress::parse(pair.ip_address()) && !IpPrefix::parse(pair.ip_address())) {
      return fail(key, field + ".ip_address " + quoted(pair.ip_address()) + " is not an IP address or prefix");
    }
    if (auto r = check_mac(key, pair.mac_address())) return fail(key, field + "." + r->substr(key.size() + 2));
  }
  return std::nullopt;
}

Reason validate_network(const std::string& key, const sb::NetworkEntry& n) {
  if (auto r = check_id(key, "network_id", n.network_id())) return r;
  if (auto r = check_key(key, "net/", n.network_id())) return r;
  if (auto r = check_vni(key, n.vni())) return r;
  if (auto r = check_mtu(key, n.mtu())) return r;
  if (!n.encapsulation().empty() && n.encapsulation() != "vxlan") {
    return fail(key, "encapsulation " + quoted(n.encapsulation()) + " is not supported by this agent (vxlan)");
  }
  if (auto r = validate_provider_fields(key, n)) return r;
  for (int i = 0; i < n.flood_vteps_size(); ++i) {
    if (auto r = check_ipv4(key, "flood_vteps[" + std::to_string(i) + "]", n.flood_vteps(i))) return r;
  }
  for (int i = 0; i < n.routed_vteps_size(); ++i) {
    if (auto r = check_ipv4(key, "routed_vteps[" + std::to_string(i) + "]", n.routed_vteps(i))) return r;
  }
  return std::nullopt;
}

Reason validate_local_port(const std::string& key, const sb::LocalPortEntry& p) {
  if (auto r = check_id(key, "port_id", p.port_id())) return r;
  if (auto r = check_key(key, "lport/", p.port_id())) return r;
  if (auto r = check_id(key, "network_id", p.network_id())) return r;
  if (auto r = check_vni(key, p.vni())) return r;
  if (auto r = check_mac(key, p.mac())) return r;
  if (auto r = check_ips(key, p.ips())) return r;
  if (auto r = check_mtu(key, p.mtu())) return r;
  if (p.tap_name() != tap_name_for(p.port_id())) {
    return fail(key, "tap_name " + quoted(p.tap_name()) + " is not " + quoted(tap_name_for(p.port_id())));
  }
  return check_allowed_address_pairs(key, p);
}

Reason validate_remote_port(const std::string& key, const sb::RemotePortEntry& p) {
  if (auto r = check_id(key, "port_id", p.port_id())) return r;
  if (auto r = check_key(key, "rport/", p.port_id())) return r;
  if (auto r = check_id(key, "network_id", p.network_id())) return r;
  if (auto r = check_vni(key, p.vni())) return r;
  if (auto r = check_mac(key, p.mac())) return r;
  if (auto r = check_ips(key, p.ips())) return r;
  return check_ipv4(key, "vtep_ip", p.vtep_ip());
}

}  // namespace

std::string tap_name_for(const std::string& port_id) { return tap_name_for_port(port_id); }

std::optional<std::string> validate_entry(const sb::ViewEntry& entry) {
  const std::string& key = entry.key();
  switch (entry.body_case()) {
    case sb::ViewEntry::kNetwork:
      return validate_network(key, entry.network());
    case sb::ViewEntry::kLocalPort:
      return validate_local_port(key, entry.local_port());
    case sb::ViewEntry::kRemotePort:
      return validate_remote_port(key, entry.remote_port());
    case sb::ViewEntry::kSubnet:
      return validate_subnet(key, entry.subnet());
    case sb::ViewEntry::kRouter:
      return validate_router(key, entry.router());
    case sb::ViewEntry::kSecurityGroup:
      return validate_security_group_entry(key, entry.security_group());
    case sb::ViewEntry::kSecurityGroupMembers:
      return validate_security_group_members_entry(key, entry.security_group_members());
    case sb::ViewEntry::BODY_NOT_SET:
      break;
  }
  return fail(key.empty() ? "(empty key)" : key, "entry has no body");
}

std::optional<std::string> validate_view(const ViewMap& view) {
  std::unordered_map<std::string, std::string> tap_owner;  // tap -> key
  std::unordered_map<uint32_t, std::string> vni_owner;     // vni -> key
  std::unordered_map<std::string, uint32_t> network_vni;   // network_id -> vni
  for (const auto& [key, entry] : view) {
    if (!entry.has_network()) continue;
    auto [it, fresh] = vni_owner.emplace(entry.network().vni(), key);
    if (!fresh) return fail(key, "vni " + std::to_string(entry.network().vni()) + " is also used by " + it->second);
    network_vni[entry.network().network_id()] = entry.network().vni();
  }
  auto check_port_vni = [&](const std::string& key, const std::string& network_id, uint32_t vni) -> Reason {
    auto it = network_vni.find(network_id);
    if (it == network_vni.end()) {
      auto owner = vni_owner.find(vni);
      if (owner != vni_owner.end()) {
        return fail(key, "vni " + std::to_string(vni) + " belongs to " + owner->second + ", not to network " +
                             quoted(network_id));
      }
      return std::nullopt;
    }
    if (it->second != vni) {
      return fail(key, "vni " + std::to_string(vni) + " differs from network " + quoted(network_id) + "'s vni " +
                           std::to_string(it->second));
    }
    return std::nullopt;
  };
  for (const auto& [key, entry] : view) {
    if (entry.has_local_port()) {
      const auto& p = entry.local_port();
      auto [it, fresh] = tap_owner.emplace(p.tap_name(), key);
      if (!fresh) return fail(key, "tap_name " + quoted(p.tap_name()) + " is also used by " + it->second);
      if (auto r = check_port_vni(key, p.network_id(), p.vni())) return r;
    } else if (entry.has_remote_port()) {
      const auto& p = entry.remote_port();
      if (auto r = check_port_vni(key, p.network_id(), p.vni())) return r;
    } else if (entry.has_router()) {
      for (const auto& interface : entry.router().interfaces()) {
        if (auto r = check_port_vni(key, interface.network_id(), interface.vni())) return r;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate_removal_key(const std::string& key) {
  for (const char* prefix : {"net/", "subnet/", "lport/", "rport/", "router/", "sg/", "sgm/"}) {
    std::string p(prefix);
    if (key.size() > p.size() && key.compare(0, p.size(), p) == 0) return std::nullopt;
  }
  return fail(key.empty() ? "(empty key)" : key,
              "removal key is not net/<id>, subnet/<id>, lport/<id>, rport/<id>, router/<id>, sg/<id> or sgm/<id>");
}

}  // namespace overcast::agent

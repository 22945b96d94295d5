#include "agent/view/router_validator.h"

#include <set>

#include "agent/view/view_validator.h"
#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast::agent {

namespace {

using Reason = std::optional<std::string>;

Reason fail(const std::string& key, const std::string& what) { return key + ": " + what; }
std::string quoted(const std::string& s) { return "'" + s + "'"; }

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (c <= ' ' || c == '/' || c == ':' || c == 0x7f) return false;
  }
  return true;
}

Reason check_interface(const std::string& key, const std::string& field, const sb::RouterInterface& interface) {
  if (!valid_id(interface.port_id())) return fail(key, field + ".port_id " + quoted(interface.port_id()) + " is not an id");
  if (!valid_id(interface.network_id())) {
    return fail(key, field + ".network_id " + quoted(interface.network_id()) + " is not an id");
  }
  if (interface.vni() < 1 || interface.vni() > kMaxVni) {
    return fail(key, field + ".vni " + std::to_string(interface.vni()) + " is outside 1..16777215");
  }
  auto address = IpPrefix::parse(interface.address());
  if (!address) return fail(key, field + ".address " + quoted(interface.address()) + " is not an address/length");
  // The router's address is a host of its subnet: not the network's own address, and in
  // IPv4 not the broadcast address (a /31 or /32 has neither).
  if (address->is_network() && address->length < address->max_length() - (address->address.is_v4() ? 1 : 0)) {
    return fail(key, field + ".address " + quoted(interface.address()) + " is the subnet's network address");
  }
  if (address->address.is_v4() && address->length < 31) {
    const uint32_t host_mask = (address->length == 0) ? 0xffffffffu : ~(0xffffffffu << (32 - address->length));
    if ((address->address.v4().value & host_mask) == host_mask) {
      return fail(key, field + ".address " + quoted(interface.address()) + " is the subnet's broadcast address");
    }
  }
  auto mac = MacAddress::parse(interface.mac());
  if (!mac || mac->is_multicast() || mac->is_zero()) {
    return fail(key, field + ".mac " + quoted(interface.mac()) + " is not a unicast MAC address");
  }
  return std::nullopt;
}

bool ipv4_or_empty(const std::string& text) {
  if (text.empty()) return true;
  auto ip = IpAddress::parse(text);
  return ip && ip->is_v4();
}

bool ipv4(const std::string& text) { return !text.empty() && ipv4_or_empty(text); }

// The external leg: an IPv4 address/length (NAT is IPv4 only), a unicast MAC, and the
// gateway host's VTEP as an IPv4 address when there is one.
Reason check_external(const std::string& key, const sb::RouterExternalGateway& external) {
  if (!valid_id(external.network_id())) {
    return fail(key, "external.network_id " + quoted(external.network_id()) + " is not an id");
  }
  auto address = IpPrefix::parse(external.address());
  if (!address || !address->address.is_v4()) {
    return fail(key, "external.address " + quoted(external.address()) + " is not an IPv4 address/length");
  }
  auto mac = MacAddress::parse(external.mac());
  if (!mac || mac->is_multicast() || mac->is_zero()) {
    return fail(key, "external.mac " + quoted(external.mac()) + " is not a unicast MAC address");
  }
  if (!ipv4_or_empty(external.gateway_ip())) {
    return fail(key, "external.gateway_ip " + quoted(external.gateway_ip()) + " is not an IPv4 address");
  }
  if (!ipv4_or_empty(external.gateway_vtep())) {
    return fail(key, "external.gateway_vtep " + quoted(external.gateway_vtep()) + " is not an IPv4 address");
  }
  if (external.gateway_vtep().empty() != external.gateway_host().empty()) {
    return fail(key, "external.gateway_host and gateway_vtep must both be set or both be empty");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate_router(const std::string& key, const sb::RouterEntry& router) {
  if (!valid_id(router.router_id())) return fail(key, "router_id " + quoted(router.router_id()) + " is not an id");
  if (key != "router/" + router.router_id()) {
    return fail(key, "key does not match the body's id (expected " + quoted("router/" + router.router_id()) + ")");
  }
  std::set<std::string> macs;
  for (int i = 0; i < router.interfaces_size(); ++i) {
    const std::string field = "interfaces[" + std::to_string(i) + "]";
    if (auto r = check_interface(key, field, router.interfaces(i))) return r;
    if (!macs.insert(MacAddress::parse(router.interfaces(i).mac())->to_string()).second) {
      return fail(key, field + ".mac " + quoted(router.interfaces(i).mac()) + " is also another interface's");
    }
  }
  for (int i = 0; i < router.routes_size(); ++i) {
    const auto& route = router.routes(i);
    const std::string field = "routes[" + std::to_string(i) + "]";
    auto destination = IpPrefix::parse(route.destination());
    if (!destination || !destination->is_network()) {
      return fail(key, field + ".destination " + quoted(route.destination()) + " is not a network prefix");
    }
    auto nexthop = IpAddress::parse(route.nexthop());
    if (!nexthop) return fail(key, field + ".nexthop " + quoted(route.nexthop()) + " is not an IP address");
    if (nexthop->is_v4() != destination->address.is_v4()) {
      return fail(key, field + ".nexthop " + quoted(route.nexthop()) + " is not of the destination's family");
    }
  }
  if (router.has_external()) {
    if (auto r = check_external(key, router.external())) return r;
  } else if (router.floating_ips_size() > 0) {
    return fail(key, "floating_ips without an external gateway");
  }
  std::set<std::string> floating;
  for (int i = 0; i < router.floating_ips_size(); ++i) {
    const auto& fip = router.floating_ips(i);
    const std::string field = "floating_ips[" + std::to_string(i) + "]";
    if (!ipv4(fip.floating_ip())) return fail(key, field + ".floating_ip " + quoted(fip.floating_ip()) + " is not an IPv4 address");
    if (!ipv4(fip.fixed_ip())) return fail(key, field + ".fixed_ip " + quoted(fip.fixed_ip()) + " is not an IPv4 address");
    if (!valid_id(fip.port_id())) return fail(key, field + ".port_id " + quoted(fip.port_id()) + " is not an id");
    if (!floating.insert(fip.floating_ip()).second) {
      return fail(key, field + ".floating_ip " + quoted(fip.floating_ip()) + " is given twice");
    }
  }
  return std::nullopt;
}

}  // namespace overcast::agent

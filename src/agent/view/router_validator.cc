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
  return std::nullopt;
}

}  // namespace overcast::agent

#include "controller/model/router_queries.h"

#include <algorithm>
#include <set>

#include "common/ip_address.h"

namespace overcast::controller {

namespace {
// Neutron's max_routes default.
constexpr size_t kMaxRoutes = 30;

ModelError invalid_routes(const HostRoute& route, const std::string& reason) {
  return ModelError{400, "InvalidRoutes", "Invalid format for routes: [{'destination': '" + route.destination +
                                              "', 'nexthop': '" + route.nexthop + "'}], " + reason};
}
}  // namespace

ModelError router_not_found(const std::string& id) {
  return ModelError::not_found("RouterNotFound", "Router " + id + " could not be found");
}

ModelError bad_router_request(const std::string& reason) {
  return ModelError{400, "BadRequest", "Bad router request: " + reason};
}

std::vector<const Port*> router_interface_ports(const ModelState& state, const std::string& router_id) {
  std::vector<const Port*> out;
  for (const auto& [id, port] : state.ports()) {
    if (port.device_owner == kOwnerRouterInterface && port.device_id == router_id) out.push_back(&port);
  }
  return out;
}

const Port* router_port_on_subnet(const ModelState& state, const std::string& router_id,
                                  const std::string& subnet_id) {
  for (const Port* port : router_interface_ports(state, router_id)) {
    for (const auto& fixed : port->fixed_ips) {
      if (fixed.subnet_id == subnet_id) return port;
    }
  }
  return nullptr;
}

namespace {
std::vector<const Port*> router_ports(const ModelState& state, const Router& router) {
  std::vector<const Port*> ports = router_interface_ports(state, router.id);
  if (router.gateway) {
    if (const Port* gw = state.find_port(router.gateway->port_id)) ports.push_back(gw);
  }
  return ports;
}
}  // namespace

std::vector<const Subnet*> router_connected_subnets(const ModelState& state, const Router& router) {
  std::vector<const Subnet*> out;
  std::set<std::string> seen;
  for (const Port* port : router_ports(state, router)) {
    for (const auto& fixed : port->fixed_ips) {
      const Subnet* subnet = state.find_subnet(fixed.subnet_id);
      if (subnet && seen.insert(subnet->id).second) out.push_back(subnet);
    }
  }
  return out;
}

std::vector<std::string> router_addresses(const ModelState& state, const Router& router) {
  std::vector<std::string> out;
  for (const Port* port : router_ports(state, router)) {
    for (const auto& fixed : port->fixed_ips) out.push_back(fixed.ip_address);
  }
  return out;
}

Status check_routes(const ModelState& state, const Router& router) {
  if (router.routes.size() > kMaxRoutes) {
    return ModelError{400, "RoutesExhausted", "Unable to complete operation for " + router.id +
                                                  ". The number of routes exceeds the maximum " +
                                                  std::to_string(kMaxRoutes) + "."};
  }
  const auto subnets = router_connected_subnets(state, router);
  const auto own = router_addresses(state, router);
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& route : router.routes) {
    auto destination = IpPrefix::parse(route.destination);
    if (!destination || !destination->is_network()) {
      return invalid_routes(route, "the destination is not a valid network CIDR");
    }
    auto nexthop = IpAddress::parse(route.nexthop);
    if (!nexthop) return invalid_routes(route, "the nexthop is not a valid IP address");
    if (nexthop->version() != destination->address.version()) {
      return invalid_routes(route, "the nexthop and the destination are of different IP versions");
    }
    if (!seen.insert({destination->to_string(), nexthop->to_string()}).second) {
      return invalid_routes(route, "the route is given twice");
    }
    const bool connected = std::any_of(subnets.begin(), subnets.end(), [&](const Subnet* s) {
      auto cidr = IpPrefix::parse(s->cidr);
      return cidr && cidr->contains(*nexthop);
    });
    if (!connected) return invalid_routes(route, "the nexthop is not connected with router");
    for (const auto& address : own) {
      if (IpAddress::parse(address) == nexthop) return invalid_routes(route, "the nexthop is used by router");
    }
  }
  return std::nullopt;
}

std::vector<const FloatingIp*> floating_ips_via(const ModelState& state, const std::string& router_id) {
  std::vector<const FloatingIp*> out;
  for (const auto& [id, fip] : state.floating_ips()) {
    if (fip.router_id == router_id) out.push_back(&fip);
  }
  return out;
}

}  // namespace overcast::controller

// add_router_interface / remove_router_interface: a router joins a subnet by owning a
// port there (the subnet's gateway IP, or a port the caller made).
#include "common/ip_address.h"
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/router_queries.h"
#include "controller/model/subnet_rules.h"

namespace overcast::controller {

namespace {
Status check_one_of(const RouterInterfaceRequest& request, bool removing) {
  if (!request.subnet_id && !request.port_id) {
    return bad_router_request("Either subnet_id or port_id must be specified");
  }
  if (!removing && request.subnet_id && request.port_id) {
    return bad_router_request("Cannot specify both subnet-id and port-id");
  }
  return std::nullopt;
}

// A router routes between its subnets, so two of them may not overlap (tenants with the
// same addresses use different routers).
Status check_joinable(const ModelState& state, const Router& router, const Subnet& subnet) {
  if (router_port_on_subnet(state, router.id, subnet.id)) {
    return bad_router_request("Router " + router.id + " already has a port on subnet " + subnet.id +
                              " (subnet_id).");
  }
  for (const Port* port : router_interface_ports(state, router.id)) {
    for (const auto& fixed : port->fixed_ips) {
      const Subnet* other = state.find_subnet(fixed.subnet_id);
      if (other && subnets_overlap(other->cidr, subnet.cidr)) {
        return bad_router_request("Cidr " + subnet.cidr + " of subnet " + subnet.id + " overlaps with cidr " +
                                  other->cidr + " of subnet " + other->id + " (subnet_id).");
      }
    }
  }
  return std::nullopt;
}

RouterInterfaceInfo interface_info(const Router& router, const Port& port) {
  RouterInterfaceInfo info{router.id, router.project_id, port.id, port.network_id, "", {}};
  for (const auto& fixed : port.fixed_ips) info.subnet_ids.push_back(fixed.subnet_id);
  if (!info.subnet_ids.empty()) info.subnet_id = info.subnet_ids.front();
  return info;
}

// Whether `ip` (text) lies in the subnet's cidr.
bool in_subnet(const Subnet& subnet, const std::string& ip) {
  auto cidr = IpPrefix::parse(subnet.cidr);
  auto address = IpAddress::parse(ip);
  return cidr && address && cidr->contains(*address);
}

// Floating IPs and static routes that need the router's interface on `subnet`.
Status check_interface_unused(const ModelState& state, const Router& router, const Subnet& subnet) {
  for (const FloatingIp* fip : floating_ips_via(state, router.id)) {
    if (in_subnet(subnet, fip->fixed_ip_address)) {
      return ModelError::conflict("RouterInterfaceInUseByFloatingIP",
                                  "Router interface for subnet " + subnet.id + " on router " + router.id +
                                      " cannot be deleted, as it is required by one or more floating IPs.");
    }
  }
  for (const auto& route : router.routes) {
    if (in_subnet(subnet, route.nexthop)) {
      return ModelError::conflict("RouterInterfaceInUseByRoute",
                                  "Router interface for subnet " + subnet.id + " on router " + router.id +
                                      " cannot be deleted, as it is required by one or more routes.");
    }
  }
  return std::nullopt;
}
}  // namespace

Result<RouterInterfaceInfo> LogicalModel::add_router_interface(const std::string& id,
                                                               const RouterInterfaceRequest& request) {
  RouterInterfaceInfo info;
  Status error = run_write([&](Transaction& tx) -> Status {
    const ModelState& state = tx.state();
    const Router* router = state.find_router(id);
    if (!router) return router_not_found(id);
    if (Status e = check_one_of(request, false)) return e;
    if (request.subnet_id) {
      const Subnet* subnet = state.find_subnet(*request.subnet_id);
      if (!subnet) {
        return ModelError::not_found("SubnetNotFound", "Subnet " + *request.subnet_id + " could not be found.");
      }
      if (!subnet->gateway_ip) {
        return bad_router_request("Subnet " + subnet->id + " for router interface must have a gateway IP (subnet_id).");
      }
      if (Status e = check_joinable(state, *router, *subnet)) return e;
      PortCreate port;
      port.project_id = router->project_id;
      port.network_id = subnet->network_id;
      port.device_id = router->id;
      port.device_owner = kOwnerRouterInterface;
      port.fixed_ips = std::vector<FixedIpRequest>{{subnet->id, *subnet->gateway_ip}};
      Port created;
      if (Status e = create_port(tx, port, created)) return e;
      info = interface_info(*router, created);
      return std::nullopt;
    }
    const Port* current = state.find_port(*request.port_id);
    if (!current) return ModelError::not_found("PortNotFound", "Port " + *request.port_id + " could not be found.");
    if (!current->device_id.empty() || !current->device_owner.empty()) {
      return ModelError::conflict("PortInUse", "Unable to complete operation on port " + current->id +
                                                   " for network " + current->network_id +
                                                   ". Port already has an attached device " +
                                                   (current->device_id.empty() ? current->device_owner
                                                                               : current->device_id) + ".");
    }
    if (current->fixed_ips.empty()) return bad_router_request("Router port must have at least one fixed IP (port_id).");
    for (const auto& fixed : current->fixed_ips) {
      if (Status e = check_joinable(state, *router, *state.find_subnet(fixed.subnet_id))) return e;
    }
    Port p = *current;
    p.device_id = router->id;
    p.device_owner = kOwnerRouterInterface;
    // A router port is filtered by no security group, as in Neutron.
    p.security_groups.clear();
    p.updated_at = utc_timestamp_now();
    ++p.revision_number;
    const Router owner = *router;
    tx.put_port(p);
    info = interface_info(owner, p);
    return std::nullopt;
  });
  if (error) return *error;
  return info;
}

Result<RouterInterfaceInfo> LogicalModel::remove_router_interface(const std::string& id,
                                                                  const RouterInterfaceRequest& request) {
  RouterInterfaceInfo info;
  Status error = run_write([&](Transaction& tx) -> Status {
    const ModelState& state = tx.state();
    const Router* found = state.find_router(id);
    if (!found) return router_not_found(id);
    const Router router = *found;
    if (Status e = check_one_of(request, true)) return e;
    const Port* port = nullptr;
    if (request.port_id) {
      port = state.find_port(*request.port_id);
      if (!port || port->device_owner != kOwnerRouterInterface || port->device_id != id) {
        return ModelError::not_found("RouterInterfaceNotFound",
                                     "Router " + id + " does not have an interface with id " + *request.port_id);
      }
      if (request.subnet_id && !router_port_on_subnet(state, id, *request.subnet_id)) {
        return bad_router_request("Subnet " + *request.subnet_id + " is not on port " + *request.port_id +
                                  " (subnet_id).");
      }
    } else {
      port = router_port_on_subnet(state, id, *request.subnet_id);
      if (!port) {
        return ModelError::not_found("RouterInterfaceNotFoundForSubnet",
                                     "Router " + id + " has no interface on subnet " + *request.subnet_id);
      }
    }
    Port p = *port;
    info = interface_info(router, p);
    if (request.subnet_id) info.subnet_id = *request.subnet_id;
    // By subnet, only that subnet's address goes; the port goes with its last one.
    std::vector<FixedIp> kept;
    for (const auto& fixed : p.fixed_ips) {
      const bool removed = !request.subnet_id || request.port_id || fixed.subnet_id == *request.subnet_id;
      if (!removed) {
        kept.push_back(fixed);
        continue;
      }
      if (const Subnet* subnet = state.find_subnet(fixed.subnet_id)) {
        if (Status e = check_interface_unused(state, router, *subnet)) return e;
      }
    }
    if (kept.empty()) {
      tx.erase_port(p.id);
    } else {
      p.fixed_ips = kept;
      p.updated_at = utc_timestamp_now();
      ++p.revision_number;
      tx.put_port(p);
    }
    return std::nullopt;
  });
  if (error) return *error;
  return info;
}

}  // namespace overcast::controller

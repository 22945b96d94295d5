// Floating IP writes: an address on an external network (held by a port there), and
// its association with a port's fixed IP through the router that joins the two.
#include "common/ip_address.h"
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/router_queries.h"

namespace overcast::controller {

namespace {
ModelError floating_ip_not_found(const std::string& id) {
  return ModelError::not_found("FloatingIPNotFound", "Floating IP " + id + " could not be found");
}

// The router that reaches `subnet` from external network `network_id`: its gateway is on
// that network and it has an interface on the subnet.
const Router* router_between(const ModelState& state, const std::string& network_id, const Subnet& subnet) {
  for (const auto& [id, router] : state.routers()) {
    if (router.gateway && router.gateway->network_id == network_id && router_port_on_subnet(state, id, subnet.id)) {
      return &router;
    }
  }
  return nullptr;
}

// Points `fip` at a port's fixed IP (the given one, or the port's only IPv4 address).
Status associate(const ModelState& state, const std::string& port_id, const std::optional<std::string>& fixed_ip,
                 FloatingIp& fip) {
  const Port* port = state.find_port(port_id);
  if (!port) return ModelError::not_found("PortNotFound", "Port " + port_id + " could not be found.");
  if (port->network_id == fip.floating_network_id) {
    return ModelError::bad_request("Invalid input for port_id. Reason: port " + port_id +
                                   " is on the floating IP's own external network.");
  }
  const FixedIp* chosen = nullptr;
  int ipv4_count = 0;
  for (const auto& fixed : port->fixed_ips) {
    auto ip = IpAddress::parse(fixed.ip_address);
    if (!ip || !ip->is_v4()) continue;
    ++ipv4_count;
    if (!fixed_ip || IpAddress::parse(*fixed_ip) == ip) chosen = &fixed;
  }
  if (ipv4_count == 0) {
    return ModelError::bad_request("Port " + port_id + " does not have any IPv4 fixed IP; a floating IP needs one "
                                   "(port_id).");
  }
  if (fixed_ip && !chosen) {
    return ModelError::bad_request("Port " + port_id + " does not have fixed ip " + *fixed_ip +
                                   " (fixed_ip_address).");
  }
  if (!fixed_ip && ipv4_count > 1) {
    return ModelError::bad_request("Port " + port_id + " has multiple fixed IPv4 addresses. Must provide a specific "
                                   "IPv4 address when assigning a floating IP (fixed_ip_address).");
  }
  for (const auto& [id, other] : state.floating_ips()) {
    if (id != fip.id && other.port_id == port_id && other.fixed_ip_address == chosen->ip_address) {
      return ModelError::conflict("FloatingIPPortAlreadyAssociated",
                                  "Cannot associate floating IP " + fip.floating_ip_address + " (" + fip.id +
                                      ") with port " + port_id + " using fixed IP " + chosen->ip_address +
                                      ", as that fixed IP already has a floating IP on external network " +
                                      other.floating_network_id + ".");
    }
  }
  const Subnet* subnet = state.find_subnet(chosen->subnet_id);
  const Router* router = subnet ? router_between(state, fip.floating_network_id, *subnet) : nullptr;
  if (!router) {
    return ModelError::not_found("ExternalGatewayForFloatingIPNotFound",
                                 "External network " + fip.floating_network_id + " is not reachable from subnet " +
                                     chosen->subnet_id + ".  Therefore, cannot associate Port " + port_id +
                                     " with a Floating IP.");
  }
  fip.port_id = port_id;
  fip.fixed_ip_address = chosen->ip_address;
  fip.router_id = router->id;
  return std::nullopt;
}
}  // namespace

Status LogicalModel::create_floating_ip(Transaction& tx, const FloatingIpCreate& request, FloatingIp& created) {
  const ModelState& state = tx.state();
  const Network* network = state.find_network(request.floating_network_id);
  if (!network) {
    return ModelError::not_found("NetworkNotFound",
                                 "Network " + request.floating_network_id + " could not be found (floating_network_id).");
  }
  if (!network->external) {
    return ModelError::bad_request("Bad floatingip request: Network " + network->id +
                                   " is not a valid external network (floating_network_id).");
  }
  FloatingIp f;
  f.id = make_uuid();
  f.project_id = request.project_id;
  f.description = request.description;
  f.floating_network_id = network->id;
  PortCreate port;
  port.project_id = request.project_id;
  port.network_id = network->id;
  port.device_id = f.id;
  port.device_owner = kOwnerFloatingIp;
  FixedIpRequest address{request.subnet_id, request.floating_ip_address};
  if (request.subnet_id || request.floating_ip_address) {
    port.fixed_ips = std::vector<FixedIpRequest>{address};
  }
  Port held;
  if (Status e = create_port(tx, port, held)) return e;
  // One address: the first IPv4 one when the network has several subnets.
  const FixedIp* chosen = nullptr;
  for (const auto& fixed : held.fixed_ips) {
    auto ip = IpAddress::parse(fixed.ip_address);
    if (ip && ip->is_v4()) {
      chosen = &fixed;
      break;
    }
  }
  if (!chosen) {
    return ModelError::bad_request("Bad floatingip request: no IPv4 address is available on external network " +
                                   network->id + " (floating_network_id).");
  }
  if (held.fixed_ips.size() > 1) {
    const FixedIp keep = *chosen;
    held.fixed_ips = {keep};
    tx.put_port(held);
  }
  f.floating_ip_address = held.fixed_ips.front().ip_address;
  f.floating_port_id = held.id;
  if (request.port_id) {
    if (Status e = associate(state, *request.port_id, request.fixed_ip_address, f)) return e;
  } else if (request.fixed_ip_address) {
    return ModelError::bad_request("Invalid input: fixed_ip_address needs a port_id.");
  }
  f.created_at = f.updated_at = utc_timestamp_now();
  tx.put_floating_ip(f);
  created = f;
  return std::nullopt;
}

FloatingIpView LogicalModel::floating_ip_view(const FloatingIp& floating_ip) const {
  FloatingIpView view{floating_ip, "DOWN"};
  if (floating_ip.router_id.empty()) return view;
  // Active when something can do its NAT: an alive gateway host of its router.
  const Router* router = state_.find_router(floating_ip.router_id);
  if (router == nullptr) return view;
  for (const auto& gateway : gateway_agents(*router)) {
    if (gateway.ha_state == "active") view.status = "ACTIVE";
  }
  return view;
}

std::vector<FloatingIpView> LogicalModel::list_floating_ips() const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  std::vector<FloatingIpView> out;
  for (const auto& [id, f] : state_.floating_ips()) out.push_back(floating_ip_view(f));
  return out;
}

Result<FloatingIpView> LogicalModel::show_floating_ip(const std::string& id) const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  const FloatingIp* f = state_.find_floating_ip(id);
  if (!f) return floating_ip_not_found(id);
  return floating_ip_view(*f);
}

Result<std::vector<FloatingIpView>> LogicalModel::create_floating_ips(const std::vector<FloatingIpCreate>& requests) {
  std::vector<FloatingIp> created_ips;
  Status error = run_write([&](Transaction& tx) -> Status {
    for (const auto& request : requests) {
      FloatingIp created;
      if (Status e = create_floating_ip(tx, request, created)) return e;
      created_ips.push_back(created);
    }
    return std::nullopt;
  });
  if (error) return *error;
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  std::vector<FloatingIpView> views;
  for (const auto& f : created_ips) views.push_back(floating_ip_view(f));
  return views;
}

Result<FloatingIpView> LogicalModel::update_floating_ip(const std::string& id, const FloatingIpUpdate& update) {
  FloatingIp updated;
  Status error = run_write([&](Transaction& tx) -> Status {
    const FloatingIp* current = tx.state().find_floating_ip(id);
    if (!current) return floating_ip_not_found(id);
    FloatingIp f = *current;
    if (update.port_id) {
      f.port_id.clear();
      f.fixed_ip_address.clear();
      f.router_id.clear();
      if (*update.port_id) {
        if (Status e = associate(tx.state(), **update.port_id, update.fixed_ip_address, f)) return e;
      }
    } else if (update.fixed_ip_address) {
      if (f.port_id.empty()) return ModelError::bad_request("Invalid input: fixed_ip_address needs a port_id.");
      const std::string port_id = f.port_id;
      if (Status e = associate(tx.state(), port_id, update.fixed_ip_address, f)) return e;
    }
    if (update.description) f.description = *update.description;
    f.updated_at = utc_timestamp_now();
    ++f.revision_number;
    tx.put_floating_ip(f);
    updated = f;
    return std::nullopt;
  });
  if (error) return *error;
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  return floating_ip_view(updated);
}

Status LogicalModel::delete_floating_ip(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    const FloatingIp* f = tx.state().find_floating_ip(id);
    if (!f) return floating_ip_not_found(id);
    const std::string port_id = f->floating_port_id;
    tx.erase_floating_ip(id);
    tx.erase_port(port_id);
    return std::nullopt;
  });
}

}  // namespace overcast::controller

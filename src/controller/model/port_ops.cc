// Port writes: MAC and fixed IP allocation, binding, status bookkeeping.
#include <algorithm>

#include "common/mac_address.h"
#include "controller/model/identity.h"
#include "controller/model/ip_allocator.h"
#include "controller/model/logical_model.h"
#include "controller/model/port_security.h"

namespace overcast::controller {

namespace {
// A random MAC collides with probability (ports on the network) / 2^24 per try.
constexpr int kMacAttempts = 32;

Status choose_mac(const ModelState& state, const std::string& network_id, const std::string& port_id,
                  const std::optional<std::string>& requested, std::string& mac) {
  if (requested) {
    auto parsed = MacAddress::parse(*requested);
    if (!parsed || parsed->is_multicast() || parsed->is_zero()) {
      return ModelError::bad_request("Invalid input for mac_address. Reason: '" + *requested +
                                     "' is not a valid unicast MAC address.");
    }
    mac = parsed->to_string();
    auto owner = state.mac_owner(network_id, mac);
    if (owner && *owner != port_id) {
      return ModelError::conflict("MacAddressInUse", "Unable to complete operation for network " + network_id +
                                                         ". The mac address " + mac + " is in use.");
    }
    return std::nullopt;
  }
  for (int attempt = 0; attempt < kMacAttempts; ++attempt) {
    mac = make_port_mac();
    if (!state.mac_owner(network_id, mac)) return std::nullopt;
  }
  return ModelError{503, "MacAddressGenerationFailure",
                    "Unable to generate unique mac on network " + network_id + "."};
}

// Floating IPs of `port_id` whose fixed IP is not in `kept` lose their association (the
// address they pointed at is gone), as when the port is deleted; they stay allocated.
void release_floating_ips(Transaction& tx, const std::string& port_id, const std::vector<FixedIp>& kept) {
  std::vector<FloatingIp> released;
  for (const auto& [fip_id, fip] : tx.state().floating_ips()) {
    if (fip.port_id != port_id) continue;
    const bool still_there = std::any_of(kept.begin(), kept.end(),
                                         [&](const FixedIp& f) { return f.ip_address == fip.fixed_ip_address; });
    if (!still_there) released.push_back(fip);
  }
  for (FloatingIp& fip : released) {
    fip.port_id.clear();
    fip.fixed_ip_address.clear();
    fip.router_id.clear();
    fip.updated_at = utc_timestamp_now();
    ++fip.revision_number;
    tx.put_floating_ip(fip);
  }
}

ModelError port_not_found(const std::string& id) {
  return ModelError::not_found("PortNotFound", "Port " + id + " could not be found.");
}
}  // namespace

Status LogicalModel::create_port(Transaction& tx, const PortCreate& request, Port& created) {
  const ModelState& state = tx.state();
  const Network* network = state.find_network(request.network_id);
  if (!network) {
    return ModelError::not_found("NetworkNotFound", "Network " + request.network_id + " could not be found.");
  }
  Port p;
  p.id = make_uuid();
  p.network_id = request.network_id;
  p.project_id = request.project_id;
  p.name = request.name;
  p.description = request.description;
  p.device_id = request.device_id;
  p.device_owner = request.device_owner;
  p.admin_state_up = request.admin_state_up;
  p.port_security_enabled = request.port_security_enabled.value_or(network->port_security_enabled);
  p.binding_host_id = request.binding_host_id;
  p.binding_profile = request.binding_profile;
  if (Status e = choose_mac(state, p.network_id, p.id, request.mac_address, p.mac_address)) return e;
  const bool router_interface = p.device_owner == kOwnerRouterInterface;
  if (Status e = allocate_fixed_ips(state, p.network_id, p.id, request.fixed_ips, p.fixed_ips, router_interface)) {
    return e;
  }
  if (request.security_groups) {
    if (Status e = set_security_groups(state, *request.security_groups, p)) return e;
  } else if (p.port_security_enabled && !is_service_port(p)) {
    auto group = default_security_group(tx, p.project_id);
    if (!group) return group.error();
    p.security_groups = {group.value()};
  }
  if (request.allowed_address_pairs) {
    if (Status e = set_address_pairs(*request.allowed_address_pairs, p)) return e;
  }
  if (Status e = check_port_security(p, false)) return e;
  p.created_at = p.updated_at = utc_timestamp_now();
  tx.put_port(p);
  created = p;
  return std::nullopt;
}

Result<std::vector<PortView>> LogicalModel::create_ports(const std::vector<PortCreate>& requests) {
  std::vector<Port> created_ports;
  Status error = run_write([&](Transaction& tx) -> Status {
    created_ports.clear();  // the body runs again when a shared store found the model stale
    for (const auto& request : requests) {
      Port created;
      if (Status e = create_port(tx, request, created)) return e;
      created_ports.push_back(std::move(created));
    }
    return std::nullopt;
  });
  if (error) return *error;
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  std::vector<PortView> views;
  for (const auto& p : created_ports) views.push_back(port_view(p));
  return views;
}

Result<PortView> LogicalModel::update_port(const std::string& id, const PortUpdate& update) {
  Port updated;
  bool host_changed = false;
  Status error = run_write([&](Transaction& tx) -> Status {
    const ModelState& state = tx.state();
    const Port* current = state.find_port(id);
    if (!current) return port_not_found(id);
    Port p = *current;
    if (update.mac_address) {
      if (Status e = choose_mac(state, p.network_id, p.id, update.mac_address, p.mac_address)) return e;
    }
    if (update.fixed_ips) {
      if (Status e = allocate_fixed_ips(state, p.network_id, p.id, update.fixed_ips, p.fixed_ips,
                                        p.device_owner == kOwnerRouterInterface)) {
        return e;
      }
    }
    if (update.name) p.name = *update.name;
    if (update.description) p.description = *update.description;
    if (update.device_id) p.device_id = *update.device_id;
    if (update.device_owner) p.device_owner = *update.device_owner;
    if (update.binding_host_id) p.binding_host_id = *update.binding_host_id;
    if (update.admin_state_up) p.admin_state_up = *update.admin_state_up;
    if (update.port_security_enabled) p.port_security_enabled = *update.port_security_enabled;
    if (update.binding_profile) p.binding_profile = *update.binding_profile;
    if (update.security_groups) {
      if (Status e = set_security_groups(state, *update.security_groups, p)) return e;
    }
    if (update.allowed_address_pairs) {
      if (Status e = set_address_pairs(*update.allowed_address_pairs, p)) return e;
    }
    if (Status e = check_port_security(p, true)) return e;
    p.updated_at = utc_timestamp_now();
    ++p.revision_number;
    host_changed = p.binding_host_id != current->binding_host_id;
    if (update.fixed_ips) release_floating_ips(tx, id, p.fixed_ips);
    tx.put_port(p);  // `current` is stale from here on
    updated = p;
    return std::nullopt;
  });
  if (error) return *error;
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  // The new host's agent has not reported this port yet.
  if (host_changed) port_up_.erase(id);
  return port_view(updated);
}

Status LogicalModel::delete_port(const std::string& id) {
  Status error = run_write([&](Transaction& tx) -> Status {
    const Port* port = tx.state().find_port(id);
    if (!port) return port_not_found(id);
    const std::string& owner = port->device_owner;
    if (owner == kOwnerRouterInterface || owner == kOwnerRouterGateway || owner == kOwnerFloatingIp) {
      return ModelError::conflict("ServicePortInUse", "Port " + id + " cannot be deleted directly via the port "
                                                      "API: has device owner " + owner + ".");
    }
    // Its floating IPs stay allocated, disassociated (as in Neutron).
    release_floating_ips(tx, id, {});
    tx.erase_port(id);
    return std::nullopt;
  });
  if (!error) {
    std::lock_guard live(liveness_mutex_);
    port_up_.erase(id);
  }
  return error;
}

void LogicalModel::set_port_status(const std::string& port_id, bool up) {
  std::shared_lock lock(mutex_);
  if (!state_.find_port(port_id)) return;  // a report racing the port's deletion
  std::lock_guard live(liveness_mutex_);
  port_up_[port_id] = up;
}

}  // namespace overcast::controller

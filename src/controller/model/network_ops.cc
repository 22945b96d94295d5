// Network writes: VNI allocation, MTU limits, deletion rules.
#include <string>

#include "controller/model/identity.h"
#include "controller/model/logical_model.h"

namespace overcast::controller {

namespace {
// IPv6 needs links of at least 1280 bytes (RFC 8200 section 5).
constexpr int64_t kMinIpv6Mtu = 1280;
constexpr int64_t kMinIpv4Mtu = 68;

bool has_ipv6_subnet(const ModelState& state, const std::string& network_id) {
  for (const auto& subnet_id : state.subnets_of(network_id)) {
    if (state.find_subnet(subnet_id)->ip_version == 6) return true;
  }
  return false;
}

Status check_mtu(const ModelState& state, const std::string& network_id, int64_t mtu,
                 uint32_t max_mtu) {
  if (mtu > max_mtu) {
    return ModelError::bad_request("Invalid input for mtu. Reason: Requested MTU is too big, maximum is " +
                                   std::to_string(max_mtu) + " (underlay MTU minus 50 bytes of VXLAN).");
  }
  if (mtu < kMinIpv4Mtu) {
    return ModelError::bad_request("Invalid input for mtu. Reason: " + std::to_string(mtu) +
                                   " is too small, minimum is 68.");
  }
  if (mtu < kMinIpv6Mtu && has_ipv6_subnet(state, network_id)) {
    return ModelError::bad_request("Invalid input for mtu. Reason: the network has IPv6 subnets, "
                                   "which need an MTU of at least 1280.");
  }
  return std::nullopt;
}
}  // namespace

Status LogicalModel::create_network(Transaction& tx, const NetworkCreate& request, Network& created) {
  const ModelState& state = tx.state();
  Network n;
  n.id = make_uuid();
  n.name = request.name;
  n.project_id = request.project_id;
  n.description = request.description;
  n.admin_state_up = request.admin_state_up;
  n.shared = request.shared;
  n.port_security_enabled = request.port_security_enabled;
  n.mtu = max_network_mtu();
  if (request.mtu) {
    if (Status e = check_mtu(state, n.id, *request.mtu, max_network_mtu())) return e;
    n.mtu = static_cast<uint32_t>(*request.mtu);
  }
  if (request.vni) {
    if (*request.vni < kMinVni || *request.vni > kMaxVni) {
      return ModelError::bad_request("Invalid input for provider:segmentation_id. Reason: " +
                                     std::to_string(*request.vni) +
                                     " is not a valid VXLAN VNI (1..16777215).");
    }
    n.vni = static_cast<uint32_t>(*request.vni);
    if (state.vni_in_use(n.vni)) {
      return ModelError::conflict("TunnelIdInUse", "Unable to create the network. The tunnel ID (VNI) " +
                                                       std::to_string(n.vni) + " is in use.");
    }
  } else {
    auto vni = state.lowest_free_vni(kMinVni, kMaxVni);
    if (!vni) {
      return ModelError{503, "NoNetworkAvailable",
                        "Unable to create the network. No tenant network (VNI) is available for allocation."};
    }
    n.vni = *vni;
  }
  n.created_at = n.updated_at = utc_timestamp_now();
  tx.put_network(n);
  created = n;
  return std::nullopt;
}

Result<std::vector<NetworkView>> LogicalModel::create_networks(const std::vector<NetworkCreate>& requests) {
  std::vector<NetworkView> views;
  Status error = run_write([&](Transaction& tx) -> Status {
    views.clear();  // the body runs again when a shared store found the model stale
    for (const auto& request : requests) {
      Network created;
      if (Status e = create_network(tx, request, created)) return e;
      views.push_back(network_view(created));
    }
    return std::nullopt;
  });
  if (error) return *error;
  return views;
}

Result<NetworkView> LogicalModel::update_network(const std::string& id, const NetworkUpdate& update) {
  NetworkView view;
  Status error = run_write([&](Transaction& tx) -> Status {
    const Network* current = tx.state().find_network(id);
    if (!current) return ModelError::not_found("NetworkNotFound", "Network " + id + " could not be found.");
    Network n = *current;
    if (update.mtu) {
      if (Status e = check_mtu(tx.state(), id, *update.mtu, max_network_mtu())) return e;
      n.mtu = static_cast<uint32_t>(*update.mtu);
    }
    if (update.name) n.name = *update.name;
    if (update.description) n.description = *update.description;
    if (update.admin_state_up) n.admin_state_up = *update.admin_state_up;
    if (update.shared) n.shared = *update.shared;
    if (update.port_security_enabled) n.port_security_enabled = *update.port_security_enabled;
    n.updated_at = utc_timestamp_now();
    ++n.revision_number;
    tx.put_network(n);
    view = network_view(n);
    return std::nullopt;
  });
  if (error) return *error;
  return view;
}

Status LogicalModel::delete_network(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    if (!tx.state().find_network(id)) {
      return ModelError::not_found("NetworkNotFound", "Network " + id + " could not be found.");
    }
    if (!tx.state().ports_of(id).empty()) {
      return ModelError::conflict("NetworkInUse", "Unable to complete operation on network " + id +
                                                      ". There are one or more ports still in use on the network.");
    }
    // Subnets without ports go with their network, as in Neutron.
    const auto subnets = tx.state().subnets_of(id);
    for (const auto& subnet_id : subnets) tx.erase_subnet(subnet_id);
    tx.erase_network(id);
    return std::nullopt;
  });
}

}  // namespace overcast::controller

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
                                   std::to_string(max_mtu) +
                                   " (the physical network's MTU; for vxlan minus 50 bytes of VXLAN).");
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
constexpr int64_t kMinVlan = 1;
constexpr int64_t kMaxVlan = 4094;
constexpr size_t kMaxPhysnetLength = 64;

bool vlan_in_use(const ModelState& state, const std::string& physnet, uint32_t vlan) {
  for (const auto& [id, n] : state.networks()) {
    if (n.network_type == "vlan" && n.physical_network == physnet && n.vlan_id == vlan) return true;
  }
  return false;
}

// provider:network_type, provider:physical_network and provider:segmentation_id, as
// Neutron's type drivers check them: vxlan takes a VNI and no physnet; flat takes a
// physnet (one flat network each) and no id; vlan takes a physnet and a VLAN id unique
// on it (the lowest free one when not given).
Status apply_provider(const ModelState& state, const NetworkCreate& request, Network& n) {
  n.network_type = request.network_type.value_or("vxlan");
  const std::string& type = n.network_type;
  if (type != "vxlan" && type != "flat" && type != "vlan") {
    return ModelError::bad_request("Invalid input for provider:network_type. Reason: network type '" + type +
                                   "' is not supported (vxlan, flat, vlan).");
  }
  const std::string physnet = request.physical_network.value_or("");
  if (type == "vxlan") {
    if (!physnet.empty()) {
      return ModelError::bad_request("Invalid input for provider:physical_network. Reason: "
                                     "physical_network not allowed for vxlan provider network.");
    }
    return std::nullopt;
  }
  if (physnet.empty()) {
    return ModelError::bad_request("Invalid input for provider:physical_network. Reason: physical_network "
                                   "required for " + type + " provider network.");
  }
  if (physnet.size() > kMaxPhysnetLength || physnet.find_first_of(": \t") != std::string::npos) {
    return ModelError::bad_request("Invalid input for provider:physical_network. Reason: '" + physnet +
                                   "' is not a physical network name (1..64 characters, no ':' or blanks).");
  }
  n.physical_network = physnet;
  if (type == "flat") {
    if (request.segmentation_id) {
      return ModelError::bad_request("Invalid input for provider:segmentation_id. Reason: "
                                     "segmentation_id not allowed for flat provider network.");
    }
    for (const auto& [id, other] : state.networks()) {
      if (other.network_type == "flat" && other.physical_network == physnet) {
        return ModelError::conflict("FlatNetworkInUse", "Unable to create the flat network. Physical network " +
                                                            physnet + " is in use.");
      }
    }
    return std::nullopt;
  }
  if (request.segmentation_id) {
    const int64_t vlan = *request.segmentation_id;
    if (vlan < kMinVlan || vlan > kMaxVlan) {
      return ModelError::bad_request("Invalid input for provider:segmentation_id. Reason: " + std::to_string(vlan) +
                                     " is not a valid VLAN tag (1..4094).");
    }
    if (vlan_in_use(state, physnet, static_cast<uint32_t>(vlan))) {
      return ModelError::conflict("VlanIdInUse", "Unable to create the network. The VLAN " + std::to_string(vlan) +
                                                     " on physical network " + physnet + " is in use.");
    }
    n.vlan_id = static_cast<uint32_t>(vlan);
    return std::nullopt;
  }
  for (int64_t vlan = kMinVlan; vlan <= kMaxVlan; ++vlan) {
    if (!vlan_in_use(state, physnet, static_cast<uint32_t>(vlan))) {
      n.vlan_id = static_cast<uint32_t>(vlan);
      return std::nullopt;
    }
  }
  return ModelError{503, "NoNetworkAvailable",
                    "Unable to create the network. No VLAN on physical network " + physnet + " is available."};
}

bool holds_external_ports(const ModelState& state, const std::string& network_id) {
  for (const auto& port_id : state.ports_of(network_id)) {
    const std::string& owner = state.find_port(port_id)->device_owner;
    if (owner == kOwnerRouterGateway || owner == kOwnerFloatingIp) return true;
  }
  return false;
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
  n.external = request.external;
  if (Status e = apply_provider(state, request, n)) return e;
  n.mtu = max_mtu_of_type(n.network_type);
  if (request.mtu) {
    if (Status e = check_mtu(state, n.id, *request.mtu, n.mtu)) return e;
    n.mtu = static_cast<uint32_t>(*request.mtu);
  }
  const std::optional<int64_t> vni = n.network_type == "vxlan" ? request.segmentation_id : std::nullopt;
  if (vni) {
    if (*vni < kMinVni || *vni > kMaxVni) {
      return ModelError::bad_request("Invalid input for provider:segmentation_id. Reason: " +
                                     std::to_string(*vni) +
                                     " is not a valid VXLAN VNI (1..16777215).");
    }
    n.vni = static_cast<uint32_t>(*vni);
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
      if (Status e = check_mtu(tx.state(), id, *update.mtu, max_mtu_of_type(n.network_type))) return e;
      n.mtu = static_cast<uint32_t>(*update.mtu);
    }
    if (update.name) n.name = *update.name;
    if (update.description) n.description = *update.description;
    if (update.admin_state_up) n.admin_state_up = *update.admin_state_up;
    if (update.shared) n.shared = *update.shared;
    if (update.port_security_enabled) n.port_security_enabled = *update.port_security_enabled;
    if (update.external) {
      if (!*update.external && n.external && holds_external_ports(tx.state(), id)) {
        return ModelError::conflict("ExternalNetworkInUse", "External network " + id +
                                                                " cannot be updated, as it is used by one or "
                                                                "more router gateways or floating IPs.");
      }
      n.external = *update.external;
    }
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

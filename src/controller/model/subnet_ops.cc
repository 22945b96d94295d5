// Subnet writes: per-network overlap, the network's MTU for IPv6, deletion rules.
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/subnet_rules.h"

namespace overcast::controller {

Status LogicalModel::create_subnet(Transaction& tx, const SubnetCreate& request, Subnet& created) {
  const ModelState& state = tx.state();
  const Network* network = state.find_network(request.network_id);
  if (!network) {
    return ModelError::not_found("NetworkNotFound", "Network " + request.network_id + " could not be found.");
  }
  Subnet s;
  s.id = make_uuid();
  s.network_id = request.network_id;
  s.project_id = request.project_id;
  s.name = request.name;
  s.description = request.description;
  s.enable_dhcp = request.enable_dhcp;
  if (Status e = apply_subnet_rules(request, s)) return e;
  if (s.ip_version == 6 && network->mtu < 1280) {
    return ModelError::bad_request("Invalid input for ip_version. Reason: network " + network->id +
                                   " has MTU " + std::to_string(network->mtu) +
                                   ", IPv6 needs at least 1280.");
  }
  for (const auto& other_id : state.subnets_of(s.network_id)) {
    const Subnet* other = state.find_subnet(other_id);
    if (subnets_overlap(other->cidr, s.cidr)) {
      return ModelError::bad_request("Invalid input for cidr. Reason: requested subnet with cidr " + s.cidr +
                                     " for network " + s.network_id + " overlaps with subnet " + other->id +
                                     " (" + other->cidr + ").");
    }
  }
  s.created_at = s.updated_at = utc_timestamp_now();
  tx.put_subnet(s);
  created = s;
  return std::nullopt;
}

Result<std::vector<Subnet>> LogicalModel::create_subnets(const std::vector<SubnetCreate>& requests) {
  std::vector<Subnet> subnets;
  Status error = run_write([&](Transaction& tx) -> Status {
    subnets.clear();  // the body runs again when a shared store found the model stale
    for (const auto& request : requests) {
      Subnet created;
      if (Status e = create_subnet(tx, request, created)) return e;
      subnets.push_back(std::move(created));
    }
    return std::nullopt;
  });
  if (error) return *error;
  return subnets;
}

Result<Subnet> LogicalModel::update_subnet(const std::string& id, const SubnetUpdate& update) {
  Subnet result;
  Status error = run_write([&](Transaction& tx) -> Status {
    const Subnet* current = tx.state().find_subnet(id);
    if (!current) return ModelError::not_found("SubnetNotFound", "Subnet " + id + " could not be found.");
    Subnet s = *current;
    if (update.dns_nameservers) {
      if (Status e = check_dns_nameservers(*update.dns_nameservers, s.ip_version)) return e;
      s.dns_nameservers = *update.dns_nameservers;
    }
    if (update.host_routes) {
      if (Status e = check_host_routes(*update.host_routes, s.ip_version)) return e;
      s.host_routes = *update.host_routes;
    }
    if (update.name) s.name = *update.name;
    if (update.description) s.description = *update.description;
    if (update.enable_dhcp) s.enable_dhcp = *update.enable_dhcp;
    s.updated_at = utc_timestamp_now();
    ++s.revision_number;
    tx.put_subnet(s);
    result = s;
    return std::nullopt;
  });
  if (error) return *error;
  return result;
}

Status LogicalModel::delete_subnet(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    if (!tx.state().find_subnet(id)) {
      return ModelError::not_found("SubnetNotFound", "Subnet " + id + " could not be found.");
    }
    if (!tx.state().addresses_of(id).empty()) {
      return ModelError::conflict("SubnetInUse", "Unable to complete operation on subnet " + id +
                                                     ": One or more ports have an IP allocation from this subnet.");
    }
    tx.erase_subnet(id);
    return std::nullopt;
  });
}

}  // namespace overcast::controller

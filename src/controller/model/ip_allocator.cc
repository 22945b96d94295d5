#include "controller/model/ip_allocator.h"

#include <algorithm>
#include <set>

#include "controller/model/ip_math.h"

namespace overcast::controller {

namespace {

bool taken_by_other(const ModelState& state, const std::string& subnet_id, const IpAddress& ip,
                    const std::string& port_id) {
  const auto& addresses = state.addresses_of(subnet_id);
  auto it = addresses.find(ip);
  return it != addresses.end() && it->second != port_id;
}

Result<IpAddress> lowest_free(const ModelState& state, const Subnet& subnet, const std::string& port_id,
                              const std::set<IpAddress>& pending) {
  const auto gateway = subnet.gateway_ip ? IpAddress::parse(*subnet.gateway_ip) : std::nullopt;
  std::vector<std::pair<IpAddress, IpAddress>> pools;
  for (const auto& pool : subnet.allocation_pools) {
    auto start = IpAddress::parse(pool.start);
    auto end = IpAddress::parse(pool.end);
    if (start && end) pools.emplace_back(*start, *end);
  }
  std::sort(pools.begin(), pools.end());
  for (const auto& [start, end] : pools) {
    // Steps over taken addresses only, so the walk is bounded by how many are taken.
    for (IpAddress ip = start;; ip = next_address(ip)) {
      const bool free = !taken_by_other(state, subnet.id, ip, port_id) && !pending.contains(ip) &&
                        !(gateway && ip == *gateway);
      if (free) return ip;
      if (ip == end) break;
    }
  }
  return ModelError::conflict("IpAddressGenerationFailure",
                              "No more IP addresses available on network " + subnet.network_id +
                                  " (subnet " + subnet.id + ").");
}

ModelError invalid_fixed_ips(const std::string& reason) {
  return ModelError::bad_request("Invalid input for fixed_ips. Reason: " + reason);
}

// Checks a requested address against its subnet; nullopt when it may be taken.
Status check_requested(const ModelState& state, const Subnet& subnet, const IpAddress& ip,
                       const std::string& port_id, bool may_take_gateway) {
  auto prefix = IpPrefix::parse(subnet.cidr);
  if (!prefix || !prefix->contains(ip)) {
    return ModelError{400, "InvalidIpForSubnet",
                      "IP address " + ip.to_string() + " is not a valid IP for the specified subnet " +
                          subnet.id + " (" + subnet.cidr + ")."};
  }
  if (ip == first_address(*prefix) || (ip.is_v4() && ip == last_address(*prefix))) {
    return ModelError{400, "InvalidIpForSubnet",
                      "IP address " + ip.to_string() + " is the network or broadcast address of subnet " +
                          subnet.id + "."};
  }
  if (!may_take_gateway && subnet.gateway_ip && IpAddress::parse(*subnet.gateway_ip) == ip) {
    return ModelError::conflict("IpAddressAlreadyAllocated", "IP address " + ip.to_string() +
                                                                 " is the gateway of subnet " + subnet.id + ".");
  }
  if (taken_by_other(state, subnet.id, ip, port_id)) {
    return ModelError::conflict("IpAddressAlreadyAllocated", "IP address " + ip.to_string() +
                                                                 " already allocated in subnet " + subnet.id + ".");
  }
  return std::nullopt;
}

// The subnet of the network that contains `ip`, or nullptr.
const Subnet* subnet_containing(const ModelState& state, const std::string& network_id, const IpAddress& ip) {
  for (const auto& subnet_id : state.subnets_of(network_id)) {
    const Subnet* subnet = state.find_subnet(subnet_id);
    auto prefix = IpPrefix::parse(subnet->cidr);
    if (prefix && prefix->contains(ip)) return subnet;
  }
  return nullptr;
}

}  // namespace

Status allocate_fixed_ips(const ModelState& state, const std::string& network_id, const std::string& port_id,
                          const std::optional<std::vector<FixedIpRequest>>& requests,
                          std::vector<FixedIp>& allocated, bool may_take_gateway) {
  allocated.clear();
  std::set<IpAddress> pending;
  if (!requests) {
    for (const auto& subnet_id : state.subnets_of(network_id)) {
      auto ip = lowest_free(state, *state.find_subnet(subnet_id), port_id, pending);
      if (!ip) return ip.error();
      pending.insert(ip.value());
      allocated.push_back({subnet_id, ip.value().to_string()});
    }
    return std::nullopt;
  }
  // Resolve each entry's subnet first and take the explicit addresses, so that
  // subnet-only entries then skip them.
  std::vector<const Subnet*> subnets(requests->size(), nullptr);
  allocated.resize(requests->size());
  for (size_t i = 0; i < requests->size(); ++i) {
    const FixedIpRequest& request = (*requests)[i];
    if (!request.subnet_id && !request.ip_address) {
      return invalid_fixed_ips("each entry needs a subnet_id or an ip_address.");
    }
    std::optional<IpAddress> ip;
    if (request.ip_address) {
      ip = IpAddress::parse(*request.ip_address);
      if (!ip) return invalid_fixed_ips("'" + *request.ip_address + "' is not a valid IP address.");
    }
    if (request.subnet_id) {
      subnets[i] = state.find_subnet(*request.subnet_id);
      if (!subnets[i]) {
        return ModelError::not_found("SubnetNotFound", "Subnet " + *request.subnet_id + " could not be found.");
      }
      if (subnets[i]->network_id != network_id) {
        return invalid_fixed_ips("subnet " + *request.subnet_id + " is not on network " + network_id + ".");
      }
    } else {
      subnets[i] = subnet_containing(state, network_id, *ip);
      if (!subnets[i]) {
        return ModelError{400, "InvalidIpForNetwork",
                          "IP address " + ip->to_string() + " is not a valid IP for any of the subnets on network " +
                              network_id + "."};
      }
    }
    if (ip) {
      if (Status e = check_requested(state, *subnets[i], *ip, port_id, may_take_gateway)) return e;
      if (!pending.insert(*ip).second) {
        return invalid_fixed_ips("IP address " + ip->to_string() + " is requested twice.");
      }
      allocated[i] = {subnets[i]->id, ip->to_string()};
    }
  }
  for (size_t i = 0; i < requests->size(); ++i) {
    if ((*requests)[i].ip_address) continue;
    auto ip = lowest_free(state, *subnets[i], port_id, pending);
    if (!ip) return ip.error();
    pending.insert(ip.value());
    allocated[i] = {subnets[i]->id, ip.value().to_string()};
  }
  return std::nullopt;
}

}  // namespace overcast::controller

#include "controller/model/subnet_rules.h"

#include <algorithm>

#include "common/ip_address.h"
#include "controller/model/ip_math.h"

namespace overcast::controller {

namespace {

ModelError invalid(const std::string& field, const std::string& reason) {
  return ModelError::bad_request("Invalid input for " + field + ". Reason: " + reason);
}

// The addresses a pool or gateway may never take: the network address, and in IPv4
// the broadcast address.
bool is_reserved(const IpPrefix& prefix, const IpAddress& ip) {
  if (ip == first_address(prefix)) return true;
  return prefix.address.is_v4() && ip == last_address(prefix);
}

struct Range {
  IpAddress start;
  IpAddress end;
};

Status parse_pools(const std::vector<AllocationPool>& pools, const IpPrefix& prefix,
                   std::vector<Range>& ranges) {
  for (const auto& pool : pools) {
    auto start = IpAddress::parse(pool.start);
    auto end = IpAddress::parse(pool.end);
    if (!start || !end) {
      return invalid("allocation_pools", "'" + pool.start + "-" + pool.end + "' is not a valid IP range.");
    }
    if (!prefix.contains(*start) || !prefix.contains(*end) || is_reserved(prefix, *start) ||
        is_reserved(prefix, *end)) {
      return invalid("allocation_pools", "the range " + pool.start + "-" + pool.end +
                                             " is not within the usable addresses of " + prefix.to_string() + ".");
    }
    if (*end < *start) {
      return invalid("allocation_pools", "the range " + pool.start + "-" + pool.end + " ends before it starts.");
    }
    ranges.push_back({*start, *end});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.start < b.start; });
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (!(ranges[i - 1].end < ranges[i].start)) {
      return invalid("allocation_pools", "the ranges starting at " + ranges[i - 1].start.to_string() +
                                             " and " + ranges[i].start.to_string() + " overlap.");
    }
  }
  return std::nullopt;
}

// Neutron's default pools: every usable address except the gateway.
std::vector<AllocationPool> default_pools(const IpPrefix& prefix, const std::optional<IpAddress>& gateway) {
  const IpAddress first = next_address(first_address(prefix));
  const IpAddress last = prefix.address.is_v4() ? previous_address(last_address(prefix)) : last_address(prefix);
  std::vector<AllocationPool> pools;
  if (last < first) return pools;
  if (!gateway || *gateway < first || last < *gateway) {
    pools.push_back({first.to_string(), last.to_string()});
    return pools;
  }
  if (first < *gateway) pools.push_back({first.to_string(), previous_address(*gateway).to_string()});
  if (*gateway < last) pools.push_back({next_address(*gateway).to_string(), last.to_string()});
  return pools;
}

Status check_ipv6_mode(const char* field, const std::optional<std::string>& mode, int ip_version) {
  if (!mode) return std::nullopt;
  if (ip_version != 6) return invalid(field, "it applies to IPv6 subnets only.");
  if (*mode != "slaac" && *mode != "dhcpv6-stateful" && *mode != "dhcpv6-stateless") {
    return invalid(field, "'" + *mode + "' is not in [slaac, dhcpv6-stateful, dhcpv6-stateless].");
  }
  return std::nullopt;
}

}  // namespace

Status check_dns_nameservers(const std::vector<std::string>& servers, int ip_version) {
  for (size_t i = 0; i < servers.size(); ++i) {
    auto ip = IpAddress::parse(servers[i]);
    if (!ip || ip->version() != ip_version) {
      return invalid("dns_nameservers", "'" + servers[i] + "' is not a valid IPv" +
                                            std::to_string(ip_version) + " address.");
    }
    if (std::find(servers.begin(), servers.begin() + static_cast<long>(i), servers[i]) !=
        servers.begin() + static_cast<long>(i)) {
      return invalid("dns_nameservers", "duplicate nameserver '" + servers[i] + "'.");
    }
  }
  return std::nullopt;
}

Status check_host_routes(const std::vector<HostRoute>& routes, int ip_version) {
  for (const auto& route : routes) {
    auto destination = IpPrefix::parse(route.destination);
    auto nexthop = IpAddress::parse(route.nexthop);
    if (!destination || !destination->is_network() || destination->address.version() != ip_version) {
      return invalid("host_routes", "destination '" + route.destination + "' is not a valid IPv" +
                                        std::to_string(ip_version) + " network.");
    }
    if (!nexthop || nexthop->version() != ip_version) {
      return invalid("host_routes", "nexthop '" + route.nexthop + "' is not a valid IPv" +
                                        std::to_string(ip_version) + " address.");
    }
  }
  return std::nullopt;
}

bool subnets_overlap(const std::string& cidr_a, const std::string& cidr_b) {
  auto a = IpPrefix::parse(cidr_a);
  auto b = IpPrefix::parse(cidr_b);
  if (!a || !b || a->address.is_v4() != b->address.is_v4()) return false;
  return a->contains(b->address) || b->contains(a->address);
}

Status apply_subnet_rules(const SubnetCreate& request, Subnet& subnet) {
  if (request.ip_version != 4 && request.ip_version != 6) {
    return invalid("ip_version", std::to_string(request.ip_version) + " is not in [4, 6].");
  }
  const int version = static_cast<int>(request.ip_version);
  auto prefix = IpPrefix::parse(request.cidr);
  if (!prefix) return invalid("cidr", "'" + request.cidr + "' is not a valid IP subnet.");
  if (prefix->address.version() != version) {
    return invalid("cidr", "'" + request.cidr + "' is not an IPv" + std::to_string(version) +
                               " subnet (ip_version is " + std::to_string(version) + ").");
  }
  if (!prefix->is_network()) {
    const IpPrefix canonical{first_address(*prefix), prefix->length};
    return invalid("cidr", "'" + request.cidr + "' isn't a recognized IP subnet cidr, '" +
                               canonical.to_string() + "' is recommended.");
  }
  // Room for a gateway and at least one port: /30 in IPv4, /126 in IPv6.
  if (prefix->length > prefix->max_length() - 2) {
    return invalid("cidr", "'" + request.cidr + "' is too small; the longest prefix allowed is /" +
                               std::to_string(prefix->max_length() - 2) + ".");
  }
  subnet.ip_version = version;
  subnet.cidr = prefix->to_string();

  std::optional<IpAddress> gateway;
  if (!request.gateway_ip) {
    gateway = next_address(first_address(*prefix));
  } else if (*request.gateway_ip) {
    gateway = IpAddress::parse(**request.gateway_ip);
    if (!gateway || gateway->version() != version) {
      return invalid("gateway_ip", "'" + **request.gateway_ip + "' is not a valid IPv" +
                                       std::to_string(version) + " address.");
    }
    if (!prefix->contains(*gateway) || is_reserved(*prefix, *gateway)) {
      return invalid("gateway_ip", "'" + **request.gateway_ip + "' is not a usable address of " +
                                       subnet.cidr + ".");
    }
  }
  subnet.gateway_ip = gateway ? std::optional<std::string>(gateway->to_string()) : std::nullopt;

  if (request.allocation_pools) {
    std::vector<Range> ranges;
    if (Status e = parse_pools(*request.allocation_pools, *prefix, ranges)) return e;
    subnet.allocation_pools.clear();
    for (const auto& range : ranges) {
      if (gateway && !(*gateway < range.start) && !(range.end < *gateway)) {
        return invalid("allocation_pools", "gateway_ip " + gateway->to_string() +
                                               " conflicts with allocation pool " + range.start.to_string() +
                                               "-" + range.end.to_string() + ".");
      }
      subnet.allocation_pools.push_back({range.start.to_string(), range.end.to_string()});
    }
  } else {
    subnet.allocation_pools = default_pools(*prefix, gateway);
  }

  if (Status e = check_dns_nameservers(request.dns_nameservers, version)) return e;
  if (Status e = check_host_routes(request.host_routes, version)) return e;
  if (Status e = check_ipv6_mode("ipv6_ra_mode", request.ipv6_ra_mode, version)) return e;
  if (Status e = check_ipv6_mode("ipv6_address_mode", request.ipv6_address_mode, version)) return e;
  subnet.dns_nameservers = request.dns_nameservers;
  subnet.host_routes = request.host_routes;
  subnet.ipv6_ra_mode = request.ipv6_ra_mode;
  subnet.ipv6_address_mode = request.ipv6_address_mode;
  return std::nullopt;
}

}  // namespace overcast::controller

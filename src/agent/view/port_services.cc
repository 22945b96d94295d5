#include "agent/view/port_services.h"

#include <algorithm>

namespace overcast::agent {

namespace {

namespace ps = dataplane::port_security;

ps::AddressPrefix address_prefix(const IpPrefix& prefix) {
  ps::AddressPrefix out;
  out.length = static_cast<uint8_t>(prefix.length);
  if (prefix.address.is_v4()) {
    out.family = 4;
    out.address = dataplane::conntrack::ipv4_bytes(prefix.address.v4().value);
  } else {
    out.family = 6;
    out.address = prefix.address.v6().bytes;
  }
  return out;
}

IpPrefix host_prefix(const IpAddress& ip) { return IpPrefix{ip, ip.is_v4() ? 32 : 128}; }

uint32_t prefix_mask(int length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

}  // namespace

std::shared_ptr<const ps::SpoofFilter> compile_spoof_filter(const dataplane::PortEntry& port) {
  ps::PortSecurityConfig config;
  config.mac = port.mac;
  for (const auto& ip : port.ips) config.fixed_ips.push_back(address_prefix(host_prefix(ip)));
  for (const auto& pair : port.allowed_address_pairs) {
    config.allowed_address_pairs.push_back({pair.mac, address_prefix(pair.prefix)});
  }
  return ps::SpoofFilter::compile(config);
}

void add_dhcp_lease(dataplane::Segment& segment, const dataplane::PortEntry& port) {
  for (const auto& ip : port.ips) {
    if (!ip.is_v4()) continue;
    auto subnet = std::find_if(segment.subnets.begin(), segment.subnets.end(), [&](const dataplane::SubnetInfo& s) {
      return s.cidr.address.is_v4() && s.cidr.contains(ip);
    });
    if (subnet == segment.subnets.end()) continue;
    dataplane::dhcp::PortLease lease;
    lease.enabled = subnet->enable_dhcp;
    lease.lease.address = ip.v4().value;
    lease.lease.prefix_length = static_cast<uint8_t>(subnet->cidr.length);
    const uint32_t network = subnet->cidr.address.v4().value & prefix_mask(subnet->cidr.length);
    if (subnet->gateway && subnet->gateway->is_v4()) lease.lease.router = subnet->gateway->v4().value;
    lease.server.address = lease.lease.router.value_or(network + 1);
    lease.server.mac = kDhcpServerMac;
    for (const auto& dns : subnet->dns_nameservers) {
      if (dns.is_v4()) lease.lease.dns_servers.push_back(dns.v4().value);
    }
    for (const auto& route : subnet->host_routes) {
      if (!route.destination.address.is_v4() || !route.nexthop.is_v4()) continue;
      lease.lease.host_routes.push_back({route.destination.address.v4().value,
                                         static_cast<uint8_t>(route.destination.length), route.nexthop.v4().value});
    }
    lease.lease.mtu = static_cast<uint16_t>(std::min<uint32_t>(segment.mtu, 65535));
    segment.dhcp_leases[port.mac.to_u64()] = std::move(lease);
    return;
  }
}

void add_dhcp_server_arp(dataplane::Segment& segment) {
  for (const auto& [mac, lease] : segment.dhcp_leases) {
    if (lease.enabled) segment.arp.emplace(lease.server.address, lease.server.mac);
  }
}

}  // namespace overcast::agent

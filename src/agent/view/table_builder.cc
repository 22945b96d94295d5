#include "agent/view/table_builder.h"

#include <algorithm>
#include <unordered_set>

#include "agent/view/port_services.h"
#include "agent/view/provider_uplinks.h"
#include "agent/view/router_builder.h"
#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast::agent {

namespace {

using dataplane::ForwardingTable;
using dataplane::L2Destination;
using dataplane::Segment;

uint32_t ipv4_or_zero(const std::string& text) {
  auto ip = Ipv4Address::parse(text);
  return ip ? ip->value : 0;
}

// Local ports are added first and keep their addresses: a remote entry never overrides one.
void add_arp(Segment& segment, const google::protobuf::RepeatedPtrField<std::string>& ips, const MacAddress& mac) {
  for (const std::string& text : ips) {
    auto ip = IpAddress::parse(text);
    if (ip && ip->is_v4()) segment.arp.emplace(ip->v4().value, mac);
  }
}

// The segment of a port's VNI, only if it is the port's own network.
Segment* segment_of(ForwardingTable& table, uint32_t vni, const std::string& network_id) {
  auto seg = table.segments.find(vni);
  if (seg == table.segments.end() || seg->second.network_id != network_id) return nullptr;
  return &seg->second;
}

void add_networks(const ViewMap& view, ForwardingTable& table) {
  for (const auto& [key, entry] : view) {
    if (!entry.has_network()) continue;
    const auto& n = entry.network();
    Segment& segment = table.segments[n.vni()];
    segment.network_id = n.network_id();
    segment.vni = n.vni();
    segment.mtu = n.mtu() != 0 ? n.mtu() : kDefaultMtu;
    for (const std::string& vtep : n.flood_vteps()) {
      uint32_t ip = ipv4_or_zero(vtep);
      if (std::find(segment.flood_vteps.begin(), segment.flood_vteps.end(), ip) == segment.flood_vteps.end()) {
        segment.flood_vteps.push_back(ip);
      }
      segment.vteps.insert(ip);
      table.known_vteps.insert(ip);
    }
    // Hosts that route into this network: accepted from, never flooded to.
    for (const std::string& vtep : n.routed_vteps()) {
      const uint32_t ip = ipv4_or_zero(vtep);
      segment.vteps.insert(ip);
      table.known_vteps.insert(ip);
    }
  }
}

// A single address or a prefix, as allowed address pairs give them (validated before).
std::optional<IpPrefix> address_or_prefix(const std::string& text) {
  if (auto ip = IpAddress::parse(text)) return IpPrefix{*ip, ip->is_v4() ? 32 : 128};
  return IpPrefix::parse(text);
}

// Subnets of networks this host does not hold a segment for are ignored, like their ports.
void add_subnets(const ViewMap& view, ForwardingTable& table) {
  for (const auto& [key, entry] : view) {
    if (!entry.has_subnet()) continue;
    const auto& s = entry.subnet();
    Segment* seg = nullptr;
    for (auto& [vni, segment] : table.segments) {
      if (segment.network_id == s.network_id()) seg = &segment;
    }
    auto cidr = IpPrefix::parse(s.cidr());
    if (!seg || !cidr) continue;
    dataplane::SubnetInfo subnet;
    subnet.subnet_id = s.subnet_id();
    subnet.cidr = *cidr;
    if (!s.gateway_ip().empty()) subnet.gateway = IpAddress::parse(s.gateway_ip());
    subnet.enable_dhcp = s.enable_dhcp();
    for (const auto& dns : s.dns_nameservers()) {
      if (auto ip = IpAddress::parse(dns)) subnet.dns_nameservers.push_back(*ip);
    }
    for (const auto& route : s.host_routes()) {
      auto destination = IpPrefix::parse(route.destination());
      auto nexthop = IpAddress::parse(route.nexthop());
      if (destination && nexthop) subnet.host_routes.push_back({*destination, *nexthop});
    }
    seg->subnets.push_back(std::move(subnet));  // the view map is ordered: by key, so by id
  }
}

void add_local_ports(const ViewMap& view, const PortSlots& slots, const PortIoLookup& io_of, ForwardingTable& table) {
  table.ports.resize(slots.table_size());
  for (const auto& [key, entry] : view) {
    if (!entry.has_local_port()) continue;
    const auto& p = entry.local_port();
    dataplane::PortSlot slot = slots.find(p.port_id());
    if (slot == dataplane::kNoPort || slot >= table.ports.size()) continue;
    MacAddress mac = MacAddress::parse(p.mac()).value_or(MacAddress{});
    auto& port = table.ports[slot];
    port.port_id = p.port_id();
    port.vni = p.vni();
    port.mac = mac;
    port.admin_up = p.admin_up();
    for (const auto& text : p.ips()) {
      if (auto ip = IpAddress::parse(text)) port.ips.push_back(*ip);
    }
    port.port_security_enabled = p.port_security_enabled();
    for (const auto& pair : p.allowed_address_pairs()) {
      auto prefix = address_or_prefix(pair.ip_address());
      auto pair_mac = MacAddress::parse(pair.mac_address());
      if (prefix && pair_mac) port.allowed_address_pairs.push_back({*prefix, *pair_mac});
    }
    if (port.port_security_enabled) port.spoof_filter = compile_spoof_filter(port);
    port.io = io_of(p.port_id());
    // A port whose network entry is absent has no segment: the data plane drops its frames.
    Segment* seg = segment_of(table, p.vni(), p.network_id());
    if (!seg) continue;
    add_arp(*seg, p.ips(), mac);
    add_dhcp_lease(*seg, port);
    // A port whose device is not open keeps its MAC (local delivery drops its frames as
    // port_gone) rather than turning unicast to it into a flood to every VTEP.
    L2Destination dest;
    dest.kind = L2Destination::Kind::kLocalPort;
    dest.port = slot;
    seg->macs[mac] = dest;
    if (port.io) seg->local_ports.push_back(slot);
  }
  for (auto& [vni, segment] : table.segments) std::sort(segment.local_ports.begin(), segment.local_ports.end());
}

void add_remote_ports(const ViewMap& view, ForwardingTable& table) {
  for (const auto& [key, entry] : view) {
    if (!entry.has_remote_port()) continue;
    const auto& p = entry.remote_port();
    uint32_t vtep = ipv4_or_zero(p.vtep_ip());
    Segment* seg = segment_of(table, p.vni(), p.network_id());
    if (!seg) continue;
    table.known_vteps.insert(vtep);
    seg->vteps.insert(vtep);
    MacAddress mac = MacAddress::parse(p.mac()).value_or(MacAddress{});
    // A MAC that is also local (a VM mid-migration) stays local: the VM we hold wins.
    auto existing = seg->macs.find(mac);
    if (existing != seg->macs.end() && existing->second.kind == L2Destination::Kind::kLocalPort) continue;
    L2Destination dest;
    dest.kind = L2Destination::Kind::kRemoteVtep;
    dest.vtep = vtep;
    seg->macs[mac] = dest;
    add_arp(*seg, p.ips(), mac);
  }
}

}  // namespace

dataplane::ForwardingTable build_forwarding_table(const ViewMap& view, const PortSlots& slots,
                                                  const PortIoLookup& io_of, uint64_t version,
                                                  SecurityGroupPolicies* policies, const std::string& local_host) {
  ForwardingTable table;
  table.version = version;
  add_networks(view, table);
  add_subnets(view, table);
  add_local_ports(view, slots, io_of, table);
  add_remote_ports(view, table);
  add_routers(view, table, local_host);
  // After the routers: a router interface that owns the gateway address keeps its MAC.
  // Not on a provider network: its gateway address may be a real router on the physical
  // segment (the lab's `public` has `ext` there), whose ARP must not be answered for it.
  // DHCP requests are taken by UDP port whatever MAC they are sent to, so renewals work
  // either way.
  std::unordered_set<uint32_t> provider_vnis;
  for (const auto& [key, entry] : view) {
    if (entry.has_network() && is_provider_network(entry.network())) provider_vnis.insert(entry.network().vni());
  }
  for (auto& [vni, segment] : table.segments) {
    if (provider_vnis.count(vni) == 0) add_dhcp_server_arp(segment);
  }
  if (policies) policies->apply(view, table);
  return table;
}

}  // namespace overcast::agent

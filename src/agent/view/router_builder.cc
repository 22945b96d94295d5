#include "agent/view/router_builder.h"

#include <memory>

#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast::agent {

namespace {

using dataplane::route::RouterInstance;
using dataplane::route::RouterInterface;
using dataplane::route::RouteTarget;

using dataplane::route::ExternalGateway;

uint32_t ipv4_or_zero(const std::string& text) {
  auto ip = IpAddress::parse(text);
  return ip && ip->is_v4() ? ip->v4().value : 0;
}

// The external leg as the entry states it; nullopt without one (or with an address that
// does not parse: the validator refuses those, this only keeps the builder total).
std::optional<ExternalGateway> external_gateway(const sb::RouterEntry& entry, const std::string& local_host) {
  if (!entry.has_external()) return std::nullopt;
  const auto& in = entry.external();
  auto address = IpPrefix::parse(in.address());
  auto mac = MacAddress::parse(in.mac());
  if (!address || !address->address.is_v4() || !mac) return std::nullopt;
  ExternalGateway out;
  out.network_id = in.network_id();
  out.address = address->address.v4().value;
  out.prefix_length = address->length;
  out.mac = *mac;
  out.next_hop = ipv4_or_zero(in.gateway_ip());
  out.enable_snat = in.enable_snat();
  out.gateway_vtep = ipv4_or_zero(in.gateway_vtep());
  out.served_here = !local_host.empty() && in.gateway_host() == local_host;
  return out;
}

std::shared_ptr<RouterInstance> build_router(const sb::RouterEntry& entry, dataplane::ForwardingTable& table,
                                             const std::string& local_host) {
  auto router = std::make_shared<RouterInstance>();
  router->router_id = entry.router_id();
  std::vector<IpPrefix> prefixes;
  for (const auto& in : entry.interfaces()) {
    auto address = IpPrefix::parse(in.address());
    auto mac = MacAddress::parse(in.mac());
    auto segment = table.segments.find(in.vni());
    if (!address || !address->address.is_v4() || !mac || segment == table.segments.end() ||
        segment->second.network_id != in.network_id()) {
      continue;
    }
    RouterInterface out;
    out.port_id = in.port_id();
    out.vni = in.vni();
    out.mac = *mac;
    out.address = address->address.v4().value;
    out.prefix_length = address->length;
    router->interfaces.push_back(out);
    prefixes.push_back(*address);
  }
  // Static routes first: a connected subnet wins over a static route to the same prefix.
  for (const auto& route : entry.routes()) {
    auto destination = IpPrefix::parse(route.destination());
    auto nexthop = IpAddress::parse(route.nexthop());
    if (!destination || !nexthop || !destination->address.is_v4() || !nexthop->is_v4()) continue;
    for (size_t i = 0; i < prefixes.size(); ++i) {
      if (!prefixes[i].contains(*nexthop)) continue;
      RouteTarget target;
      target.interface = static_cast<uint32_t>(i);
      target.next_hop = nexthop->v4().value;
      router->routes.insert(destination->address.v4().value, destination->length, target);
      break;
    }
  }
  for (size_t i = 0; i < router->interfaces.size(); ++i) {
    RouteTarget target;
    target.interface = static_cast<uint32_t>(i);
    target.connected = true;
    router->routes.insert(router->interfaces[i].address, router->interfaces[i].prefix_length, target);
  }
  router->external = external_gateway(entry, local_host);
  // Whatever no connected subnet or static route claims leaves by the external gateway
  // (a static default route of the tenant's own wins: it is inserted first).
  if (router->external && router->routes.matched_length(0) != 0) {
    RouteTarget target;
    target.external = true;
    router->routes.insert(0, 0, target);
  }
  return router;
}

// The external network's segment on this host, or nullptr. (It becomes a provider
// segment when the agent adds its uplinks to the table, after the routers.)
dataplane::Segment* external_segment(dataplane::ForwardingTable& table, const std::string& network_id) {
  for (auto& [vni, segment] : table.segments)
    if (segment.network_id == network_id) return &segment;
  return nullptr;
}

// This host's own MAC on the external network for `router_id`'s floating IPs it NATs
// itself: derived from the two names, so every agent restart finds the same one and no
// controller round trip is needed; locally administered unicast with 46 bits of FNV-1a,
// so two hosts' MACs on one segment collide with negligible odds.
MacAddress floating_ip_gateway_mac(const std::string& host, const std::string& router_id) {
  uint64_t h = 14695981039346656037ull;
  for (const std::string* part : {&host, &router_id}) {
    for (const char c : *part) {
      h ^= static_cast<uint8_t>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // separator: ("ab", "c") and ("a", "bc") differ
    h *= 1099511628211ull;
  }
  return MacAddress{{static_cast<uint8_t>(((h >> 40) & 0xfc) | 0x02), static_cast<uint8_t>(h >> 32),
                     static_cast<uint8_t>(h >> 24), static_cast<uint8_t>(h >> 16), static_cast<uint8_t>(h >> 8),
                     static_cast<uint8_t>(h)}};
}

// The router's gateway on the external segment, answering for `mac`: on the active
// gateway host the router's own (its external address, SNAT, the floating IPs no VM host
// NATs itself); on a VM host that NATs its own ports' floating IPs, those alone, no SNAT.
void add_gateway(const sb::RouterEntry& entry, const std::shared_ptr<const RouterInstance>& router,
                 dataplane::Segment& segment, const std::string& local_host) {
  const ExternalGateway& external = *router->external;
  const bool serving = external.served_here;
  const MacAddress mac = serving ? external.mac : external.local_mac;
  auto gateway = std::make_shared<dataplane::gateway::RouterGateway>();
  gateway->router = router;
  gateway->nat.external_ip = serving ? external.address : 0;
  gateway->nat.enable_snat = serving && external.enable_snat;
  for (const auto& fip : entry.floating_ips()) {
    if (fip.served_by_host() != (serving ? std::string() : local_host)) continue;
    const uint32_t floating = ipv4_or_zero(fip.floating_ip());
    const uint32_t fixed = ipv4_or_zero(fip.fixed_ip());
    // The validator refused unparsable ones; a clash with another router's address is
    // the controller's to prevent, and skipped here rather than answered twice.
    if (floating == 0 || fixed == 0 || segment.gateway_addresses.count(floating)) continue;
    if (gateway->nat.add_floating_ip(floating, fixed)) segment.gateway_addresses.emplace(floating, mac);
  }
  if (serving) segment.gateway_addresses.insert_or_assign(external.address, mac);
  segment.gateways[mac] = std::move(gateway);
}

// The fixed IPs of the floating IPs this host NATs itself (served_by_host names it).
std::vector<uint32_t> local_fixed_ips(const sb::RouterEntry& entry, const std::string& local_host) {
  std::vector<uint32_t> fixed;
  if (local_host.empty()) return fixed;
  for (const auto& fip : entry.floating_ips()) {
    const uint32_t ip = ipv4_or_zero(fip.fixed_ip());
    if (fip.served_by_host() == local_host && ip != 0 && ipv4_or_zero(fip.floating_ip()) != 0) fixed.push_back(ip);
  }
  return fixed;
}

}  // namespace

void add_routers(const ViewMap& view, dataplane::ForwardingTable& table, const std::string& local_host) {
  for (const auto& [key, entry] : view) {
    if (!entry.has_router() || !entry.router().admin_up()) continue;
    auto built = build_router(entry.router(), table, local_host);
    dataplane::Segment* outside = built->external ? external_segment(table, built->external->network_id) : nullptr;
    if (outside) {
      built->external->vni = outside->vni;
      if (!built->external->served_here) {
        built->external->local_fixed_ips = local_fixed_ips(entry.router(), local_host);
        if (!built->external->local_fixed_ips.empty())
          built->external->local_mac = floating_ip_gateway_mac(local_host, built->router_id);
      }
    }
    std::shared_ptr<const RouterInstance> router = std::move(built);
    if (outside && (router->external->served_here || !router->external->local_fixed_ips.empty()))
      add_gateway(entry.router(), router, *outside, local_host);
    for (size_t i = 0; i < router->interfaces.size(); ++i) {
      const RouterInterface& interface = router->interfaces[i];
      auto& segment = table.segments.at(interface.vni);
      segment.router_ports[interface.mac] = {router, static_cast<uint32_t>(i)};
      // The gateway's ARP is answered here; the address is the router's whatever a port claims.
      segment.arp.insert_or_assign(interface.address, interface.mac);
    }
  }
}

}  // namespace overcast::agent

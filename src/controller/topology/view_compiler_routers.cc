// The view compiler's distributed routers: who holds a router's entry, which networks a
// host sees through its routers, and what a router change dirties. A router change
// concerns only the hosts of the networks it connects (before and after the change),
// and its active gateway host (gateway_election.h), which holds the router, its
// networks (routed into, no flood list) and its external network. A floating IP whose
// VM's host maps the external network's physnet is NATed there (Neutron DVR): the router
// entry names that host (served_by_host) and the host holds the external network too.
#include <algorithm>

#include "controller/topology/gateway_election.h"
#include "controller/topology/provider_binding.h"
#include "controller/topology/router_entries.h"
#include "controller/topology/view_compiler.h"
#include "controller/topology/view_entries.h"

namespace overcast::controller {

void ViewCompiler::change_router(const std::string& id, const RouterFacts* updated, Work& work) {
  const RouterFacts* current = routers_.router(id);
  if (current == nullptr && updated == nullptr) return;
  if (current != nullptr && updated != nullptr && *current == *updated) return;
  std::set<std::string> networks;
  if (current != nullptr) networks = networks_of(*current);
  if (updated != nullptr) networks.merge(networks_of(*updated));
  // Routed hosts of a network take or lose its whole slice; its members only see
  // routed_vteps change. Those routed before the change are found now, the others after.
  auto mark_routed = [&] {
    for (const auto& network_id : networks) {
      auto& network_work = work[network_id];
      network_work.keys.insert(network_key(network_id));
      for (const auto& host : routed_hosts(network_id)) network_work.full_hosts.insert(host);
    }
    // The gateway host holds the external network for the router (before and after).
    const RouterFacts* router = routers_.router(id);
    if (router != nullptr && router->external) {
      const std::string gateway = active_gateway(*router);
      auto& external_work = work[router->external->network_id];
      if (!gateway.empty()) {
        external_work.full_hosts.insert(gateway);
        for (const auto& network_id : networks_of(*router)) work[network_id].full_hosts.insert(gateway);
      }
      // So do the hosts NATing its floating IPs.
      for (auto& host : floating_ip_hosts(*router, gateway)) {
        if (!host.empty()) external_work.full_hosts.insert(std::move(host));
      }
    }
  };
  mark_routed();
  auto& router_work = work[router_key(id)];
  router_work.all_full = true;
  if (current != nullptr) router_work.full_hosts.merge(router_hosts(*current));
  if (updated != nullptr) {
    routers_.upsert(*updated);
  } else {
    routers_.remove(id);
  }
  mark_routed();
}

void ViewCompiler::mark_routed_reach(const std::string& host, const std::string& network_id, Work& work) const {
  for (const auto& neighbour : routers_.neighbours(network_id)) {
    auto& network_work = work[neighbour];
    network_work.full_hosts.insert(host);
    network_work.keys.insert(network_key(neighbour));  // its members' routed_vteps
  }
  if (const auto* router_ids = routers_.routers_of(network_id)) {
    for (const auto& router_id : *router_ids) work[router_key(router_id)].full_hosts.insert(host);
  }
}

std::string ViewCompiler::active_gateway(const RouterFacts& router) const {
  if (!router.external) return {};
  const NetworkFacts* external = index_.network(router.external->network_id);
  if (external == nullptr) return {};
  std::vector<GatewayCandidate> candidates;
  for (const auto& name : index_.gateway_hosts()) {
    const HostFacts* host = index_.host(name);
    if (host == nullptr || host->underlay_ip.empty() || !host_can_bind(host, *external)) continue;
    candidates.push_back({name, host->gateway_priority, host->alive});
  }
  const auto active = elect_gateway(candidates);
  return active ? candidates[*active].host : std::string();
}

std::map<std::string, std::string> ViewCompiler::gateway_election() const {
  std::map<std::string, std::string> elected;
  for (const auto& router_id : routers_.routers_with_external()) {
    elected[router_id] = active_gateway(*routers_.router(router_id));
  }
  return elected;
}

void ViewCompiler::mark_gateway_moves(const std::map<std::string, std::string>& before,
                                      const std::string& changed_host, Work& work) const {
  const std::map<std::string, std::string> after = gateway_election();
  for (const auto& [router_id, now] : after) {
    auto it = before.find(router_id);
    const std::string was = it == before.end() ? std::string() : it->second;
    // The gateway stayed, but its own facts (its underlay IP) may be in the entries.
    if (was == now && (now.empty() || now != changed_host)) continue;
    const RouterFacts& router = *routers_.router(router_id);
    // Every host of the router: its entry names the gateway VTEP.
    auto& router_work = work[router_key(router_id)];
    router_work.all_full = true;
    for (const auto* host : {&was, &now}) {
      if (host->empty()) continue;
      router_work.full_hosts.insert(*host);
      work[router.external->network_id].full_hosts.insert(*host);
      for (const auto& network_id : networks_of(router)) {
        auto& network_work = work[network_id];
        network_work.full_hosts.insert(*host);
        network_work.keys.insert(network_key(network_id));  // its members' routed_vteps
      }
    }
  }
}

std::set<std::string> ViewCompiler::external_gateway_hosts(const std::string& network_id) const {
  std::set<std::string> hosts;
  if (const auto* router_ids = routers_.routers_external_on(network_id)) {
    for (const auto& router_id : *router_ids) {
      const RouterFacts& router = *routers_.router(router_id);
      std::string gateway = active_gateway(router);
      for (auto& host : floating_ip_hosts(router, gateway)) {
        if (!host.empty()) hosts.insert(std::move(host));
      }
      if (!gateway.empty()) hosts.insert(std::move(gateway));
    }
  }
  return hosts;
}

std::string ViewCompiler::floating_ip_host(const RouterFacts& router, const FloatingIpFacts& floating_ip,
                                           const std::string& gateway) const {
  if (!router.external) return {};
  const PortFacts* port = index_.port(floating_ip.port_id);
  if (port == nullptr || port->host.empty() || port->host == gateway) return {};
  const NetworkFacts* external = index_.network(router.external->network_id);
  // Only a provider external network has a physnet a host can map (an uplink to open).
  if (external == nullptr || !is_provider_network(*external)) return {};
  const HostFacts* host = index_.host(port->host);
  if (host == nullptr || !host_can_bind(host, *external)) return {};
  return port->host;
}

std::vector<std::string> ViewCompiler::floating_ip_hosts(const RouterFacts& router, const std::string& gateway) const {
  std::vector<std::string> hosts;
  hosts.reserve(router.floating_ips.size());
  for (const auto& floating_ip : router.floating_ips) hosts.push_back(floating_ip_host(router, floating_ip, gateway));
  return hosts;
}

ViewCompiler::FloatingIpPlacements ViewCompiler::floating_ip_placements(const std::set<std::string>& router_ids) const {
  FloatingIpPlacements placements;
  for (const auto& router_id : router_ids) {
    FloatingIpPlacement& placement = placements[router_id];
    const RouterFacts* router = routers_.router(router_id);
    if (router == nullptr || !router->external) continue;
    placement.external_network = router->external->network_id;
    placement.hosts = floating_ip_hosts(*router, active_gateway(*router));
  }
  return placements;
}

void ViewCompiler::mark_floating_ip_moves(const FloatingIpPlacements& before, Work& work) const {
  for (const auto& [router_id, was] : before) {
    const FloatingIpPlacement now = floating_ip_placements({router_id}).at(router_id);
    if (now == was) continue;
    // served_by_host is in the router's entry on every host of the router.
    work[router_key(router_id)].all_full = true;
    for (const auto* placement : {&was, &now}) {
      if (placement->external_network.empty()) continue;
      for (const auto& host : placement->hosts) {
        if (!host.empty()) work[placement->external_network].full_hosts.insert(host);
      }
    }
  }
}

std::set<std::string> ViewCompiler::floating_ip_routers_of_host(const std::string& host) const {
  std::set<std::string> router_ids;
  const auto* networks = index_.networks_of_host(host);
  if (networks == nullptr) return router_ids;
  for (const auto& network_id : *networks) {
    const auto* members = index_.members(network_id);
    if (members == nullptr) continue;
    auto own = members->find(host);
    if (own == members->end()) continue;
    for (const auto& port_id : own->second) {
      if (const auto* ids = routers_.routers_of_floating_ip_port(port_id)) router_ids.insert(ids->begin(), ids->end());
    }
  }
  return router_ids;
}

std::set<std::string> ViewCompiler::routed_hosts(const std::string& network_id) const {
  std::set<std::string> hosts;
  const auto* own_members = index_.members(network_id);
  // The active gateway host of each router of the network routes into it (to and from
  // the external network), whether or not it has ports of its own there.
  if (const auto* router_ids = routers_.routers_of(network_id)) {
    for (const auto& router_id : *router_ids) {
      std::string gateway = active_gateway(*routers_.router(router_id));
      if (!gateway.empty() && (own_members == nullptr || own_members->count(gateway) == 0)) {
        hosts.insert(std::move(gateway));
      }
    }
  }
  for (const auto& neighbour : routers_.neighbours(network_id)) {
    const auto* members = index_.members(neighbour);
    if (members == nullptr) continue;
    for (const auto& [host, ports] : *members) {
      if (own_members == nullptr || own_members->count(host) == 0) hosts.insert(host);
    }
  }
  return hosts;
}

std::set<std::string> ViewCompiler::router_hosts(const RouterFacts& router) const {
  std::set<std::string> hosts;
  if (std::string gateway = active_gateway(router); !gateway.empty()) hosts.insert(std::move(gateway));
  for (const auto& network_id : networks_of(router)) {
    if (const auto* members = index_.members(network_id)) {
      for (const auto& [host, ports] : *members) hosts.insert(host);
    }
  }
  return hosts;
}

std::set<std::string> ViewCompiler::slice_hosts(const std::string& slice_id) const {
  if (is_router_slice(slice_id)) {
    const RouterFacts* router = routers_.router(router_id_of_slice(slice_id));
    return router != nullptr ? router_hosts(*router) : std::set<std::string>{};
  }
  std::set<std::string> hosts = routed_hosts(slice_id);
  hosts.merge(external_gateway_hosts(slice_id));
  if (const auto* members = index_.members(slice_id)) {
    for (const auto& [host, ports] : *members) hosts.insert(host);
  }
  return hosts;
}

bool ViewCompiler::sees(const std::string& host, const std::string& network_id) const {
  if (index_.host_has_ports_in(host, network_id)) return true;
  for (const auto& neighbour : routers_.neighbours(network_id)) {
    if (index_.host_has_ports_in(host, neighbour)) return true;
  }
  // A host NATing a floating IP of a router sees the router's external network.
  if (const auto* router_ids = routers_.routers_external_on(network_id)) {
    for (const auto& router_id : *router_ids) {
      const RouterFacts& router = *routers_.router(router_id);
      for (const auto& floating_ip : router.floating_ips) {
        const PortFacts* port = index_.port(floating_ip.port_id);
        if (port == nullptr || port->host != host) continue;
        if (floating_ip_host(router, floating_ip, active_gateway(router)) == host) return true;
      }
    }
  }
  if (index_.gateway_hosts().count(host) == 0) return false;
  // A gateway host sees the internal and external networks of the routers it serves.
  for (const auto* router_ids : {routers_.routers_of(network_id), routers_.routers_external_on(network_id)}) {
    if (router_ids == nullptr) continue;
    for (const auto& router_id : *router_ids) {
      if (active_gateway(*routers_.router(router_id)) == host) return true;
    }
  }
  return false;
}

sb::ViewEntry ViewCompiler::network_entry_for(const std::string& host, const NetworkFacts& network) const {
  const bool member = index_.host_has_ports_in(host, network.id);
  // A host that only routes into the network has nobody to flood to there.
  sb::ViewEntry entry = make_network_entry(network, member ? flood_vteps(host, network.id) : std::vector<std::string>{});
  std::vector<std::string> routed;
  const std::string own = own_underlay(host);
  for (const auto& other : routed_hosts(network.id)) {
    const HostFacts* facts = other == host ? nullptr : index_.host(other);
    if (facts != nullptr && !facts->underlay_ip.empty() && facts->underlay_ip != own) routed.push_back(facts->underlay_ip);
  }
  std::sort(routed.begin(), routed.end());
  routed.erase(std::unique(routed.begin(), routed.end()), routed.end());
  for (auto& vtep : routed) entry.mutable_network()->add_routed_vteps(std::move(vtep));
  return entry;
}

EntryRef ViewCompiler::router_entry_for(const std::string& host, const std::string& slice_id) const {
  const RouterFacts* router = routers_.router(router_id_of_slice(slice_id));
  if (router == nullptr) return nullptr;
  const std::string gateway = active_gateway(*router);
  bool holds = host == gateway;
  for (const auto& network_id : networks_of(*router)) holds = holds || index_.host_has_ports_in(host, network_id);
  if (!holds) return nullptr;
  const HostFacts* gateway_facts = gateway.empty() ? nullptr : index_.host(gateway);
  return std::make_shared<const sb::ViewEntry>(
      make_router_entry(*router, [this](const std::string& id) { return index_.network(id); },
                        {gateway, gateway_facts != nullptr ? gateway_facts->underlay_ip : std::string(),
                         floating_ip_hosts(*router, gateway)}));
}

}  // namespace overcast::controller

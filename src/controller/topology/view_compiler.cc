#include "controller/topology/view_compiler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <unordered_set>

#include "controller/topology/provider_binding.h"
#include "controller/topology/router_entries.h"
#include "controller/topology/view_entries.h"

namespace overcast::controller {

std::string make_epoch_id() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 8; ++i) {
    uint32_t word = device();
    for (int nibble = 0; nibble < 4; ++nibble) {
      id.push_back(kHex[word & 0xf]);
      word >>= 4;
    }
  }
  return id;
}

ViewCompiler::ViewCompiler(ViewCompilerConfig config)
    : epoch_(config.epoch.empty() ? make_epoch_id() : config.epoch),
      history_limit_(std::max<size_t>(1, config.history_limit)),
      history_max_bytes_(config.history_max_bytes) {}

void ViewCompiler::apply(const ChangeSet& changes) { apply_changes(changes); }

// Removals first, then upserts, so a ChangeSet that removes and re-creates an id
// ends with the new object.
std::vector<HostDelta> ViewCompiler::apply_changes(const ChangeSet& changes) {
  std::lock_guard lock(mu_);
  ++stats_.changesets;
  const std::set<std::string> security_group_hosts = change_security_groups(changes);
  Work work;
  for (const auto& id : changes.removed_ports) change_port(id, nullptr, work);
  for (const auto& name : changes.removed_hosts) change_host(name, nullptr, work);
  for (const auto& id : changes.removed_subnets) change_subnet(id, nullptr, work);
  for (const auto& id : changes.removed_networks) change_network(id, nullptr, work);
  for (const auto& id : changes.removed_routers) change_router(id, nullptr, work);
  for (const auto& network : changes.networks) {
    if (network.id.empty()) {
      ++stats_.ignored_facts;
      spdlog::warn("view compiler: network without id ignored");
      continue;
    }
    change_network(network.id, &network, work);
  }
  for (const auto& subnet : changes.subnets) {
    if (subnet.id.empty() || subnet.network_id.empty()) {
      ++stats_.ignored_facts;
      spdlog::warn("view compiler: subnet without id or network ignored");
      continue;
    }
    change_subnet(subnet.id, &subnet, work);
  }
  for (const auto& host : changes.hosts) {
    if (host.host.empty()) {
      ++stats_.ignored_facts;
      spdlog::warn("view compiler: host without name ignored");
      continue;
    }
    change_host(host.host, &host, work);
  }
  for (const auto& port : changes.ports) {
    if (port.id.empty()) {
      ++stats_.ignored_facts;
      spdlog::warn("view compiler: port without id ignored");
      continue;
    }
    change_port(port.id, &port, work);
  }
  for (const auto& router : changes.routers) {
    if (router.id.empty()) {
      ++stats_.ignored_facts;
      spdlog::warn("view compiler: router without id ignored");
      continue;
    }
    change_router(router.id, &router, work);
  }
  return recompute(work, security_group_hosts);
}

// Hosts concerned before the change (they may lose entries) and after it (they may gain).
std::set<std::string> ViewCompiler::change_security_groups(const ChangeSet& changes) {
  std::set<std::string> touched;
  for (const auto& id : changes.removed_security_groups) {
    if (security_groups_.remove_group(id)) touched.insert(id);
  }
  for (const auto& group : changes.security_groups) {
    if (group.id.empty()) continue;  // counted with the other facts without ids below
    touched.insert(group.id);
  }
  std::set<std::string> hosts = security_groups_.hosts_concerned(touched);
  // Port changes: the hosts concerned as the port was, before it changes.
  std::vector<std::pair<const PortFacts*, std::string>> port_changes;
  for (const auto& id : changes.removed_ports) port_changes.push_back({nullptr, id});
  for (const auto& port : changes.ports) {
    if (!port.id.empty()) port_changes.push_back({&port, port.id});
  }
  for (const auto& group : changes.security_groups) {
    if (!group.id.empty() && !security_groups_.upsert_group(group)) touched.erase(group.id);
  }
  std::set<std::string> port_touched;
  for (const auto& [port, id] : port_changes) {
    std::set<std::string> groups = port ? security_groups_.upsert_port(*port) : security_groups_.remove_port(id);
    if (groups.empty()) continue;
    // The port's old host held its groups' entries: it is among the hosts of those groups
    // only until the port leaves it, so it is looked at explicitly.
    if (const PortFacts* old = index_.port(id); old != nullptr && !old->host.empty()) hosts.insert(old->host);
    port_touched.insert(groups.begin(), groups.end());
  }
  touched.insert(port_touched.begin(), port_touched.end());
  const std::set<std::string> after = security_groups_.hosts_concerned(touched);
  hosts.insert(after.begin(), after.end());
  return hosts;
}

// A network's VNI/MTU/encapsulation is in every entry of its slice: recompute the
// whole slice on every host that has ports in it.
void ViewCompiler::change_network(const std::string& id, const NetworkFacts* updated, Work& work) {
  const NetworkFacts* current = index_.network(id);
  if (current == nullptr && updated == nullptr) return;
  if (current != nullptr && updated != nullptr && same_network(*current, *updated)) return;
  if (!slice_hosts(id).empty()) work[id].all_full = true;
  // Routers carry their networks' VNIs.
  if (const auto* router_ids = routers_.routers_of(id)) {
    for (const auto& router_id : *router_ids) work[router_key(router_id)].all_full = true;
  }
  // The external network of routers: whether (and where) they have a gateway host.
  const bool external = routers_.routers_external_on(id) != nullptr;
  std::map<std::string, std::string> elected_before;
  FloatingIpPlacements floating_before;  // its type and physnet: whose hosts NAT floating IPs
  if (external) {
    elected_before = gateway_election();
    floating_before = floating_ip_placements(*routers_.routers_external_on(id));
  }
  if (updated != nullptr) {
    index_.upsert_network(*updated);
  } else {
    index_.remove_network(id);
  }
  if (external) {
    mark_gateway_moves(elected_before, "", work);
    mark_floating_ip_moves(floating_before, work);
  }
}

// A host's underlay IP appears in other hosts' flood lists and remote ports of the
// networks it shares with them; its own view depends on it only in that a VTEP never
// lists its own address (a stale record may hold it), so all those networks' remote
// ports are looked at again.
void ViewCompiler::change_host(const std::string& name, const HostFacts* updated, Work& work) {
  const HostFacts* current = index_.host(name);
  if (current == nullptr && updated == nullptr) return;
  if (current != nullptr && updated != nullptr && *current == *updated) return;
  // A gateway host's change (liveness, priority, mappings, address) may move routers'
  // gateways: elected before, compared after.
  const bool gateway_related = (current != nullptr && current->gateway) || (updated != nullptr && updated->gateway);
  std::map<std::string, std::string> elected_before;
  if (gateway_related) elected_before = gateway_election();
  // Its bridge mappings decide whether its ports of provider networks bind at all.
  const bool physnets_changed = (current ? current->physnets : std::vector<std::string>{}) !=
                                (updated ? updated->physnets : std::vector<std::string>{});
  const bool underlay_changed = (current ? current->underlay_ip : std::string()) !=
                                (updated ? updated->underlay_ip : std::string());
  // Its registration and mappings decide whether it NATs its own ports' floating IPs.
  FloatingIpPlacements floating_before;
  if (physnets_changed || current == nullptr || updated == nullptr) {
    floating_before = floating_ip_placements(floating_ip_routers_of_host(name));
  }
  if (const auto* networks = index_.networks_of_host(name)) {
    for (const auto& network_id : *networks) {
      auto& network_work = work[network_id];
      const NetworkFacts* network = index_.network(network_id);
      if (physnets_changed && network != nullptr && is_provider_network(*network)) network_work.all_full = true;
      network_work.keys.insert(network_key(network_id));
      for (const auto& [member, port_ids] : *index_.members(network_id)) {
        for (const auto& port_id : port_ids) network_work.keys.insert(remote_port_key(port_id));
      }
      // Its address is in the routed_vteps of the networks its routers connect; and its own
      // copies of their remote ports leave out any at its own (new) address.
      for (const auto& neighbour : routers_.neighbours(network_id)) {
        work[neighbour].keys.insert(network_key(neighbour));
        if (underlay_changed) work[neighbour].full_hosts.insert(name);
      }
    }
  }
  // So do its copies of the remote ports of the external networks it NATs floating IPs on.
  if (underlay_changed) {
    for (const auto& router_id : floating_ip_routers_of_host(name)) {
      const RouterFacts* router = routers_.router(router_id);
      if (router != nullptr && router->external) work[router->external->network_id].full_hosts.insert(name);
    }
  }
  if (updated != nullptr) {
    index_.upsert_host(*updated);
  } else {
    index_.remove_host(name);
  }
  if (gateway_related) mark_gateway_moves(elected_before, name, work);
  mark_floating_ip_moves(floating_before, work);
}

// A subnet is one entry in its network's slice: only the hosts of that network (of the
// network it was in, and of the one it is in now) look at it again.
void ViewCompiler::change_subnet(const std::string& id, const SubnetFacts* updated, Work& work) {
  const SubnetFacts* current = index_.subnet(id);
  if (current == nullptr && updated == nullptr) return;
  if (current != nullptr && updated != nullptr && *current == *updated) return;
  if (current != nullptr && !slice_hosts(current->network_id).empty()) {
    work[current->network_id].keys.insert(subnet_key(id));
  }
  if (updated != nullptr) {
    if (!slice_hosts(updated->network_id).empty()) work[updated->network_id].keys.insert(subnet_key(id));
    index_.upsert_subnet(*updated);
  } else {
    index_.remove_subnet(id);
  }
}

void ViewCompiler::change_port(const std::string& id, const PortFacts* updated, Work& work) {
  const PortFacts* current = index_.port(id);
  if (current == nullptr && updated == nullptr) return;
  if (current != nullptr && updated != nullptr && same_port(*current, *updated)) return;
  // Its host NATs its floating IPs (when it maps the external network's physnet).
  FloatingIpPlacements floating_before;
  if ((current != nullptr ? current->host : std::string()) != (updated != nullptr ? updated->host : std::string())) {
    if (const auto* router_ids = routers_.routers_of_floating_ip_port(id)) {
      floating_before = floating_ip_placements(*router_ids);
    }
  }
  if (current != nullptr) mark_port(*current, work);  // as it was: who saw it
  if (updated != nullptr) {
    const NetworkFacts* network = index_.network(updated->network_id);
    if (!updated->host.empty() && network != nullptr && !host_can_bind(index_.host(updated->host), *network)) {
      spdlog::warn("view compiler: port {} of {} network {} is bound to host {}, which maps no interface to "
                   "physical network '{}': binding failed, the port is left out of every view",
                   id, network->network_type, network->id, updated->host, network->physical_network);
    }
    index_.upsert_port(*updated);
    mark_port(*updated, work);  // as it is: who sees it now
  } else {
    index_.remove_port(id);
  }
  mark_floating_ip_moves(floating_before, work);
}

// Marks the port's entries on every host of its network. When the port is its host's
// only one in the network, that host enters or leaves the network: its whole slice
// changes, and so do the others' flood lists.
void ViewCompiler::mark_port(const PortFacts& port, Work& work) const {
  const auto* members = index_.members(port.network_id);
  if (members == nullptr || port.host.empty()) return;
  auto& network_work = work[port.network_id];
  auto own = members->find(port.host);
  // Even when every slice is already dirty: a host leaving the network is not a
  // member any more by recompute() time and is only found through full_hosts.
  if (own != members->end() && own->second.size() == 1) {
    network_work.full_hosts.insert(port.host);
    network_work.keys.insert(network_key(port.network_id));
    mark_routed_reach(port.host, port.network_id, work);
  }
  if (network_work.all_full) return;
  network_work.keys.insert(local_port_key(port.id));
  network_work.keys.insert(remote_port_key(port.id));
}

// Visits the hosts of each dirtied network: its members now, plus the hosts that
// just left it (they are among full_hosts, their slice becomes empty).
std::vector<HostDelta> ViewCompiler::recompute(const Work& work, const std::set<std::string>& security_group_hosts) {
  std::map<std::string, ViewChanges> changes_by_host;
  SecurityGroupIndex::Built built;
  for (const auto& host : security_group_hosts) {
    views_[host].replace_slice(kSecurityGroupSlice, security_groups_.desired_slice(host, built),
                               changes_by_host[host]);
  }
  for (const auto& [network_id, network_work] : work) {
    FreshEntries fresh;
    auto visit = [&](const std::string& host) {
      HostView& view = views_[host];
      ViewChanges& changes = changes_by_host[host];
      if (network_work.all_full || network_work.full_hosts.count(host) != 0) {
        view.replace_slice(network_id, desired_slice(host, network_id, fresh), changes);
        return;
      }
      for (const auto& key : network_work.keys) {
        view.set_entry(network_id, key, desired_entry(host, network_id, key, fresh), changes);
      }
    };
    const std::set<std::string> holders = slice_hosts(network_id);
    for (const auto& host : holders) visit(host);
    for (const auto& host : network_work.full_hosts) {
      if (holders.count(host) == 0) visit(host);
    }
  }
  std::vector<HostDelta> deltas;
  for (const auto& [host, changes] : changes_by_host) {
    if (changes.empty()) continue;
    deltas.push_back({host, views_[host].commit(changes, epoch_, history_limit_, history_max_bytes_)});
    ++stats_.deltas;
  }
  return deltas;
}

uint64_t ViewCompiler::version(const std::string& host) const {
  std::lock_guard lock(mu_);
  auto it = views_.find(host);
  return it == views_.end() ? 0 : it->second.version();
}

sb::Snapshot ViewCompiler::snapshot(const std::string& host) const {
  std::lock_guard lock(mu_);
  auto it = views_.find(host);
  if (it != views_.end()) return it->second.snapshot(epoch_);
  sb::Snapshot empty;
  empty.set_epoch(epoch_);
  return empty;
}

std::optional<std::vector<sb::Delta>> ViewCompiler::deltas_since(const std::string& host,
                                                                 const std::string& epoch,
                                                                 uint64_t version) const {
  if (epoch != epoch_) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = views_.find(host);
  if (it == views_.end()) {
    if (version == 0) return std::vector<sb::Delta>{};
    return std::nullopt;
  }
  return it->second.deltas_since(version);
}

bool ViewCompiler::port_bound_to(const std::string& port_id, const std::string& host) const {
  std::lock_guard lock(mu_);
  const PortFacts* port = index_.port(port_id);
  return port != nullptr && port->host == host;
}

ViewCompilerStats ViewCompiler::stats() const {
  std::lock_guard lock(mu_);
  ViewCompilerStats stats = stats_;
  stats.hosts = views_.size();
  std::unordered_set<const sb::ViewEntry*> distinct;
  for (const auto& [host, view] : views_) {
    for (const auto& [network_id, slice] : view.slices()) {
      stats.entries += slice.size();
      for (const auto& [key, entry] : slice) distinct.insert(entry.get());
    }
  }
  stats.distinct_entries = distinct.size();
  return stats;
}

}  // namespace overcast::controller

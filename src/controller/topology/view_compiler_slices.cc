// The view compiler's desired state: what one host's slice of one network holds (its
// network entry with the flood list, subnets, local and remote ports, routed-into and
// external networks), built from the facts; recompute() in view_compiler.cc compares it
// with what the host has.
#include <algorithm>

#include "controller/topology/provider_binding.h"
#include "controller/topology/router_entries.h"
#include "controller/topology/view_compiler.h"
#include "controller/topology/view_entries.h"

namespace overcast::controller {

std::string ViewCompiler::own_underlay(const std::string& host) const {
  const HostFacts* facts = index_.host(host);
  return facts ? facts->underlay_ip : std::string();
}

std::vector<std::string> ViewCompiler::flood_vteps(const std::string& host,
                                                   const std::string& network_id) const {
  std::vector<std::string> vteps;
  const auto* members = index_.members(network_id);
  if (members == nullptr) return vteps;
  // A provider network's broadcast domain is its physical segment, not the overlay.
  if (const NetworkFacts* network = index_.network(network_id); network && is_provider_network(*network)) return vteps;
  const std::string own = own_underlay(host);
  for (const auto& [other, ports] : *members) {
    if (other == host) continue;
    const HostFacts* facts = index_.host(other);
    // A stale record may still hold this host's own address (a hypervisor replaced under
    // a new name): a VTEP never floods to itself.
    if (facts != nullptr && !facts->underlay_ip.empty() && facts->underlay_ip != own) {
      vteps.push_back(facts->underlay_ip);
    }
  }
  std::sort(vteps.begin(), vteps.end());
  vteps.erase(std::unique(vteps.begin(), vteps.end()), vteps.end());
  return vteps;
}

EntryRef ViewCompiler::share_remote_entry(const std::string& host, const std::string& network_id,
                                          sb::ViewEntry built, FreshEntries& fresh) const {
  auto it = fresh.find(built.key());
  if (it != fresh.end() && same_entry(*it->second, built)) return it->second;
  // A host that held the network before this change holds the entry already, unless
  // the change is about this very port: looking at a couple of them is enough.
  if (const auto* members = index_.members(network_id)) {
    int looked = 0;
    for (const auto& [other, ports] : *members) {
      if (other == host) continue;
      auto view = views_.find(other);
      if (view == views_.end()) continue;
      if (const EntryRef* held = view->second.find(network_id, built.key());
          held != nullptr && same_entry(**held, built)) {
        fresh[built.key()] = *held;
        return *held;
      }
      if (++looked == 2) break;
    }
  }
  auto shared = std::make_shared<const sb::ViewEntry>(std::move(built));
  fresh[shared->key()] = shared;
  return shared;
}

EntryRef ViewCompiler::desired_entry(const std::string& host, const std::string& network_id,
                                     const std::string& key, FreshEntries& fresh) const {
  if (is_router_slice(network_id)) return key == network_id ? router_entry_for(host, network_id) : nullptr;
  const NetworkFacts* network = index_.network(network_id);
  if (network == nullptr || !sees(host, network_id)) return nullptr;
  if (!host_can_bind(index_.host(host), *network)) return nullptr;
  if (key == network_key(network_id)) {
    return std::make_shared<const sb::ViewEntry>(network_entry_for(host, *network));
  }
  auto slash = key.find('/');
  if (slash == std::string::npos) return nullptr;
  std::string kind = key.substr(0, slash);
  if (kind == "subnet") {
    const SubnetFacts* subnet = index_.subnet(key.substr(slash + 1));
    if (subnet == nullptr || subnet->network_id != network_id) return nullptr;
    return share_remote_entry(host, network_id, make_subnet_entry(*subnet), fresh);
  }
  const PortFacts* port = index_.port(key.substr(slash + 1));
  if (port == nullptr || port->network_id != network_id || port->host.empty()) return nullptr;
  if (kind == "lport" && port->host == host) {
    return std::make_shared<const sb::ViewEntry>(make_local_port_entry(*port, *network));
  }
  if (kind == "rport" && port->host != host) {
    const HostFacts* remote = index_.host(port->host);
    if (remote == nullptr || remote->underlay_ip.empty() || remote->underlay_ip == own_underlay(host) ||
        !host_can_bind(remote, *network)) {
      return nullptr;
    }
    return share_remote_entry(host, network_id, make_remote_port_entry(*port, *network, remote->underlay_ip), fresh);
  }
  return nullptr;
}

HostView::Slice ViewCompiler::desired_slice(const std::string& host, const std::string& network_id,
                                            FreshEntries& fresh) const {
  HostView::Slice slice;
  if (is_router_slice(network_id)) {
    if (EntryRef router = router_entry_for(host, network_id)) slice[network_id] = std::move(router);
    return slice;
  }
  const NetworkFacts* network = index_.network(network_id);
  if (network == nullptr || !sees(host, network_id)) return slice;
  if (!host_can_bind(index_.host(host), *network)) return slice;
  slice[network_key(network_id)] = std::make_shared<const sb::ViewEntry>(network_entry_for(host, *network));
  if (const auto* subnet_ids = index_.subnets_of(network_id)) {
    for (const auto& subnet_id : *subnet_ids) {
      slice[subnet_key(subnet_id)] =
          share_remote_entry(host, network_id, make_subnet_entry(*index_.subnet(subnet_id)), fresh);
    }
  }
  const std::string own = own_underlay(host);
  const auto* members = index_.members(network_id);
  if (members == nullptr) return slice;  // routed into, no port in it yet
  for (const auto& [other, ports] : *members) {
    const HostFacts* remote = other == host ? nullptr : index_.host(other);
    if (other != host && (remote == nullptr || remote->underlay_ip.empty() || remote->underlay_ip == own ||
                          !host_can_bind(remote, *network))) {
      continue;
    }
    for (const auto& port_id : ports) {
      const PortFacts* port = index_.port(port_id);
      if (other == host) {
        slice[local_port_key(port_id)] = std::make_shared<const sb::ViewEntry>(make_local_port_entry(*port, *network));
      } else {
        slice[remote_port_key(port_id)] =
            share_remote_entry(host, network_id, make_remote_port_entry(*port, *network, remote->underlay_ip), fresh);
      }
    }
  }
  return slice;
}

}  // namespace overcast::controller

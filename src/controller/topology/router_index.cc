#include "controller/topology/router_index.h"

namespace overcast::controller {

std::set<std::string> networks_of(const RouterFacts& router) {
  std::set<std::string> networks;
  for (const auto& interface : router.interfaces) networks.insert(interface.network_id);
  return networks;
}

const RouterFacts* RouterIndex::router(const std::string& id) const {
  auto it = routers_.find(id);
  return it == routers_.end() ? nullptr : &it->second;
}

const std::set<std::string>* RouterIndex::routers_of(const std::string& network_id) const {
  auto it = network_routers_.find(network_id);
  return it == network_routers_.end() ? nullptr : &it->second;
}

std::set<std::string> RouterIndex::neighbours(const std::string& network_id) const {
  std::set<std::string> out;
  if (const auto* ids = routers_of(network_id)) {
    for (const auto& id : *ids) {
      for (const auto& interface : routers_.at(id).interfaces) {
        if (interface.network_id != network_id) out.insert(interface.network_id);
      }
    }
  }
  return out;
}

const std::set<std::string>* RouterIndex::routers_external_on(const std::string& network_id) const {
  auto it = external_network_routers_.find(network_id);
  return it == external_network_routers_.end() ? nullptr : &it->second;
}

const std::set<std::string>* RouterIndex::routers_of_floating_ip_port(const std::string& port_id) const {
  auto it = floating_ip_port_routers_.find(port_id);
  return it == floating_ip_port_routers_.end() ? nullptr : &it->second;
}

void RouterIndex::upsert(const RouterFacts& router) {
  remove(router.id);
  for (const auto& network_id : networks_of(router)) network_routers_[network_id].insert(router.id);
  if (router.external) {
    external_routers_.insert(router.id);
    external_network_routers_[router.external->network_id].insert(router.id);
  }
  for (const auto& floating_ip : router.floating_ips) {
    if (!floating_ip.port_id.empty()) floating_ip_port_routers_[floating_ip.port_id].insert(router.id);
  }
  routers_[router.id] = router;
}

void RouterIndex::remove(const std::string& id) {
  auto it = routers_.find(id);
  if (it == routers_.end()) return;
  for (const auto& network_id : networks_of(it->second)) {
    auto net = network_routers_.find(network_id);
    if (net == network_routers_.end()) continue;
    net->second.erase(id);
    if (net->second.empty()) network_routers_.erase(net);
  }
  if (const auto& external = it->second.external) {
    external_routers_.erase(id);
    auto net = external_network_routers_.find(external->network_id);
    if (net != external_network_routers_.end()) {
      net->second.erase(id);
      if (net->second.empty()) external_network_routers_.erase(net);
    }
  }
  for (const auto& floating_ip : it->second.floating_ips) {
    auto port = floating_ip_port_routers_.find(floating_ip.port_id);
    if (port == floating_ip_port_routers_.end()) continue;
    port->second.erase(id);
    if (port->second.empty()) floating_ip_port_routers_.erase(port);
  }
  routers_.erase(it);
}

}  // namespace overcast::controller

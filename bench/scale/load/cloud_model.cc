#include "bench/scale/load/cloud_model.h"

#include <algorithm>

namespace overcast::bench {

void CloudModel::bind(const std::string& port, const Place& place) {
  Network& network = networks_[place.network];
  auto& ports = network.ports_by_host[place.host];
  if (ports.empty()) host_networks_[place.host].insert(place.network);
  ports.insert(port);
  ++network.ports;
}

void CloudModel::unbind(const std::string& port, const Place& place) {
  Network& network = networks_[place.network];
  auto it = network.ports_by_host.find(place.host);
  if (it == network.ports_by_host.end()) return;
  it->second.erase(port);
  --network.ports;
  if (it->second.empty()) {
    network.ports_by_host.erase(it);
    host_networks_[place.host].erase(place.network);
  }
}

bool CloudModel::add_port(const std::string& port, const std::string& network, const std::string& host,
                          std::vector<std::string> security_groups) {
  if (ports_.count(port) != 0) return false;
  Place place{network, host, std::move(security_groups)};
  bind(port, place);
  ports_.emplace(port, std::move(place));
  return true;
}

bool CloudModel::move_port(const std::string& port, const std::string& host) {
  auto it = ports_.find(port);
  if (it == ports_.end() || it->second.host == host) return false;
  unbind(port, it->second);
  it->second.host = host;
  bind(port, it->second);
  return true;
}

bool CloudModel::remove_port(const std::string& port) {
  auto it = ports_.find(port);
  if (it == ports_.end()) return false;
  unbind(port, it->second);
  ports_.erase(it);
  return true;
}

std::vector<std::string> CloudModel::hosts_of(const std::string& network) const {
  std::vector<std::string> out;
  auto it = networks_.find(network);
  if (it == networks_.end()) return out;
  for (const auto& [host, ports] : it->second.ports_by_host) out.push_back(host);
  return out;
}

const std::string* CloudModel::network_of(const std::string& port) const {
  auto it = ports_.find(port);
  return it == ports_.end() ? nullptr : &it->second.network;
}

const std::string* CloudModel::host_of(const std::string& port) const {
  auto it = ports_.find(port);
  return it == ports_.end() ? nullptr : &it->second.host;
}

bool CloudModel::add_subnet(const std::string& subnet, const std::string& network) {
  if (!subnet_ids_.insert(subnet).second) return false;
  networks_[network].subnets.insert(subnet);
  return true;
}

std::set<std::string> CloudModel::host_groups(const std::string& host) const {
  std::set<std::string> groups;
  auto it = host_networks_.find(host);
  if (it == host_networks_.end()) return groups;
  for (const auto& network_id : it->second) {
    const auto& by_host = networks_.at(network_id).ports_by_host;
    auto own = by_host.find(host);
    if (own == by_host.end()) continue;
    for (const auto& port : own->second) {
      const auto& place = ports_.at(port);
      groups.insert(place.security_groups.begin(), place.security_groups.end());
    }
  }
  return groups;
}

size_t CloudModel::ideal_entries(const std::string& host) const {
  auto it = host_networks_.find(host);
  if (it == host_networks_.end()) return 0;
  size_t n = 2 * host_groups(host).size();
  for (const auto& network_id : it->second) {
    const auto& network = networks_.at(network_id);
    n += 1 + network.ports + network.subnets.size();
  }
  return n;
}

std::vector<std::string> CloudModel::ideal_keys(const std::string& host) const {
  std::vector<std::string> keys;
  auto it = host_networks_.find(host);
  if (it == host_networks_.end()) return keys;
  for (const auto& network_id : it->second) {
    keys.push_back("net/" + network_id);
    const auto& network = networks_.at(network_id);
    for (const auto& subnet : network.subnets) keys.push_back("subnet/" + subnet);
    for (const auto& [port_host, ports] : network.ports_by_host) {
      const char* prefix = port_host == host ? "lport/" : "rport/";
      for (const auto& port : ports) keys.push_back(prefix + port);
    }
  }
  for (const auto& group : host_groups(host)) {
    keys.push_back("sg/" + group);
    keys.push_back("sgm/" + group);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> CloudModel::port_ids() const {
  std::vector<std::string> out;
  out.reserve(ports_.size());
  for (const auto& [id, place] : ports_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> concerned_hosts(const std::vector<std::string>& before,
                                         const std::vector<std::string>& after) {
  std::vector<std::string> out = before;
  out.insert(out.end(), after.begin(), after.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace overcast::bench

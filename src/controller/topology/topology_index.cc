#include "controller/topology/topology_index.h"

namespace overcast::controller {

const NetworkFacts* TopologyIndex::network(const std::string& id) const {
  auto it = networks_.find(id);
  return it == networks_.end() ? nullptr : &it->second;
}

const PortFacts* TopologyIndex::port(const std::string& id) const {
  auto it = ports_.find(id);
  return it == ports_.end() ? nullptr : &it->second;
}

const SubnetFacts* TopologyIndex::subnet(const std::string& id) const {
  auto it = subnets_.find(id);
  return it == subnets_.end() ? nullptr : &it->second;
}

const std::set<std::string>* TopologyIndex::subnets_of(const std::string& network_id) const {
  auto it = network_subnets_.find(network_id);
  return it == network_subnets_.end() ? nullptr : &it->second;
}

void TopologyIndex::upsert_subnet(const SubnetFacts& subnet) {
  remove_subnet(subnet.id);  // it may have moved networks
  subnets_[subnet.id] = subnet;
  network_subnets_[subnet.network_id].insert(subnet.id);
}

void TopologyIndex::remove_subnet(const std::string& id) {
  auto it = subnets_.find(id);
  if (it == subnets_.end()) return;
  auto net = network_subnets_.find(it->second.network_id);
  if (net != network_subnets_.end()) {
    net->second.erase(id);
    if (net->second.empty()) network_subnets_.erase(net);
  }
  subnets_.erase(it);
}

const HostFacts* TopologyIndex::host(const std::string& name) const {
  auto it = hosts_.find(name);
  return it == hosts_.end() ? nullptr : &it->second;
}

const TopologyIndex::Members* TopologyIndex::members(const std::string& network_id) const {
  auto it = members_.find(network_id);
  return it == members_.end() ? nullptr : &it->second;
}

const std::set<std::string>* TopologyIndex::networks_of_host(const std::string& host) const {
  auto it = host_networks_.find(host);
  return it == host_networks_.end() ? nullptr : &it->second;
}

bool TopologyIndex::host_has_ports_in(const std::string& host, const std::string& network_id) const {
  const Members* m = members(network_id);
  return m != nullptr && m->count(host) != 0;
}

void TopologyIndex::upsert_port(const PortFacts& port) {
  auto it = ports_.find(port.id);
  if (it != ports_.end()) {
    unlink(it->second);
    it->second = port;
  } else {
    ports_.emplace(port.id, port);
  }
  link(port);
}

void TopologyIndex::remove_port(const std::string& id) {
  auto it = ports_.find(id);
  if (it == ports_.end()) return;
  unlink(it->second);
  ports_.erase(it);
}

// Unbound ports (empty host) are kept but belong to no host's view.
void TopologyIndex::link(const PortFacts& port) {
  if (port.host.empty()) return;
  members_[port.network_id][port.host].insert(port.id);
  host_networks_[port.host].insert(port.network_id);
}

void TopologyIndex::unlink(const PortFacts& port) {
  if (port.host.empty()) return;
  auto net = members_.find(port.network_id);
  if (net == members_.end()) return;
  auto host = net->second.find(port.host);
  if (host == net->second.end()) return;
  host->second.erase(port.id);
  if (!host->second.empty()) return;
  net->second.erase(host);
  if (net->second.empty()) members_.erase(net);
  auto nets = host_networks_.find(port.host);
  if (nets != host_networks_.end()) {
    nets->second.erase(port.network_id);
    if (nets->second.empty()) host_networks_.erase(nets);
  }
}

bool same_network(const NetworkFacts& a, const NetworkFacts& b) {
  return a.id == b.id && a.vni == b.vni && a.mtu == b.mtu && a.encapsulation == b.encapsulation &&
         a.network_type == b.network_type && a.physical_network == b.physical_network &&
         a.segmentation_id == b.segmentation_id;
}

bool same_port(const PortFacts& a, const PortFacts& b) {
  return a.id == b.id && a.network_id == b.network_id && a.host == b.host && a.mac == b.mac &&
         a.ips == b.ips && a.admin_up == b.admin_up && a.port_security_enabled == b.port_security_enabled &&
         a.allowed_address_pairs == b.allowed_address_pairs && a.security_groups == b.security_groups;
}

}  // namespace overcast::controller

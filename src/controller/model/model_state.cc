#include "controller/model/model_state.h"

namespace overcast::controller {

namespace {
template <class Map>
const typename Map::mapped_type* find_in(const Map& map, const std::string& id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

template <class Value>
const Value& empty_value() {
  static const Value empty;
  return empty;
}

template <class Map>
void erase_from_set(Map& map, const std::string& key, const std::string& member) {
  auto it = map.find(key);
  if (it == map.end()) return;
  it->second.erase(member);
  if (it->second.empty()) map.erase(it);
}
}  // namespace

const Network* ModelState::find_network(const std::string& id) const { return find_in(networks_, id); }
const Subnet* ModelState::find_subnet(const std::string& id) const { return find_in(subnets_, id); }
const Port* ModelState::find_port(const std::string& id) const { return find_in(ports_, id); }
const Agent* ModelState::find_agent(const std::string& id) const { return find_in(agents_, id); }
const Router* ModelState::find_router(const std::string& id) const { return find_in(routers_, id); }
const FloatingIp* ModelState::find_floating_ip(const std::string& id) const { return find_in(floating_ips_, id); }
const SecurityGroup* ModelState::find_security_group(const std::string& id) const {
  return find_in(security_groups_, id);
}
const SecurityGroupRule* ModelState::find_security_group_rule(const std::string& id) const {
  return find_in(rules_, id);
}

void ModelState::put_router(const Router& router) { routers_[router.id] = router; }
void ModelState::erase_router(const std::string& id) { routers_.erase(id); }
void ModelState::put_floating_ip(const FloatingIp& floating_ip) { floating_ips_[floating_ip.id] = floating_ip; }
void ModelState::erase_floating_ip(const std::string& id) { floating_ips_.erase(id); }
void ModelState::put_security_group(const SecurityGroup& group) { security_groups_[group.id] = group; }
void ModelState::erase_security_group(const std::string& id) { security_groups_.erase(id); }

void ModelState::put_security_group_rule(const SecurityGroupRule& rule) {
  erase_security_group_rule(rule.id);
  rules_[rule.id] = rule;
  rules_by_group_[rule.security_group_id].insert(rule.id);
}

void ModelState::erase_security_group_rule(const std::string& id) {
  auto it = rules_.find(id);
  if (it == rules_.end()) return;
  erase_from_set(rules_by_group_, it->second.security_group_id, id);
  rules_.erase(it);
}

const std::set<std::string>& ModelState::rules_of(const std::string& security_group_id) const {
  auto it = rules_by_group_.find(security_group_id);
  return it == rules_by_group_.end() ? empty_value<std::set<std::string>>() : it->second;
}

const Agent* ModelState::find_agent_by_host(const std::string& host) const {
  auto it = agent_by_host_.find(host);
  return it == agent_by_host_.end() ? nullptr : find_agent(it->second);
}

void ModelState::put_network(const Network& network) {
  erase_network(network.id);
  networks_[network.id] = network;
  vnis_.insert(network.vni);
}

void ModelState::erase_network(const std::string& id) {
  auto it = networks_.find(id);
  if (it == networks_.end()) return;
  vnis_.erase(it->second.vni);
  networks_.erase(it);
}

void ModelState::put_subnet(const Subnet& subnet) {
  erase_subnet(subnet.id);
  subnets_[subnet.id] = subnet;
  subnets_by_network_[subnet.network_id].insert(subnet.id);
}

void ModelState::erase_subnet(const std::string& id) {
  auto it = subnets_.find(id);
  if (it == subnets_.end()) return;
  erase_from_set(subnets_by_network_, it->second.network_id, id);
  subnets_.erase(it);
}

void ModelState::put_port(const Port& port) {
  erase_port(port.id);
  ports_[port.id] = port;
  index_port(port);
}

void ModelState::erase_port(const std::string& id) {
  auto it = ports_.find(id);
  if (it == ports_.end()) return;
  unindex_port(it->second);
  ports_.erase(it);
}

void ModelState::index_port(const Port& port) {
  ports_by_network_[port.network_id].insert(port.id);
  macs_by_network_[port.network_id][port.mac_address] = port.id;
  for (const auto& fixed : port.fixed_ips) {
    if (auto ip = IpAddress::parse(fixed.ip_address)) {
      addresses_by_subnet_[fixed.subnet_id][*ip] = port.id;
    }
  }
}

void ModelState::unindex_port(const Port& port) {
  erase_from_set(ports_by_network_, port.network_id, port.id);
  erase_from_set(macs_by_network_, port.network_id, port.mac_address);
  for (const auto& fixed : port.fixed_ips) {
    auto ip = IpAddress::parse(fixed.ip_address);
    auto it = addresses_by_subnet_.find(fixed.subnet_id);
    if (!ip || it == addresses_by_subnet_.end()) continue;
    it->second.erase(*ip);
    if (it->second.empty()) addresses_by_subnet_.erase(it);
  }
}

void ModelState::put_agent(const Agent& agent) {
  erase_agent(agent.id);
  agents_[agent.id] = agent;
  agent_by_host_[agent.host] = agent.id;
}

void ModelState::erase_agent(const std::string& id) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  agent_by_host_.erase(it->second.host);
  agents_.erase(it);
}

std::optional<uint32_t> ModelState::lowest_free_vni(uint32_t first, uint32_t last) const {
  uint32_t candidate = first;
  for (auto it = vnis_.lower_bound(first); it != vnis_.end() && *it == candidate; ++it) {
    if (candidate == last) return std::nullopt;
    ++candidate;
  }
  return candidate <= last ? std::optional<uint32_t>(candidate) : std::nullopt;
}

const std::set<std::string>& ModelState::subnets_of(const std::string& network_id) const {
  auto it = subnets_by_network_.find(network_id);
  return it == subnets_by_network_.end() ? empty_value<std::set<std::string>>() : it->second;
}

const std::set<std::string>& ModelState::ports_of(const std::string& network_id) const {
  auto it = ports_by_network_.find(network_id);
  return it == ports_by_network_.end() ? empty_value<std::set<std::string>>() : it->second;
}

std::optional<std::string> ModelState::mac_owner(const std::string& network_id,
                                                 const std::string& mac) const {
  auto net = macs_by_network_.find(network_id);
  if (net == macs_by_network_.end()) return std::nullopt;
  auto it = net->second.find(mac);
  if (it == net->second.end()) return std::nullopt;
  return it->second;
}

const std::map<IpAddress, std::string>& ModelState::addresses_of(const std::string& subnet_id) const {
  auto it = addresses_by_subnet_.find(subnet_id);
  return it == addresses_by_subnet_.end() ? empty_value<std::map<IpAddress, std::string>>()
                                          : it->second;
}

}  // namespace overcast::controller

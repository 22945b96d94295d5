#include "controller/model/topology_facts.h"

#include <algorithm>

#include "common/bridge_mapping.h"

namespace overcast::controller {

NetworkFacts network_facts(const Network& network) {
  NetworkFacts facts{network.id, network.vni, network.mtu, "vxlan"};
  facts.network_type = network.network_type;
  facts.physical_network = network.physical_network;
  facts.segmentation_id = network.network_type == "vlan" ? network.vlan_id : 0;
  return facts;
}

HostFacts host_facts(const Agent& agent, bool alive) {
  HostFacts facts{agent.host, agent.underlay_ip};
  facts.gateway = agent.kind == HostKind::kAgent && agent.gateway;
  facts.gateway_priority = agent.gateway_priority;
  facts.alive = alive;
  for (const auto& text : agent.bridge_mappings) {
    std::string error;  // registration refused bad mappings: this cannot fail
    if (auto mapping = parse_bridge_mapping(text, error)) facts.physnets.push_back(mapping->physical_network);
  }
  std::sort(facts.physnets.begin(), facts.physnets.end());
  facts.physnets.erase(std::unique(facts.physnets.begin(), facts.physnets.end()), facts.physnets.end());
  return facts;
}

bool agent_maps_physnet(const Agent& agent, const std::string& physical_network) {
  const auto physnets = host_facts(agent).physnets;
  return std::binary_search(physnets.begin(), physnets.end(), physical_network);
}

SubnetFacts subnet_facts(const Subnet& subnet) {
  SubnetFacts facts;
  facts.id = subnet.id;
  facts.network_id = subnet.network_id;
  facts.ip_version = subnet.ip_version;
  facts.cidr = subnet.cidr;
  facts.gateway_ip = subnet.gateway_ip.value_or("");
  facts.enable_dhcp = subnet.enable_dhcp;
  facts.dns_nameservers = subnet.dns_nameservers;
  for (const auto& route : subnet.host_routes) facts.host_routes.push_back({route.destination, route.nexthop});
  return facts;
}

PortFacts port_facts(const Port& port) {
  PortFacts facts{port.id, port.network_id, port.binding_host_id, port.mac_address, {}, port.admin_state_up};
  for (const auto& fixed : port.fixed_ips) facts.ips.push_back(fixed.ip_address);
  facts.port_security_enabled = port.port_security_enabled;
  for (const auto& pair : port.allowed_address_pairs) {
    facts.allowed_address_pairs.push_back(
        {pair.ip_address, pair.mac_address.empty() ? port.mac_address : pair.mac_address});
  }
  if (port.port_security_enabled) facts.security_groups = port.security_groups;
  return facts;
}

SecurityGroupFacts security_group_facts(const ModelState& state, const SecurityGroup& group) {
  SecurityGroupFacts facts;
  facts.id = group.id;
  for (const auto& rule_id : state.rules_of(group.id)) {
    const SecurityGroupRule* rule = state.find_security_group_rule(rule_id);
    if (rule == nullptr) continue;
    SecurityGroupRuleFacts r;
    r.id = rule->id;
    r.direction = rule->direction;
    r.ethertype = rule->ethertype;
    r.protocol = rule->protocol.value_or("");
    if (rule->port_range_min) r.port_range_min = static_cast<int>(*rule->port_range_min);
    if (rule->port_range_max) r.port_range_max = static_cast<int>(*rule->port_range_max);
    r.remote_ip_prefix = rule->remote_ip_prefix.value_or("");
    r.remote_group_id = rule->remote_group_id.value_or("");
    facts.rules.push_back(std::move(r));
  }
  std::sort(facts.rules.begin(), facts.rules.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return facts;
}

}  // namespace overcast::controller

#include "controller/topology/view_entries.h"

#include <google/protobuf/util/message_differencer.h>

namespace overcast::controller {

std::string network_key(const std::string& network_id) { return "net/" + network_id; }
std::string subnet_key(const std::string& subnet_id) { return "subnet/" + subnet_id; }
std::string local_port_key(const std::string& port_id) { return "lport/" + port_id; }
std::string remote_port_key(const std::string& port_id) { return "rport/" + port_id; }

sb::ViewEntry make_network_entry(const NetworkFacts& network, std::vector<std::string> flood_vteps) {
  sb::ViewEntry entry;
  entry.set_key(network_key(network.id));
  auto* body = entry.mutable_network();
  body->set_network_id(network.id);
  body->set_vni(network.vni);
  body->set_mtu(network.mtu);
  body->set_encapsulation(network.encapsulation);
  if (network.network_type != "vxlan") {
    body->set_network_type(network.network_type);
    body->set_physical_network(network.physical_network);
    body->set_segmentation_id(network.segmentation_id);
  }
  for (auto& vtep : flood_vteps) body->add_flood_vteps(std::move(vtep));
  return entry;
}

sb::ViewEntry make_subnet_entry(const SubnetFacts& subnet) {
  sb::ViewEntry entry;
  entry.set_key(subnet_key(subnet.id));
  auto* body = entry.mutable_subnet();
  body->set_subnet_id(subnet.id);
  body->set_network_id(subnet.network_id);
  body->set_ip_version(static_cast<uint32_t>(subnet.ip_version));
  body->set_cidr(subnet.cidr);
  body->set_gateway_ip(subnet.gateway_ip);
  body->set_enable_dhcp(subnet.enable_dhcp);
  for (const auto& dns : subnet.dns_nameservers) body->add_dns_nameservers(dns);
  for (const auto& route : subnet.host_routes) {
    auto* r = body->add_host_routes();
    r->set_destination(route.destination);
    r->set_nexthop(route.nexthop);
  }
  return entry;
}

sb::ViewEntry make_local_port_entry(const PortFacts& port, const NetworkFacts& network) {
  sb::ViewEntry entry;
  entry.set_key(local_port_key(port.id));
  auto* body = entry.mutable_local_port();
  body->set_port_id(port.id);
  body->set_network_id(port.network_id);
  body->set_vni(network.vni);
  body->set_mac(port.mac);
  for (const auto& ip : port.ips) body->add_ips(ip);
  body->set_tap_name(tap_name_for_port(port.id));
  body->set_admin_up(port.admin_up);
  body->set_mtu(network.mtu);
  body->set_port_security_enabled(port.port_security_enabled);
  for (const auto& pair : port.allowed_address_pairs) {
    auto* p = body->add_allowed_address_pairs();
    p->set_ip_address(pair.ip_address);
    p->set_mac_address(pair.mac_address);
  }
  if (port.port_security_enabled) {
    for (const auto& group : port.security_groups) body->add_security_groups(group);
  }
  return entry;
}

sb::ViewEntry make_remote_port_entry(const PortFacts& port, const NetworkFacts& network,
                                     const std::string& vtep_ip) {
  sb::ViewEntry entry;
  entry.set_key(remote_port_key(port.id));
  auto* body = entry.mutable_remote_port();
  body->set_port_id(port.id);
  body->set_network_id(port.network_id);
  body->set_vni(network.vni);
  body->set_mac(port.mac);
  for (const auto& ip : port.ips) body->add_ips(ip);
  body->set_vtep_ip(vtep_ip);
  return entry;
}

bool same_entry(const sb::ViewEntry& a, const sb::ViewEntry& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace overcast::controller

#include "controller/topology/view_entries.h"

#include <google/protobuf/util/message_differencer.h>

namespace overcast::controller {

std::string network_key(const std::string& network_id) { return "net/" + network_id; }
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
  for (auto& vtep : flood_vteps) body->add_flood_vteps(std::move(vtep));
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

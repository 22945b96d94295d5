// The compiler's own index of the facts the model sent: networks, ports, registered
// hosts, and which host has which ports in which network. It answers the questions
// the view computation asks ("who has ports in N?", "which networks does H use?")
// without scanning everything.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "controller/topology/topology_listener.h"

namespace overcast::controller {

class TopologyIndex {
 public:
  // host -> ids of that host's ports in one network.
  using Members = std::map<std::string, std::set<std::string>>;

  const NetworkFacts* network(const std::string& id) const;
  const PortFacts* port(const std::string& id) const;
  const SubnetFacts* subnet(const std::string& id) const;
  // Ids of the subnets of `network_id`; null when none.
  const std::set<std::string>* subnets_of(const std::string& network_id) const;
  // Only hosts that registered (sent HostFacts).
  const HostFacts* host(const std::string& name) const;
  // Hosts with ports bound in `network_id` (registered or not); null when none.
  const Members* members(const std::string& network_id) const;
  // Networks in which `host` has at least one bound port; null when none.
  const std::set<std::string>* networks_of_host(const std::string& host) const;
  bool host_has_ports_in(const std::string& host, const std::string& network_id) const;

  void upsert_network(const NetworkFacts& network) { networks_[network.id] = network; }
  void remove_network(const std::string& id) { networks_.erase(id); }
  void upsert_host(const HostFacts& host) {
    hosts_[host.host] = host;
    if (host.gateway) {
      gateway_hosts_.insert(host.host);
    } else {
      gateway_hosts_.erase(host.host);
    }
  }
  void remove_host(const std::string& name) {
    hosts_.erase(name);
    gateway_hosts_.erase(name);
  }
  // Registered hosts started with --gateway (alive or not).
  const std::set<std::string>& gateway_hosts() const { return gateway_hosts_; }
  void upsert_subnet(const SubnetFacts& subnet);
  void remove_subnet(const std::string& id);
  void upsert_port(const PortFacts& port);
  void remove_port(const std::string& id);

  size_t network_count() const { return networks_.size(); }
  size_t port_count() const { return ports_.size(); }
  size_t host_count() const { return hosts_.size(); }

 private:
  void unlink(const PortFacts& port);
  void link(const PortFacts& port);

  std::unordered_map<std::string, NetworkFacts> networks_;
  std::unordered_map<std::string, PortFacts> ports_;
  std::unordered_map<std::string, SubnetFacts> subnets_;
  std::unordered_map<std::string, std::set<std::string>> network_subnets_;  // network -> subnets
  std::unordered_map<std::string, HostFacts> hosts_;
  std::set<std::string> gateway_hosts_;
  std::unordered_map<std::string, Members> members_;                         // network -> hosts
  std::unordered_map<std::string, std::set<std::string>> host_networks_;   // host -> networks
};

bool same_network(const NetworkFacts& a, const NetworkFacts& b);
bool same_port(const PortFacts& a, const PortFacts& b);

}  // namespace overcast::controller

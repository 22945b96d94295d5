// The in-memory logical model: resources by id plus the indices that validation and
// allocation consult (VNIs, MACs per network, IPs per subnet, ports/subnets of a
// network, agents by host). Every change goes through put_*/erase_*, which keep the
// indices in step, so undoing a change is putting back the old value.
// Not thread-safe: LogicalModel guards it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/ip_address.h"
#include "controller/model/resources.h"

namespace overcast::controller {

class ModelState {
 public:
  const std::map<std::string, Network>& networks() const { return networks_; }
  const std::map<std::string, Subnet>& subnets() const { return subnets_; }
  const std::map<std::string, Port>& ports() const { return ports_; }
  const std::map<std::string, Agent>& agents() const { return agents_; }
  const std::map<std::string, Router>& routers() const { return routers_; }
  const std::map<std::string, FloatingIp>& floating_ips() const { return floating_ips_; }
  const std::map<std::string, SecurityGroup>& security_groups() const { return security_groups_; }
  const std::map<std::string, SecurityGroupRule>& security_group_rules() const { return rules_; }

  const Network* find_network(const std::string& id) const;
  const Subnet* find_subnet(const std::string& id) const;
  const Port* find_port(const std::string& id) const;
  const Agent* find_agent(const std::string& id) const;
  const Agent* find_agent_by_host(const std::string& host) const;
  const Router* find_router(const std::string& id) const;
  const FloatingIp* find_floating_ip(const std::string& id) const;
  const SecurityGroup* find_security_group(const std::string& id) const;
  const SecurityGroupRule* find_security_group_rule(const std::string& id) const;

  void put_network(const Network& network);
  void erase_network(const std::string& id);
  void put_subnet(const Subnet& subnet);
  void erase_subnet(const std::string& id);
  void put_port(const Port& port);
  void erase_port(const std::string& id);
  void put_agent(const Agent& agent);
  void erase_agent(const std::string& id);
  void put_router(const Router& router);
  void erase_router(const std::string& id);
  void put_floating_ip(const FloatingIp& floating_ip);
  void erase_floating_ip(const std::string& id);
  void put_security_group(const SecurityGroup& group);
  void erase_security_group(const std::string& id);
  void put_security_group_rule(const SecurityGroupRule& rule);
  void erase_security_group_rule(const std::string& id);

  // Rules of a security group (ids).
  const std::set<std::string>& rules_of(const std::string& security_group_id) const;

  bool vni_in_use(uint32_t vni) const { return vnis_.contains(vni); }
  // The lowest VNI in [first, last] not in use; nullopt when all are taken.
  std::optional<uint32_t> lowest_free_vni(uint32_t first, uint32_t last) const;
  const std::set<std::string>& subnets_of(const std::string& network_id) const;
  const std::set<std::string>& ports_of(const std::string& network_id) const;
  // The port holding `mac` on the network, if any.
  std::optional<std::string> mac_owner(const std::string& network_id, const std::string& mac) const;
  // Allocated addresses of a subnet and the port holding each.
  const std::map<IpAddress, std::string>& addresses_of(const std::string& subnet_id) const;

 private:
  void index_port(const Port& port);
  void unindex_port(const Port& port);

  std::map<std::string, Network> networks_;
  std::map<std::string, Subnet> subnets_;
  std::map<std::string, Port> ports_;
  std::map<std::string, Agent> agents_;
  std::map<std::string, Router> routers_;
  std::map<std::string, FloatingIp> floating_ips_;
  std::map<std::string, SecurityGroup> security_groups_;
  std::map<std::string, SecurityGroupRule> rules_;
  std::map<std::string, std::set<std::string>> rules_by_group_;

  std::set<uint32_t> vnis_;
  std::map<std::string, std::set<std::string>> subnets_by_network_;
  std::map<std::string, std::set<std::string>> ports_by_network_;
  std::map<std::string, std::map<std::string, std::string>> macs_by_network_;
  std::map<std::string, std::map<IpAddress, std::string>> addresses_by_subnet_;
  std::map<std::string, std::string> agent_by_host_;
};

}  // namespace overcast::controller

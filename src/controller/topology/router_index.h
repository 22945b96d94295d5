// The compiler's index of routers: which routers connect which networks. A host with a
// port on one of a router's networks routes for it, so it needs every network the
// router connects (their "neighbours"), not only its own.
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "controller/topology/topology_listener.h"

namespace overcast::controller {

class RouterIndex {
 public:
  const RouterFacts* router(const std::string& id) const;
  // Ids of the routers with an interface on `network_id`; null when none.
  const std::set<std::string>* routers_of(const std::string& network_id) const;
  // Networks connected to `network_id` by one router, itself excluded. One hop only: a
  // host routes through the routers of its own networks, never router to router.
  std::set<std::string> neighbours(const std::string& network_id) const;
  // Ids of the routers with an external gateway (on any network); their gateway host
  // is re-elected when a gateway host changes.
  const std::set<std::string>& routers_with_external() const { return external_routers_; }
  // Ids of the routers whose external gateway is on `network_id`; null when none.
  const std::set<std::string>* routers_external_on(const std::string& network_id) const;
  // Ids of the routers with a floating IP on port `port_id`; null when none.
  const std::set<std::string>* routers_of_floating_ip_port(const std::string& port_id) const;

  void upsert(const RouterFacts& router);
  void remove(const std::string& id);

  size_t size() const { return routers_.size(); }

 private:
  std::unordered_map<std::string, RouterFacts> routers_;
  std::unordered_map<std::string, std::set<std::string>> network_routers_;  // network -> routers
  std::set<std::string> external_routers_;
  std::unordered_map<std::string, std::set<std::string>> external_network_routers_;  // external network -> routers
  std::unordered_map<std::string, std::set<std::string>> floating_ip_port_routers_;  // floating IP's port -> routers
};

// The distinct networks of a router's interfaces.
std::set<std::string> networks_of(const RouterFacts& router);

}  // namespace overcast::controller

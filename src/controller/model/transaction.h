// One API write against the in-memory model: changes are applied to the ModelState at
// once (so later steps of the same request, e.g. the next port of a bulk create, see
// them) while the old values are remembered. commit() makes them durable in the Store;
// anything short of a successful commit puts every touched resource back, indices and
// allocations included, so a failed request changes nothing.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "controller/model/model_error.h"
#include "controller/model/model_state.h"
#include "controller/store/store.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

class Transaction {
 public:
  explicit Transaction(ModelState& state) : state_(state) {}
  ~Transaction();  // rolls back unless committed
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const ModelState& state() const { return state_; }

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

  // Writes the batch to the store. On failure the model is rolled back and the error
  // returned (500: the request was valid, the store was not; kStaleType: a shared
  // store refused it because another controller wrote first).
  Status commit(Store& store);
  // Keeps the changes without writing them anywhere: they came from the store (another
  // controller's commit), so they are durable already.
  void accept() { committed_ = true; }
  static constexpr const char* kStaleType = "StoreStale";
  void rollback();
  // What the committed transaction means to the TopologyListener: final values of the
  // touched networks, ports and hosts (a host only when it is new, removed, or its
  // underlay IP changed).
  ChangeSet change_set() const;

 private:
  ModelState& state_;
  bool committed_ = false;
  // The value each touched resource had before this transaction (nullopt: absent).
  std::map<std::string, std::optional<Network>> networks_;
  std::map<std::string, std::optional<Subnet>> subnets_;
  std::map<std::string, std::optional<Port>> ports_;
  std::map<std::string, std::optional<Agent>> agents_;
  std::map<std::string, std::optional<Router>> routers_;
  std::map<std::string, std::optional<FloatingIp>> floating_ips_;
  std::map<std::string, std::optional<SecurityGroup>> security_groups_;
  std::map<std::string, std::optional<SecurityGroupRule>> rules_;
};

}  // namespace overcast::controller

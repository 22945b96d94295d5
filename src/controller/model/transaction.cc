#include "controller/model/transaction.h"

#include "controller/model/resource_codec.h"
#include "controller/model/router_facts.h"
#include "controller/model/topology_facts.h"

#include <set>

namespace overcast::controller {

namespace {
// Records the first-seen value of a resource, so rollback restores the pre-transaction one.
template <class T>
void remember(std::map<std::string, std::optional<T>>& originals, const std::string& id,
              const T* current) {
  if (originals.contains(id)) return;
  originals[id] = current ? std::optional<T>(*current) : std::nullopt;
}

template <class T, class Find>
void add_to_batch(WriteBatch& batch, const char* kind,
                  const std::map<std::string, std::optional<T>>& originals, Find find) {
  for (const auto& [id, original] : originals) {
    if (const T* now = find(id)) {
      batch.puts.push_back({kind, id, nlohmann::json(*now).dump()});
    } else if (original) {
      batch.deletes.push_back({kind, id});
    }
  }
}
template <class T, class Put, class Erase>
void restore(const std::map<std::string, std::optional<T>>& originals, Put put, Erase erase) {
  for (const auto& [id, original] : originals) {
    if (original) put(*original); else erase(id);
  }
}
}  // namespace

Transaction::~Transaction() {
  if (!committed_) rollback();
}

void Transaction::put_network(const Network& network) {
  remember(networks_, network.id, state_.find_network(network.id));
  state_.put_network(network);
}
void Transaction::erase_network(const std::string& id) {
  remember(networks_, id, state_.find_network(id));
  state_.erase_network(id);
}
void Transaction::put_subnet(const Subnet& subnet) {
  remember(subnets_, subnet.id, state_.find_subnet(subnet.id));
  state_.put_subnet(subnet);
}
void Transaction::erase_subnet(const std::string& id) {
  remember(subnets_, id, state_.find_subnet(id));
  state_.erase_subnet(id);
}
void Transaction::put_port(const Port& port) {
  remember(ports_, port.id, state_.find_port(port.id));
  state_.put_port(port);
}
void Transaction::erase_port(const std::string& id) {
  remember(ports_, id, state_.find_port(id));
  state_.erase_port(id);
}
void Transaction::put_agent(const Agent& agent) {
  remember(agents_, agent.id, state_.find_agent(agent.id));
  state_.put_agent(agent);
}
void Transaction::erase_agent(const std::string& id) {
  remember(agents_, id, state_.find_agent(id));
  state_.erase_agent(id);
}

void Transaction::put_router(const Router& router) {
  remember(routers_, router.id, state_.find_router(router.id));
  state_.put_router(router);
}
void Transaction::erase_router(const std::string& id) {
  remember(routers_, id, state_.find_router(id));
  state_.erase_router(id);
}
void Transaction::put_floating_ip(const FloatingIp& floating_ip) {
  remember(floating_ips_, floating_ip.id, state_.find_floating_ip(floating_ip.id));
  state_.put_floating_ip(floating_ip);
}
void Transaction::erase_floating_ip(const std::string& id) {
  remember(floating_ips_, id, state_.find_floating_ip(id));
  state_.erase_floating_ip(id);
}
void Transaction::put_security_group(const SecurityGroup& group) {
  remember(security_groups_, group.id, state_.find_security_group(group.id));
  state_.put_security_group(group);
}
void Transaction::erase_security_group(const std::string& id) {
  remember(security_groups_, id, state_.find_security_group(id));
  state_.erase_security_group(id);
}
void Transaction::put_security_group_rule(const SecurityGroupRule& rule) {
  remember(rules_, rule.id, state_.find_security_group_rule(rule.id));
  state_.put_security_group_rule(rule);
}
void Transaction::erase_security_group_rule(const std::string& id) {
  remember(rules_, id, state_.find_security_group_rule(id));
  state_.erase_security_group_rule(id);
}

Status Transaction::commit(Store& store) {
  WriteBatch batch;
  add_to_batch(batch, "network", networks_, [&](const std::string& id) { return state_.find_network(id); });
  add_to_batch(batch, "subnet", subnets_, [&](const std::string& id) { return state_.find_subnet(id); });
  add_to_batch(batch, "port", ports_, [&](const std::string& id) { return state_.find_port(id); });
  add_to_batch(batch, "agent", agents_, [&](const std::string& id) { return state_.find_agent(id); });
  add_to_batch(batch, "router", routers_, [&](const std::string& id) { return state_.find_router(id); });
  add_to_batch(batch, "floatingip", floating_ips_,
               [&](const std::string& id) { return state_.find_floating_ip(id); });
  add_to_batch(batch, "security_group", security_groups_,
               [&](const std::string& id) { return state_.find_security_group(id); });
  add_to_batch(batch, "security_group_rule", rules_,
               [&](const std::string& id) { return state_.find_security_group_rule(id); });
  std::string error;
  const CommitOutcome outcome = store.commit_checked(batch, error);
  if (outcome == CommitOutcome::kStale) {
    rollback();
    return ModelError{503, kStaleType, "another controller changed the model at the same time; try again"};
  }
  if (outcome != CommitOutcome::kCommitted) {
    rollback();
    return ModelError{500, "StoreError", "The request could not be stored: " + error};
  }
  committed_ = true;
  return std::nullopt;
}

void Transaction::rollback() {
  // Ports first out and last in: their indices refer to subnets and networks.
  for (const auto& [id, original] : ports_) state_.erase_port(id);
  for (const auto& [id, original] : agents_) {
    if (original) state_.put_agent(*original); else state_.erase_agent(id);
  }
  for (const auto& [id, original] : subnets_) {
    if (original) state_.put_subnet(*original); else state_.erase_subnet(id);
  }
  for (const auto& [id, original] : networks_) {
    if (original) state_.put_network(*original); else state_.erase_network(id);
  }
  for (const auto& [id, original] : ports_) {
    if (original) state_.put_port(*original);
  }
  // These hold no indices into the others; order does not matter.
  restore(routers_, [&](const Router& r) { state_.put_router(r); }, [&](const std::string& i) { state_.erase_router(i); });
  restore(floating_ips_, [&](const FloatingIp& f) { state_.put_floating_ip(f); },
          [&](const std::string& i) { state_.erase_floating_ip(i); });
  restore(security_groups_, [&](const SecurityGroup& g) { state_.put_security_group(g); },
          [&](const std::string& i) { state_.erase_security_group(i); });
  restore(rules_, [&](const SecurityGroupRule& r) { state_.put_security_group_rule(r); },
          [&](const std::string& i) { state_.erase_security_group_rule(i); });
  routers_.clear();
  floating_ips_.clear();
  security_groups_.clear();
  rules_.clear();
  networks_.clear();
  subnets_.clear();
  ports_.clear();
  agents_.clear();
}

ChangeSet Transaction::change_set() const {
  ChangeSet changes;
  for (const auto& [id, original] : networks_) {
    if (const Network* n = state_.find_network(id)) {
      changes.networks.push_back(network_facts(*n));
    } else if (original) {
      changes.removed_networks.push_back(id);
    }
  }
  for (const auto& [id, original] : subnets_) {
    if (const Subnet* sn = state_.find_subnet(id)) {
      changes.subnets.push_back(subnet_facts(*sn));
    } else if (original) {
      changes.removed_subnets.push_back(id);
    }
  }
  for (const auto& [id, original] : ports_) {
    if (const Port* p = state_.find_port(id)) {
      changes.ports.push_back(port_facts(*p));
    } else if (original) {
      changes.removed_ports.push_back(id);
    }
  }
  // A rule change re-sends its group (before and after, should a rule move groups).
  std::set<std::string> groups;
  for (const auto& [id, original] : security_groups_) groups.insert(id);
  for (const auto& [id, original] : rules_) {
    if (original) groups.insert(original->security_group_id);
    if (const SecurityGroupRule* r = state_.find_security_group_rule(id)) groups.insert(r->security_group_id);
  }
  for (const auto& id : groups) {
    if (const SecurityGroup* g = state_.find_security_group(id)) {
      changes.security_groups.push_back(security_group_facts(state_, *g));
    } else if (security_groups_.count(id) != 0 && security_groups_.at(id)) {
      changes.removed_security_groups.push_back(id);
    }
  }
  for (const auto& [id, original] : agents_) {
    const Agent* a = state_.find_agent(id);
    if (a && (!original || original->underlay_ip != a->underlay_ip || original->host != a->host ||
              original->bridge_mappings != a->bridge_mappings || original->gateway != a->gateway ||
              original->gateway_priority != a->gateway_priority)) {
      changes.hosts.push_back(host_facts(*a));
    } else if (!a && original) {
      changes.removed_hosts.push_back(original->host);
    }
  }
  // A router's facts include its interface ports: a change to either sends the router.
  std::set<std::string> router_ids;
  for (const auto& [id, original] : routers_) router_ids.insert(id);
  for (const auto& [id, original] : ports_) {
    add_router_of_port(original ? &*original : nullptr, router_ids);
    add_router_of_port(state_.find_port(id), router_ids);
  }
  // And its floating IPs: a floating IP moving between routers re-sends both.
  for (const auto& [id, original] : floating_ips_) {
    if (original && !original->router_id.empty()) router_ids.insert(original->router_id);
    if (const FloatingIp* f = state_.find_floating_ip(id); f && !f->router_id.empty()) router_ids.insert(f->router_id);
  }
  for (const auto& id : router_ids) {
    if (const Router* r = state_.find_router(id)) {
      changes.routers.push_back(router_facts(state_, *r));
    } else {
      changes.removed_routers.push_back(id);
    }
  }
  return changes;
}

}  // namespace overcast::controller

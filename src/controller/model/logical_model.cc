#include "controller/model/logical_model.h"

#include <spdlog/spdlog.h>

#include <random>
#include <thread>

#include "controller/model/resource_codec.h"
#include "controller/model/router_facts.h"
#include "controller/model/topology_facts.h"

namespace overcast::controller {

LogicalModel::LogicalModel(Store& store, TopologyListener* listener, ModelConfig config)
    : store_(store), config_(std::move(config)), dispatcher_(listener) {
  if (!config_.now) config_.now = [] { return std::chrono::steady_clock::now(); };
}

Status LogicalModel::run_write(const std::function<Status(Transaction&)>& body) {
  // With a shared store, a commit is refused when another controller wrote first; the
  // body then runs again on the model brought up to date, so validation and allocation
  // always see every other controller's writes.
  for (int attempt = 1;; ++attempt) {
    std::unique_lock lock(mutex_);
    Transaction tx(state_);
    if (Status error = body(tx)) {
      tx.rollback();
      return error;
    }
    Status error = tx.commit(store_);
    if (!error) {
      dispatcher_.enqueue(tx.change_set());
      lock.unlock();
      dispatcher_.deliver();
      return std::nullopt;
    }
    if (error->type != Transaction::kStaleType || attempt >= config_.stale_commit_attempts) {
      spdlog::error("{}", error->message);
      return error;
    }
    lock.unlock();
    if (!store_.catch_up(config_.catch_up_timeout)) {
      return ModelError{503, "StoreError", "the model could not catch up with the other controllers' writes"};
    }
    // Two controllers that keep refusing each other's commits take turns by chance:
    // after a few lost rounds, a random pause that grows with the rounds lost.
    if (attempt >= 3) {
      thread_local std::minstd_rand jitter{std::random_device{}()};
      std::this_thread::sleep_for(std::chrono::microseconds(jitter() % (attempt * 2000)));
    }
  }
}

namespace {
template <class T>
Status decode(const StoredRecord& record, T& out) {
  try {
    out = nlohmann::json::parse(record.body).get<T>();
  } catch (const std::exception& e) {
    return ModelError{500, "StoreCorrupt",
                      "stored " + record.kind + " '" + record.id + "' cannot be read: " + e.what()};
  }
  if (out.id != record.id) {
    return ModelError{500, "StoreCorrupt", "stored " + record.kind + " '" + record.id +
                                               "' carries a different id '" + out.id + "'"};
  }
  return std::nullopt;
}

ModelError corrupt(const std::string& kind, const std::string& id, const std::string& why) {
  return ModelError{500, "StoreCorrupt", "stored " + kind + " '" + id + "' " + why};
}
}  // namespace

Status LogicalModel::load_records() {
  std::vector<StoredRecord> records;
  std::string error;
  if (!store_.load_all(records, error)) return ModelError{500, "StoreError", error};
  // References are checked in dependency order: networks, subnets, ports.
  std::vector<Subnet> subnets;
  std::vector<Port> ports;
  std::vector<Router> routers;
  std::vector<FloatingIp> floating_ips;
  std::vector<SecurityGroup> groups;
  std::vector<SecurityGroupRule> rules;
  for (const auto& record : records) {
    if (record.kind == "network") {
      Network n;
      if (Status e = decode(record, n)) return e;
      if (n.vni < kMinVni || n.vni > kMaxVni || state_.vni_in_use(n.vni)) {
        return corrupt("network", n.id, "has an invalid or duplicate VNI " + std::to_string(n.vni));
      }
      state_.put_network(n);
    } else if (record.kind == "subnet") {
      Subnet s;
      if (Status e = decode(record, s)) return e;
      subnets.push_back(std::move(s));
    } else if (record.kind == "port") {
      Port p;
      if (Status e = decode(record, p)) return e;
      ports.push_back(std::move(p));
    } else if (record.kind == "agent") {
      Agent a;
      if (Status e = decode(record, a)) return e;
      if (state_.find_agent_by_host(a.host)) return corrupt("agent", a.id, "duplicates host " + a.host);
      state_.put_agent(a);
    } else if (record.kind == "router") {
      if (Status e = decode(record, routers.emplace_back())) return e;
    } else if (record.kind == "floatingip") {
      if (Status e = decode(record, floating_ips.emplace_back())) return e;
    } else if (record.kind == "security_group") {
      if (Status e = decode(record, groups.emplace_back())) return e;
    } else if (record.kind == "security_group_rule") {
      if (Status e = decode(record, rules.emplace_back())) return e;
    } else {
      return corrupt(record.kind, record.id, "is of an unknown kind");
    }
  }
  for (const auto& s : subnets) {
    if (!state_.find_network(s.network_id)) {
      return corrupt("subnet", s.id, "refers to missing network " + s.network_id);
    }
    state_.put_subnet(s);
  }
  for (const auto& p : ports) {
    if (!state_.find_network(p.network_id)) {
      return corrupt("port", p.id, "refers to missing network " + p.network_id);
    }
    for (const auto& fixed : p.fixed_ips) {
      const Subnet* subnet = state_.find_subnet(fixed.subnet_id);
      if (!subnet || subnet->network_id != p.network_id) {
        return corrupt("port", p.id, "refers to missing subnet " + fixed.subnet_id);
      }
      auto ip = IpAddress::parse(fixed.ip_address);
      if (!ip || state_.addresses_of(fixed.subnet_id).contains(*ip)) {
        return corrupt("port", p.id, "has an invalid or duplicate address " + fixed.ip_address);
      }
    }
    state_.put_port(p);
  }
  return load_l3_and_security(routers, floating_ips, groups, rules);
}

Status LogicalModel::load_l3_and_security(const std::vector<Router>& routers,
                                          const std::vector<FloatingIp>& floating_ips,
                                          const std::vector<SecurityGroup>& groups,
                                          const std::vector<SecurityGroupRule>& rules) {
  for (const auto& g : groups) state_.put_security_group(g);
  for (const auto& r : rules) {
    if (!state_.find_security_group(r.security_group_id) ||
        (r.remote_group_id && !state_.find_security_group(*r.remote_group_id))) {
      return corrupt("security_group_rule", r.id, "refers to a missing security group");
    }
    state_.put_security_group_rule(r);
  }
  for (const auto& [id, p] : state_.ports()) {
    for (const auto& group : p.security_groups) {
      if (!state_.find_security_group(group)) return corrupt("port", id, "refers to missing security group " + group);
    }
  }
  for (const auto& r : routers) {
    if (r.gateway && (!state_.find_network(r.gateway->network_id) || !state_.find_port(r.gateway->port_id))) {
      return corrupt("router", r.id, "refers to a missing gateway network or port");
    }
    state_.put_router(r);
  }
  for (const auto& f : floating_ips) {
    if (!state_.find_network(f.floating_network_id) || !state_.find_port(f.floating_port_id) ||
        (!f.port_id.empty() && !state_.find_port(f.port_id)) ||
        (!f.router_id.empty() && !state_.find_router(f.router_id))) {
      return corrupt("floatingip", f.id, "refers to a missing network, port or router");
    }
    state_.put_floating_ip(f);
  }
  return std::nullopt;
}

Status LogicalModel::load() {
  std::unique_lock lock(mutex_);
  state_ = ModelState{};
  if (Status error = load_records()) {
    state_ = ModelState{};
    return error;
  }
  ChangeSet everything;
  for (const auto& [id, n] : state_.networks()) {
    everything.networks.push_back(network_facts(n));
  }
  for (const auto& [id, sn] : state_.subnets()) everything.subnets.push_back(subnet_facts(sn));
  for (const auto& [id, p] : state_.ports()) everything.ports.push_back(port_facts(p));
  for (const auto& [id, a] : state_.agents()) everything.hosts.push_back(host_facts(a));
  for (const auto& [id, r] : state_.routers()) everything.routers.push_back(router_facts(state_, r));
  for (const auto& [id, g] : state_.security_groups()) {
    everything.security_groups.push_back(security_group_facts(state_, g));
  }
  spdlog::info("model loaded: {} networks, {} subnets, {} ports, {} agents",
               state_.networks().size(), state_.subnets().size(), state_.ports().size(),
               state_.agents().size());
  // The initial ChangeSet goes out even when empty, so a listener can tell "loaded".
  dispatcher_.enqueue(std::move(everything), /*even_if_empty=*/true);
  lock.unlock();
  dispatcher_.deliver();
  return std::nullopt;
}

NetworkView LogicalModel::network_view(const Network& network) const {
  const auto& subnets = state_.subnets_of(network.id);
  return {network, {subnets.begin(), subnets.end()}};
}

PortView LogicalModel::port_view(const Port& port) const {
  PortView view{port, "DOWN", "unbound"};
  auto up = port_up_.find(port.id);
  if (up != port_up_.end() && up->second) view.status = "ACTIVE";
  if (config_.liveness_board != nullptr && config_.liveness_board->port_up_elsewhere(port.id)) view.status = "ACTIVE";
  if (port.binding_host_id.empty()) return view;
  const Agent* host = state_.find_agent_by_host(port.binding_host_id);
  if (!host) {
    view.vif_type = "binding_failed";
  } else if (host->kind == HostKind::kStaticVtep) {
    // Nothing runs there to report the port: the operator's declaration is all there
    // is, so the port is as up as the two admin states say.
    view.vif_type = "other";
    view.status = port.admin_state_up && host->admin_state_up ? "ACTIVE" : "DOWN";
  } else {
    view.vif_type = "tap";
  }
  // A flat/vlan network works only where the agent maps its physical network: elsewhere
  // the binding fails (and the view compiler leaves the port out), as in Neutron.
  if (const Network* network = state_.find_network(port.network_id);
      network && (network->network_type == "flat" || network->network_type == "vlan") &&
      (host->kind == HostKind::kStaticVtep || !agent_maps_physnet(*host, network->physical_network))) {
    view.vif_type = "binding_failed";
    view.status = "DOWN";
  }
  return view;
}

bool LogicalModel::agent_alive(const std::string& host) const {
  auto it = liveness_.find(host);
  if (it != liveness_.end() && it->second.connected &&
      config_.now() - it->second.last_heard <= config_.agent_timeout) {
    return true;
  }
  // Connected to another controller of the cluster?
  return config_.liveness_board != nullptr && config_.liveness_board->served_elsewhere(host);
}

LocalLiveness LogicalModel::local_liveness() const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  LocalLiveness local;
  for (const auto& [host, liveness] : liveness_) {
    if (liveness.connected && config_.now() - liveness.last_heard <= config_.agent_timeout) local.hosts.insert(host);
  }
  for (const auto& [port_id, up] : port_up_) {
    const Port* port = state_.find_port(port_id);
    if (up && port && local.hosts.contains(port->binding_host_id)) local.ports_up.insert(port_id);
  }
  return local;
}

bool LogicalModel::host_alive(const Agent& host) const {
  if (host.kind == HostKind::kStaticVtep) return host.admin_state_up;
  return agent_alive(host.host);
}

AgentView LogicalModel::agent_view(const Agent& agent) const {
  AgentView view{agent, host_alive(agent), ""};
  if (agent.kind == HostKind::kStaticVtep) return view;  // no heartbeat to show
  auto it = liveness_.find(agent.host);
  if (it != liveness_.end()) view.heartbeat_timestamp = it->second.last_heard_utc;
  return view;
}

std::vector<NetworkView> LogicalModel::list_networks() const {
  std::shared_lock lock(mutex_);
  std::vector<NetworkView> out;
  for (const auto& [id, n] : state_.networks()) out.push_back(network_view(n));
  return out;
}

Result<NetworkView> LogicalModel::show_network(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const Network* n = state_.find_network(id);
  if (!n) return ModelError::not_found("NetworkNotFound", "Network " + id + " could not be found.");
  return network_view(*n);
}

std::vector<Subnet> LogicalModel::list_subnets() const {
  std::shared_lock lock(mutex_);
  std::vector<Subnet> out;
  for (const auto& [id, s] : state_.subnets()) out.push_back(s);
  return out;
}

Result<Subnet> LogicalModel::show_subnet(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const Subnet* s = state_.find_subnet(id);
  if (!s) return ModelError::not_found("SubnetNotFound", "Subnet " + id + " could not be found.");
  return *s;
}

std::vector<PortView> LogicalModel::list_ports() const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  std::vector<PortView> out;
  for (const auto& [id, p] : state_.ports()) out.push_back(port_view(p));
  return out;
}

Result<PortView> LogicalModel::show_port(const std::string& id) const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  const Port* p = state_.find_port(id);
  if (!p) return ModelError::not_found("PortNotFound", "Port " + id + " could not be found.");
  return port_view(*p);
}

std::vector<AgentView> LogicalModel::list_agents() const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  std::vector<AgentView> out;
  for (const auto& [id, a] : state_.agents()) out.push_back(agent_view(a));
  return out;
}

Result<AgentView> LogicalModel::show_agent(const std::string& id) const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  const Agent* a = state_.find_agent(id);
  if (!a) return ModelError::not_found("AgentNotFound", "Agent " + id + " could not be found.");
  return agent_view(*a);
}

}  // namespace overcast::controller

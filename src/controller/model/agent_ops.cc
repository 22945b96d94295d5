// Agents: durable registrations, volatile liveness.
#include <spdlog/spdlog.h>

#include <set>

#include "common/bridge_mapping.h"
#include "common/ip_address.h"
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/static_vtep_rules.h"
#include "controller/model/topology_facts.h"

namespace overcast::controller {

namespace {
constexpr size_t kMaxHostNameLength = 255;
}  // namespace

bool LogicalModel::register_agent(const AgentRegistration& registration, std::string& error) {
  if (registration.host.empty() || registration.host.size() > kMaxHostNameLength) {
    error = "agent host name must be 1..255 characters";
    return false;
  }
  auto underlay = IpAddress::parse(registration.underlay_ip);
  if (!underlay || !underlay->is_v4() || !is_unicast_v4(underlay->v4())) {
    error = "agent underlay IP '" + registration.underlay_ip + "' is not a unicast IPv4 address";
    return false;
  }
  std::set<std::string> physnets;
  for (const auto& text : registration.bridge_mappings) {
    auto mapping = parse_bridge_mapping(text, error);
    if (!mapping) return false;
    if (!physnets.insert(mapping->physical_network).second) {
      error = "physical network " + mapping->physical_network + " is mapped twice";
      return false;
    }
  }
  Status failure = run_write([&](Transaction& tx) -> Status {
    const ModelState& state = tx.state();
    const Agent* existing = state.find_agent_by_host(registration.host);
    if (existing && existing->kind == HostKind::kStaticVtep) {
      return ModelError::conflict("HostInUse", "host " + registration.host +
                                                   " is declared as a static VTEP (agentless); delete that "
                                                   "declaration before running an agent there");
    }
    {
      std::lock_guard live(liveness_mutex_);
      for (const auto& [id, other] : state.agents()) {
        // A static VTEP's address stays taken even while it is administratively down.
        const bool holds_ip = other.kind == HostKind::kStaticVtep || agent_alive(other.host);
        if (other.host != registration.host && other.underlay_ip == underlay->to_string() && holds_ip) {
          return ModelError::conflict("UnderlayIpInUse", "underlay IP " + other.underlay_ip +
                                                             " is already registered by live host " + other.host);
        }
      }
    }
    Agent agent = existing ? *existing : Agent{};
    const std::string now = utc_timestamp_now();
    if (!existing) {
      agent.id = make_uuid();
      agent.host = registration.host;
      agent.created_at = now;
    }
    agent.underlay_ip = underlay->to_string();
    agent.encapsulations = registration.encapsulations;
    if (agent.encapsulations.empty()) agent.encapsulations = {"vxlan"};
    agent.agent_version = registration.agent_version;
    agent.gateway = registration.gateway;
    agent.gateway_priority = registration.gateway_priority;
    agent.bridge_mappings = registration.bridge_mappings;
    agent.started_at = now;
    tx.put_agent(agent);
    return std::nullopt;
  });
  if (failure) {
    error = failure->message;
    spdlog::warn("agent registration of host {} refused: {}", registration.host, error);
    return false;
  }
  agent_heartbeat(registration.host);
  spdlog::info("agent registered: host {} underlay {}", registration.host, underlay->to_string());
  return true;
}

void LogicalModel::agent_heartbeat(const std::string& host) {
  std::lock_guard live(liveness_mutex_);
  Liveness& liveness = liveness_[host];
  liveness.last_heard = config_.now();
  liveness.last_heard_utc = utc_timestamp_now();
  liveness.connected = true;
}

void LogicalModel::agent_disconnected(const std::string& host) {
  std::lock_guard live(liveness_mutex_);
  auto it = liveness_.find(host);
  if (it != liveness_.end()) it->second.connected = false;
}

void LogicalModel::refresh_gateway_liveness() {
  std::unique_lock lock(mutex_);
  ChangeSet changes;
  {
    std::lock_guard live(liveness_mutex_);
    for (const auto& [id, agent] : state_.agents()) {
      if (agent.kind != HostKind::kAgent || !agent.gateway) continue;
      const bool alive = agent_alive(agent.host);
      const bool reported_alive = gateway_reported_dead_.count(agent.host) == 0;
      if (alive == reported_alive) continue;
      if (alive) {
        gateway_reported_dead_.erase(agent.host);
      } else {
        gateway_reported_dead_.insert(agent.host);
      }
      spdlog::info("gateway host {} is {}: routers' gateways re-elected", agent.host, alive ? "alive" : "dead");
      changes.hosts.push_back(host_facts(agent, alive));
    }
  }
  if (changes.empty()) return;
  dispatcher_.enqueue(std::move(changes));
  lock.unlock();
  dispatcher_.deliver();
}

Status LogicalModel::delete_agent(const std::string& id) {
  std::string host;
  Status error = run_write([&](Transaction& tx) -> Status {
    const Agent* agent = tx.state().find_agent(id);
    if (!agent) return ModelError::not_found("AgentNotFound", "Agent " + id + " could not be found.");
    if (agent->kind == HostKind::kStaticVtep) {
      if (Status in_use = static_vtep_deletable(tx.state(), *agent)) return in_use;
    } else {
      std::lock_guard live(liveness_mutex_);
      if (agent_alive(agent->host)) {
        return ModelError::conflict("AgentAlive", "Agent " + id + " of host " + agent->host +
                                                      " is alive; stop it before deleting it.");
      }
    }
    host = agent->host;
    tx.erase_agent(id);
    return std::nullopt;
  });
  if (!error) {
    std::lock_guard live(liveness_mutex_);
    liveness_.erase(host);
  }
  return error;
}

}  // namespace overcast::controller

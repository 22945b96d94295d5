// What the southbound side tells the model about agents (hypervisors).
// The model persists registrations (so `GET /v2.0/agents` and the hosts' VTEP
// addresses survive a controller restart) and reports liveness through the API.
#pragma once

#include <string>
#include <vector>

namespace overcast::controller {

struct AgentRegistration {
  std::string host;
  std::string underlay_ip;
  std::vector<std::string> encapsulations;
  std::string agent_version;
  bool gateway = false;             // started with --gateway: may serve routers' gateways
  uint32_t gateway_priority = 0;    // the highest alive one is active
  std::vector<std::string> bridge_mappings;  // "physnet:iface"
};

class AgentRegistry {
 public:
  virtual ~AgentRegistry() = default;
  // Creates or updates the agent record (durably) and, when its underlay IP is new
  // or changed, emits a HostFacts change to the TopologyListener. Returns false
  // with `error` set when the registration is refused (e.g. empty host, bad IP,
  // underlay IP already registered by another host).
  virtual bool register_agent(const AgentRegistration& registration, std::string& error) = 0;
  // Liveness: the stream is up (heartbeat) or gone. Not persisted per beat.
  // agent_disconnected is called with the southbound hub's lock held: it must not call
  // back into the southbound (nor emit topology changes synchronously).
  virtual void agent_heartbeat(const std::string& host) = 0;
  virtual void agent_disconnected(const std::string& host) = 0;
  // Port status reported by the agent of the port's host: "ACTIVE" when up, "DOWN".
  virtual void set_port_status(const std::string& port_id, bool up) = 0;
};

}  // namespace overcast::controller

// LogicalModel: the controller's source of truth for networks, subnets, ports and
// agents. Reads are served from memory; every write is validate → allocate → commit to
// the Store → apply in memory → notify the TopologyListener (in commit order, outside
// the model lock). A write that fails at any step changes nothing.
//
// It is also the AgentRegistry the southbound service reports agents to.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "controller/model/agent_registry.h"
#include "controller/model/change_dispatcher.h"
#include "controller/model/liveness_board.h"
#include "controller/model/model_error.h"
#include "controller/model/model_state.h"
#include "controller/model/requests.h"
#include "controller/model/resources.h"
#include "controller/model/transaction.h"
#include "controller/store/store.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

struct ModelConfig {
  // The fabric's MTU; tenant networks get this minus the VXLAN-over-IPv4 overhead.
  uint32_t underlay_mtu = 1500;
  // An agent is alive when heard from within this long (3 missed 2 s heartbeats).
  std::chrono::milliseconds agent_timeout{6000};
  // With a shared store: how often a write is run again after another controller wrote
  // first, and how long to wait each time for the model to catch up.
  int stale_commit_attempts = 20;
  std::chrono::milliseconds catch_up_timeout{5000};
  // A cluster's other controllers' agents (null: this controller is alone).
  const LivenessBoard* liveness_board = nullptr;
  // Injectable for tests of liveness; steady_clock::now by default.
  std::function<std::chrono::steady_clock::time_point()> now;
};

inline constexpr uint32_t kVxlanOverhead = 50;  // outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8
inline constexpr uint32_t kMinVni = 1;
inline constexpr uint32_t kMaxVni = 16777215;

struct NetworkView {
  Network network;
  std::vector<std::string> subnet_ids;
};

struct PortView {
  Port port;
  std::string status;    // "ACTIVE" once its agent reported it up, else "DOWN"
  std::string vif_type;  // "tap", "unbound" or "binding_failed"
};

struct AgentView {
  Agent agent;
  bool alive = false;
  std::string heartbeat_timestamp;  // "" when never heard since the controller started
};

struct RouterView {
  Router router;
  std::vector<FixedIp> external_fixed_ips;  // the gateway port's addresses
};

// What add/remove_router_interface answer (Neutron's router interface info).
struct RouterInterfaceInfo {
  std::string router_id;
  std::string project_id;
  std::string port_id;
  std::string network_id;
  std::string subnet_id;  // the first of subnet_ids
  std::vector<std::string> subnet_ids;
};

// A gateway host of a router, in the order the router uses them.
struct L3AgentView {
  AgentView agent;
  std::string ha_state;  // "active" (the one serving) or "standby"
};

struct FloatingIpView {
  FloatingIp floating_ip;
  std::string status;  // "ACTIVE" when associated and a gateway host of its router is alive
};

struct SecurityGroupView {
  SecurityGroup group;
  std::vector<SecurityGroupRule> rules;
};

class LogicalModel : public AgentRegistry, public StoreFollower {
 public:
  // `listener` may be null (nothing is told); it must outlive the model.
  LogicalModel(Store& store, TopologyListener* listener, ModelConfig config);

  // Loads every record from the store, checks references, and emits one ChangeSet
  // with everything. An unreadable or unparsable record is an error naming it.
  Status load();

  uint32_t max_network_mtu() const { return config_.underlay_mtu - kVxlanOverhead; }
  // A provider network (flat/vlan) is bridged onto the physical segment, with no tunnel
  // header: its MTU is the physical network's (the underlay's, as Neutron's
  // global_physnet_mtu), not the overlay's.
  uint32_t max_mtu_of_type(const std::string& network_type) const {
    return network_type == "vxlan" ? max_network_mtu() : config_.underlay_mtu;
  }

  std::vector<NetworkView> list_networks() const;
  Result<NetworkView> show_network(const std::string& id) const;
  Result<std::vector<NetworkView>> create_networks(const std::vector<NetworkCreate>& requests);
  Result<NetworkView> update_network(const std::string& id, const NetworkUpdate& update);
  Status delete_network(const std::string& id);

  std::vector<Subnet> list_subnets() const;
  Result<Subnet> show_subnet(const std::string& id) const;
  Result<std::vector<Subnet>> create_subnets(const std::vector<SubnetCreate>& requests);
  Result<Subnet> update_subnet(const std::string& id, const SubnetUpdate& update);
  Status delete_subnet(const std::string& id);

  std::vector<PortView> list_ports() const;
  Result<PortView> show_port(const std::string& id) const;
  Result<std::vector<PortView>> create_ports(const std::vector<PortCreate>& requests);
  Result<PortView> update_port(const std::string& id, const PortUpdate& update);
  Status delete_port(const std::string& id);

  // Gateway hosts whose liveness flipped since the last call are re-sent to the
  // listener (HostFacts.alive), so the compiler re-elects routers' gateway hosts. Called
  // periodically (the controller: every 500 ms); liveness itself is not a write.
  void refresh_gateway_liveness();

  std::vector<AgentView> list_agents() const;
  Result<AgentView> show_agent(const std::string& id) const;
  // Only dead agents may be deleted: a live one would re-register at once. A static
  // VTEP may be deleted only while no port is bound to it (409 StaticVtepInUse).
  Status delete_agent(const std::string& id);
  // Declares VTEPs that run no agent (all or none). Each is a host like an agent's:
  // persisted, its underlay IP told to the TopologyListener, "alive" while it exists
  // with admin_state_up. Refused: empty or blank host name, a name already used by any
  // host (409 HostInUse), an underlay IP that is not unicast IPv4 (400) or that another
  // host already has (409 UnderlayIpInUse).
  Result<std::vector<AgentView>> create_static_vteps(const std::vector<StaticVtepCreate>& requests);

  // StoreFollower: another controller's committed transaction (or, when `full`, the
  // whole store). Applied to the model and told to the TopologyListener like a local
  // write; records that cannot be read or that refer to missing resources are skipped
  // and logged (remote_records_dropped), never applied half-way.
  void apply_remote(const RemoteChange& change) override;
  uint64_t remote_records_dropped() const;
  // What this controller's agents tell it, for the cluster's LivenessBoard.
  LocalLiveness local_liveness() const;

  std::vector<RouterView> list_routers() const;
  Result<RouterView> show_router(const std::string& id) const;
  Result<std::vector<RouterView>> create_routers(const std::vector<RouterCreate>& requests);
  Result<RouterView> update_router(const std::string& id, const RouterUpdate& update);
  // Refused while the router has interfaces (409 RouterInUse); takes its gateway port.
  Status delete_router(const std::string& id);
  Result<RouterInterfaceInfo> add_router_interface(const std::string& id, const RouterInterfaceRequest& request);
  Result<RouterInterfaceInfo> remove_router_interface(const std::string& id, const RouterInterfaceRequest& request);
  // The gateway hosts of a router with an external gateway: every gateway agent that maps
  // the external network's physnet, highest priority first; the first alive one is
  // active (gateway_election.h). Empty without a gateway.
  Result<std::vector<L3AgentView>> router_l3_agents(const std::string& id) const;

  std::vector<FloatingIpView> list_floating_ips() const;
  Result<FloatingIpView> show_floating_ip(const std::string& id) const;
  Result<std::vector<FloatingIpView>> create_floating_ips(const std::vector<FloatingIpCreate>& requests);
  Result<FloatingIpView> update_floating_ip(const std::string& id, const FloatingIpUpdate& update);
  Status delete_floating_ip(const std::string& id);

  // Creates the project's "default" group (Neutron's default rules) unless it exists.
  Status ensure_default_security_group(const std::string& project_id);
  std::vector<SecurityGroupView> list_security_groups() const;
  Result<SecurityGroupView> show_security_group(const std::string& id) const;
  Result<std::vector<SecurityGroupView>> create_security_groups(const std::vector<SecurityGroupCreate>& requests);
  Result<SecurityGroupView> update_security_group(const std::string& id, const SecurityGroupUpdate& update);
  Status delete_security_group(const std::string& id);
  std::vector<SecurityGroupRule> list_security_group_rules() const;
  Result<SecurityGroupRule> show_security_group_rule(const std::string& id) const;
  Result<std::vector<SecurityGroupRule>> create_security_group_rules(
      const std::vector<SecurityGroupRuleCreate>& requests);
  Status delete_security_group_rule(const std::string& id);

  // AgentRegistry
  bool register_agent(const AgentRegistration& registration, std::string& error) override;
  void agent_heartbeat(const std::string& host) override;
  void agent_disconnected(const std::string& host) override;
  void set_port_status(const std::string& port_id, bool up) override;

 private:
  struct Liveness {
    std::chrono::steady_clock::time_point last_heard{};
    std::string last_heard_utc;
    bool connected = false;
  };

  // Runs `body` as one transaction under the write lock; commits and notifies when it
  // returns no error, rolls back otherwise.
  Status run_write(const std::function<Status(Transaction&)>& body);

  NetworkView network_view(const Network& network) const;
  PortView port_view(const Port& port) const;  // needs liveness_mutex_ held
  AgentView agent_view(const Agent& agent) const;  // needs liveness_mutex_ held

  Status create_network(Transaction& tx, const NetworkCreate& request, Network& created);
  Status create_subnet(Transaction& tx, const SubnetCreate& request, Subnet& created);
  Status create_port(Transaction& tx, const PortCreate& request, Port& created);
  bool agent_alive(const std::string& host) const;  // needs liveness_mutex_ held
  // agent_alive() for an agent; admin_state_up for a static VTEP (it has no heartbeat).
  bool host_alive(const Agent& host) const;  // needs liveness_mutex_ held
  Status create_static_vtep(Transaction& tx, const StaticVtepCreate& request, Agent& created);
  Status create_router(Transaction& tx, const RouterCreate& request, Router& created);
  Status set_router_gateway(Transaction& tx, Router& router, const std::optional<ExternalGatewayRequest>& request);
  Status create_floating_ip(Transaction& tx, const FloatingIpCreate& request, FloatingIp& created);
  Status create_security_group(Transaction& tx, const SecurityGroupCreate& request, SecurityGroup& created);
  Status create_security_group_rule(Transaction& tx, const SecurityGroupRuleCreate& request,
                                    SecurityGroupRule& created);
  // The id of the project's default group, created in `tx` when missing.
  Result<std::string> default_security_group(Transaction& tx, const std::string& project_id);
  RouterView router_view(const Router& router) const;
  FloatingIpView floating_ip_view(const FloatingIp& floating_ip) const;  // needs liveness_mutex_ held
  SecurityGroupView security_group_view(const SecurityGroup& group) const;
  // The router's gateway hosts in election order (gateway_election.h); needs liveness_mutex_ held.
  std::vector<L3AgentView> gateway_agents(const Router& router) const;
  Status load_records();
  void apply_remote_puts(Transaction& tx, const std::vector<StoredRecord>& puts);
  void apply_remote_deletes(Transaction& tx, const std::vector<RecordKey>& deletes);

  Status load_l3_and_security(const std::vector<Router>& routers, const std::vector<FloatingIp>& floating_ips,
                              const std::vector<SecurityGroup>& groups, const std::vector<SecurityGroupRule>& rules);

  Store& store_;
  ModelConfig config_;
  ChangeDispatcher dispatcher_;

  mutable std::shared_mutex mutex_;  // guards state_
  ModelState state_;
  uint64_t remote_records_dropped_ = 0;  // under mutex_

  // Lock order: mutex_ before liveness_mutex_. Volatile facts, never written to disk.
  mutable std::mutex liveness_mutex_;
  std::map<std::string, Liveness> liveness_;  // by host
  std::map<std::string, bool> port_up_;       // by port id, as last reported
  // Gateway hosts told to the listener as dead (absent: alive, as host_facts() says).
  std::set<std::string> gateway_reported_dead_;  // under mutex_ (exclusive)
};

}  // namespace overcast::controller

// The view compiler: turns the model's ChangeSets into per-host views and the
// per-host Deltas that bring each agent from one version to the next.
//
// For host H the view holds, per network N with at least one port bound to H:
//   "net/N"   NetworkEntry, flood_vteps = sorted underlay IPs of the OTHER registered
//             hosts with ports in N;
//   "subnet/S" SubnetEntry for each subnet S of N (what the host's DHCP responder offers);
//   "lport/P" LocalPortEntry for each port P of N bound to H;
//   "rport/P" RemotePortEntry for each port P of N bound to another registered host.
// and, outside the networks (its own slice, security_group_index.h):
//   "sg/G"    SecurityGroupEntry for each group G of H's ports with port security on;
//   "sgm/R"   SecurityGroupMembersEntry for each group R those groups' rules reference.
// A port whose host has not registered (no HostFacts) is invisible to other hosts.
// Provider networks (flat, vlan; provider_binding.h) have no flood VTEPs, and only hosts
// that map their physical network hold them: a port bound to a host without that mapping
// fails to bind and is in no view (neither "lport" there nor "rport" elsewhere).
//
// Distributed routers (view_compiler_routers.cc): a host with a port on a network of
// router R gets "router/R" and "sees" every network R connects: their net entry (no
// flood list: it has no ports there), subnets and remote ports, so it can route to
// them. The members of such a network list it in routed_vteps, never in flood lists.
// A router with an external gateway also goes to its active gateway host (the highest
// priority alive --gateway host mapping the external network's physnet), which sees the
// router's networks the same way and holds the external network's entry; the router
// entry names that host's VTEP (gateway_vtep) for the others. A floating IP whose port's
// host maps the external network's physnet (and is not that gateway host) is NATed there:
// the router entry names it (served_by_host) and that host holds the external network too.
//
// Incremental: a change marks only the (host, network) slices and keys it concerns,
// using the index before and after the change; only those are recomputed and diffed.
//
// Thread-safe: apply_changes() from the model's thread, snapshot()/deltas_since()
// from gRPC threads; one mutex guards everything (work per call is bounded by the
// hosts and ports of the networks a change touches).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "controller/topology/host_view.h"
#include "controller/topology/router_index.h"
#include "controller/topology/security_group_index.h"
#include "controller/topology/topology_index.h"
#include "controller/topology/topology_listener.h"
#include "overcast/southbound.pb.h"

namespace overcast::controller {

struct ViewCompilerConfig {
  std::string epoch;           // "" = a fresh random id (one per controller start)
  size_t history_limit = 256;           // deltas kept per host for resuming agents
  size_t history_max_bytes = 1u << 20;  // and their serialized size per host
};

struct HostDelta {
  std::string host;
  sb::Delta delta;
};

struct ViewCompilerStats {
  uint64_t changesets = 0;
  uint64_t deltas = 0;
  uint64_t ignored_facts = 0;  // facts without an id/name, dropped
  size_t hosts = 0;            // hosts with a view
  size_t entries = 0;          // entries of all views
  size_t distinct_entries = 0; // entry objects behind them (shared remote ports count once)
};

class ViewCompiler : public TopologyListener {
 public:
  explicit ViewCompiler(ViewCompilerConfig config = {});

  // TopologyListener: applies the change; deltas are only kept in the histories.
  void apply(const ChangeSet& changes) override;
  // Applies the change and returns one Delta per host whose view really changed.
  std::vector<HostDelta> apply_changes(const ChangeSet& changes);

  const std::string& epoch() const { return epoch_; }
  uint64_t version(const std::string& host) const;
  // The host's whole current view (version 0 and no entries for an unknown host).
  sb::Snapshot snapshot(const std::string& host) const;
  // What an agent holding (epoch, version) misses, or nullopt when it needs a Snapshot.
  std::optional<std::vector<sb::Delta>> deltas_since(const std::string& host, const std::string& epoch,
                                                     uint64_t version) const;
  // Whether `port_id` is currently bound to `host` (agents only report their own ports).
  bool port_bound_to(const std::string& port_id, const std::string& host) const;
  // Walks every view (O(entries)): for tests and measurement, not for a hot path.
  ViewCompilerStats stats() const;

 private:
  // What one ChangeSet dirtied in one network. Keys are network-wide (the same port
  // and network keys matter to every host of the network), so marking a port costs
  // O(1) whatever the number of hosts; the hosts are visited once, in recompute().
  struct NetworkWork {
    bool all_full = false;                // every host's slice (VNI/MTU/... changed)
    std::set<std::string> full_hosts;     // hosts entering or leaving the network
    std::set<std::string> keys;           // entries to re-evaluate on every host of it
  };
  using Work = std::map<std::string, NetworkWork>;  // network id -> work

  void change_network(const std::string& id, const NetworkFacts* updated, Work& work);
  void change_host(const std::string& name, const HostFacts* updated, Work& work);
  void change_subnet(const std::string& id, const SubnetFacts* updated, Work& work);
  void change_port(const std::string& id, const PortFacts* updated, Work& work);
  void mark_port(const PortFacts& port, Work& work) const;
  // Routers (view_compiler_routers.cc). A slice is a network's or a router's.
  void change_router(const std::string& id, const RouterFacts* updated, Work& work);
  // `host` enters or leaves `network_id`: its routed networks and its routers change.
  void mark_routed_reach(const std::string& host, const std::string& network_id, Work& work) const;
  // Hosts with no port on `network_id` that route into it.
  std::set<std::string> routed_hosts(const std::string& network_id) const;
  // Hosts holding the slice: a network's members and routed hosts, or a router's hosts.
  std::set<std::string> slice_hosts(const std::string& slice_id) const;
  std::set<std::string> router_hosts(const RouterFacts& router) const;
  // L3 gateway: the router's active gateway host ("" none), the election of every router
  // with an external gateway, what a change of it dirties, and the hosts that hold
  // `network_id` as the external network of a router they serve.
  std::string active_gateway(const RouterFacts& router) const;
  std::map<std::string, std::string> gateway_election() const;  // router id -> host
  // `changed_host`: a host whose facts changed ("" none): its routers are marked even
  // when it stays their gateway.
  void mark_gateway_moves(const std::map<std::string, std::string>& before, const std::string& changed_host,
                          Work& work) const;
  // Hosts holding `network_id` as the external network of a router: its active gateway
  // host, and the hosts NATing its floating IPs.
  std::set<std::string> external_gateway_hosts(const std::string& network_id) const;
  // Floating IPs NATed on their VM's own host (Neutron DVR): the binding host of the
  // floating IP's port when it is registered, maps the provider external network's physnet
  // and is not the router's active gateway host `gateway`; else "" (the gateway host).
  std::string floating_ip_host(const RouterFacts& router, const FloatingIpFacts& floating_ip,
                               const std::string& gateway) const;
  std::vector<std::string> floating_ip_hosts(const RouterFacts& router, const std::string& gateway) const;
  // Who NATs each floating IP of a router, and on which external network; compared before
  // and after a change that does not change the router itself (its ports' hosts, a host's
  // registration or mappings, the external network).
  struct FloatingIpPlacement {
    std::string external_network;
    std::vector<std::string> hosts;  // floating_ip_hosts()
    bool operator==(const FloatingIpPlacement&) const = default;
  };
  using FloatingIpPlacements = std::map<std::string, FloatingIpPlacement>;  // router id ->
  FloatingIpPlacements floating_ip_placements(const std::set<std::string>& router_ids) const;
  // The routers of `before` whose placement changed: their entry on all their hosts, and
  // the external network on the hosts that NAT their floating IPs (before and after).
  void mark_floating_ip_moves(const FloatingIpPlacements& before, Work& work) const;
  // The routers with a floating IP on a port bound to `host`.
  std::set<std::string> floating_ip_routers_of_host(const std::string& host) const;
  bool sees(const std::string& host, const std::string& network_id) const;
  sb::ViewEntry network_entry_for(const std::string& host, const NetworkFacts& network) const;
  EntryRef router_entry_for(const std::string& host, const std::string& slice_id) const;
  // Security groups: the groups a change touches -> the hosts it concerns (before and after).
  std::set<std::string> change_security_groups(const ChangeSet& changes);
  std::vector<HostDelta> recompute(const Work& work, const std::set<std::string>& security_group_hosts);

  std::vector<std::string> flood_vteps(const std::string& host, const std::string& network_id) const;
  std::string own_underlay(const std::string& host) const;  // "" when the host has not registered
  // Remote-port and subnet entries built during one recompute(), by key, for sharing.
  using FreshEntries = std::unordered_map<std::string, EntryRef>;
  EntryRef desired_entry(const std::string& host, const std::string& network_id, const std::string& key,
                         FreshEntries& fresh) const;
  HostView::Slice desired_slice(const std::string& host, const std::string& network_id, FreshEntries& fresh) const;
  // One copy of a remote-port or subnet entry for every host of the network: the one built in
  // this recompute, or the one another host of the network already holds, when equal.
  EntryRef share_remote_entry(const std::string& host, const std::string& network_id, sb::ViewEntry built,
                              FreshEntries& fresh) const;

  const std::string epoch_;
  const size_t history_limit_;
  const size_t history_max_bytes_;
  mutable std::mutex mu_;
  TopologyIndex index_;
  RouterIndex routers_;
  SecurityGroupIndex security_groups_;
  std::unordered_map<std::string, HostView> views_;
  ViewCompilerStats stats_;
};

// A random 128-bit id in hex, made once per controller start.
std::string make_epoch_id();

}  // namespace overcast::controller

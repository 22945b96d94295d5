// SecurityGroupStage: Neutron's security groups, a stateful firewall on every VM port of
// this host, in both directions, with one conntrack zone per port (zone = port slot).
//
//   egress  (process_egress): frames a VM sent, after port security and DHCP, before
//           classify; the port is meta.in_port, its egress rules decide.
//   ingress (process_ingress): frames about to be delivered to a local port, whatever
//           brought them (switched, from the tunnel, flooded, answered locally, routed);
//           the port is meta.out_port, its ingress rules decide.
//
// A port without a compiled policy (port security off) is not filtered. On a filtered
// port, ARP, IPv6 neighbour discovery / MLD and DHCP client traffic (DHCPv4 68->67 and
// DHCPv6 546->547, and the server's answers) pass without rules, as Neutron's drivers let
// them (port security checks them instead); other IPv4/IPv6 goes through the tracker and
// the rules (firewall/stateful_firewall.h); any other ethertype (VLAN tags included, or
// they would carry IP past the rules) is dropped.
//
// Threading: one stage, so one tracker, per worker; the worker is the only writer. A zone
// must meet both directions of its port's connections in one tracker: the zone belongs to
// the worker polling the port (its egress runs there), and the ingress half hands frames
// for a filtered port of another worker to that worker (worker/ingress_handoff.h), which
// runs them through process_ingress() itself.
//
// Policy changes: prepare() runs on the worker when it first sees a new table. A port
// whose policy or the members snapshot changed has its connections re-asked
// (StatefulFirewall::end_disallowed: a removed rule cuts what it allowed); a slot whose
// port went away or turned port security off has its zone emptied.
//
// Drops:   security_group (denied, invalid state, malformed IP, other ethertype),
//          conntrack_full (a new connection with no room in the table or the zone).
// Counters: stage "security_groups": in, unfiltered, bypassed, passed, denied_egress,
//          denied_ingress, other_ethertype, cut (connections ended by policy changes),
//          flushed (by ports going away), handed_off (to the worker owning the zone),
//          fragments (IP fragments: ip_fragments.h); stage "firewall": the StatefulFirewall's
//          (established, related, allowed, denied, invalid, no_room); "conntrack_parse":
//          malformed IP by reason; "conntrack": the tracker's and a "connections" gauge.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/firewall/stateful_firewall.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

// Where the ingress half sends frames for ports whose zone another worker owns.
class IngressHandoffSink {
 public:
  virtual ~IngressHandoffSink() = default;
  // Takes every packet of `batch` (handed over, or dropped and counted); leaves it empty.
  virtual void hand_off(Batch& batch) = 0;
};

struct SecurityGroupConfig {
  uint32_t conntrack_max = 65536;  // connections this worker's tracker holds
  uint32_t zone_max = 0;           // per port (zone); 0: no cap below conntrack_max
  uint64_t expiry_interval_ms = 100;
  size_t expiry_budget = 4096;     // list heads looked at per expiry run
  // Several workers: a port's zone belongs to worker slot % worker_count; ingress frames
  // for another worker's filtered port go to `handoff` (null: one worker, all zones here).
  size_t worker_index = 0;
  size_t worker_count = 1;
  IngressHandoffSink* handoff = nullptr;
};

class SecurityGroupStage {
 public:
  static constexpr const char* kName = "security_groups";
  enum : size_t {
    kIn, kUnfiltered, kBypassed, kPassed, kDeniedEgress, kDeniedIngress, kOtherEthertype, kCut, kFlushed,
    kHandedOff, kFragments,
  };

  explicit SecurityGroupStage(const SecurityGroupConfig& config = {});

  // Worker thread, when it first sees `table`: ends the connections changed policies no
  // longer allow and empties the zones of ports that went away.
  void prepare(const ForwardingTable& table);
  void process_egress(StageContext& ctx, Batch& in, BatchQueue& passed);
  void process_ingress(StageContext& ctx, Batch& in, BatchQueue& passed);
  // Worker thread, every loop turn: expires timed-out connections every expiry_interval_ms.
  void housekeeping(uint64_t now_ms);

  void add_counters(nlohmann::json& stages) const;
  const CounterSet& counters() const { return counters_; }
  const conntrack::ConnTracker& tracker() const { return tracker_; }
  const firewall::StatefulFirewall& firewall() const { return firewall_; }

  // Milliseconds of a monotonic clock (what the tracker's timeouts are measured in).
  static uint64_t now_ms();

 private:
  // What this worker last saw of a slot.
  struct ZoneState {
    std::string port_id;
    std::shared_ptr<const firewall::CompiledPolicy> policy;
  };
  template <firewall::Direction kDirection>
  void process(StageContext& ctx, Batch& in, BatchQueue& passed);

  SecurityGroupConfig config_;
  conntrack::ConnTracker tracker_;
  firewall::StatefulFirewall firewall_;
  std::vector<ZoneState> zones_;  // by slot
  Batch handoff_;                 // ingress frames for other workers' zones, this batch
  std::shared_ptr<const firewall::RemoteGroupMembers> members_;
  uint64_t next_expiry_ms_ = 0;
  std::atomic<uint64_t> connections_{0};  // gauge, read by counter readers
  CounterSet counters_{"in",          "unfiltered", "bypassed", "passed", "denied_egress", "denied_ingress",
                       "other_ethertype", "cut",  "flushed", "handed_off", "fragments"};
};

}  // namespace overcast::dataplane

// The controller's southbound: a gRPC server (service overcast.southbound.v1.Southbound)
// where every agent keeps one Session stream. It is the TopologyListener of the
// model: apply() runs the view compiler and pushes each host's Delta to that host's
// session, and only to it.
//
// Per session: Register (must come first) -> AgentRegistry::register_agent -> Welcome
// -> resumed Deltas or a Snapshot -> live Deltas. Agents ACK/NACK every version; a
// NACK is logged and answered with a fresh Snapshot. No message for 3 heartbeat
// intervals ends the session. A slow agent never delays others: its bounded queue
// overflows into "send a Snapshot when drained".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "controller/model/agent_registry.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

struct SouthboundConfig {
  uint32_t heartbeat_interval_ms = 2000;
};

// Limits that operators rarely touch; tests shrink them.
struct SouthboundLimits {
  size_t max_queued_messages = 1024;        // per session, before overflow -> snapshot
  size_t max_queued_bytes = 64u << 20;      // per session
  size_t history_limit = 256;               // deltas kept per host for resuming agents
  size_t history_max_bytes = 1u << 20;      // and their serialized size per host
};

// Monotonic since the service was made, except sessions_active.
struct SouthboundCounters {
  uint64_t sessions_active = 0;      // registered sessions now
  uint64_t sessions_total = 0;       // streams accepted
  uint64_t sessions_replaced = 0;    // a newer session of the same host took over
  uint64_t sessions_timed_out = 0;   // no message for 3 heartbeat intervals
  uint64_t registrations_refused = 0;
  uint64_t protocol_errors = 0;      // first message not Register, second Register, ...
  uint64_t snapshots_sent = 0;
  uint64_t deltas_sent = 0;
  uint64_t heartbeats_sent = 0;
  uint64_t acks = 0;
  uint64_t nacks = 0;
  uint64_t queue_overflows = 0;      // deltas dropped for a slow agent (it gets a snapshot)
  uint64_t port_status_updates = 0;
  uint64_t port_status_rejected = 0; // reports for ports not bound to the reporting host
  uint64_t bytes_sent = 0;           // serialized ControllerMessage bytes
  uint64_t bytes_received = 0;       // serialized AgentMessage bytes
};

class SouthboundService : public TopologyListener {
 public:
  // Listens on e.g. "0.0.0.0:6641" ("127.0.0.1:0" picks a free port).
  virtual bool start(const std::string& listen_address, std::string& error) = 0;
  // Ends every session (UNAVAILABLE) and the server; returns when all are gone.
  virtual void stop() = 0;
  virtual SouthboundCounters counters() const = 0;
  // The port actually bound by start(), 0 when not started.
  virtual int listening_port() const = 0;
};

std::unique_ptr<SouthboundService> make_southbound_service(AgentRegistry& registry, SouthboundConfig config);
std::unique_ptr<SouthboundService> make_southbound_service(AgentRegistry& registry, SouthboundConfig config,
                                                           SouthboundLimits limits);

}  // namespace overcast::controller

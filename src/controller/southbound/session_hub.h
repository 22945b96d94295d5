// The hub between the view compiler and the agents' sessions: who is connected for
// which host, what version each session was sent, and the per-session protocol
// (register, resume or snapshot, ACK/NACK, port status, liveness).
//
// Locking: mu_ serializes compiler updates with session attach/resync, so a session
// never misses or double-applies a delta: a delta is pushed iff it follows the
// version the session was last sent. Order is always mu_ -> reactor's lock; the
// AgentRegistry is called without mu_ (register_agent may call apply() itself).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "controller/model/agent_registry.h"
#include "controller/southbound/session_reactor.h"
#include "controller/southbound/southbound_service.h"
#include "controller/topology/view_compiler.h"

namespace overcast::controller {

class SessionHub final : public SessionEvents {
 public:
  SessionHub(AgentRegistry& registry, SouthboundConfig config, SouthboundLimits limits);
  ~SessionHub() override;

  // The model's change: compile, then push each host's delta to its session.
  void apply(const ChangeSet& changes);
  // A new stream; refused (UNAVAILABLE) while closing.
  SessionReactor* open_session();
  // Ends every session and refuses new ones (until reopen()).
  void close_all();
  // Returns when every reactor is gone (their OnDone ran); after close_all().
  void wait_all_done();
  void reopen();
  // Heartbeats, liveness, delayed resyncs; call every tick.
  void tick();
  SouthboundCounters counters() const;
  const ViewCompiler& compiler() const { return compiler_; }

  grpc::Status on_register(SessionReactor& session, const sb::Register& registration) override;
  void on_agent_message(SessionReactor& session, const sb::AgentMessage& message) override;
  void on_drained(SessionReactor& session) override;
  void on_write(const sb::ControllerMessage& message, size_t bytes) override;
  void on_read(size_t bytes) override { counters_.bytes_received += bytes; }
  void on_protocol_error(SessionReactor& session) override;
  void on_done(SessionReactor& session) override;

 private:
  struct AtomicCounters {
    std::atomic<uint64_t> sessions_total{0}, sessions_replaced{0}, sessions_timed_out{0},
        registrations_refused{0}, protocol_errors{0}, snapshots_sent{0}, deltas_sent{0},
        heartbeats_sent{0}, acks{0}, nacks{0}, queue_overflows{0}, port_status_updates{0},
        port_status_rejected{0}, bytes_sent{0}, bytes_received{0};
  };

  void attach_locked(SessionReactor& session, const sb::Register& registration);
  void send_snapshot_locked(SessionReactor& session);
  void push_delta_locked(SessionReactor& session, const sb::Delta& delta);
  void handle_ack(SessionReactor& session, const sb::Ack& ack);
  void handle_nack(SessionReactor& session, const sb::Nack& nack);
  void handle_port_status(SessionReactor& session, const sb::PortStatusReport& report);
  std::chrono::milliseconds resync_backoff(uint32_t streak) const;

  AgentRegistry& registry_;
  const SouthboundConfig config_;
  const SouthboundLimits limits_;
  ViewCompiler compiler_;
  const std::string controller_id_;

  mutable std::mutex mu_;
  std::condition_variable all_done_;
  std::set<SessionReactor*> sessions_;             // every live stream
  std::map<std::string, SessionReactor*> by_host_; // the current session of each host
  bool closing_ = false;
  AtomicCounters counters_;
};

}  // namespace overcast::controller

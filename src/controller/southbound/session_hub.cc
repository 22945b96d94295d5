#include "controller/southbound/session_hub.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace overcast::controller {

namespace {

using Clock = SessionReactor::Clock;

sb::ControllerMessage heartbeat_message() {
  sb::ControllerMessage message;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  message.mutable_heartbeat()->set_sent_unix_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  return message;
}

}  // namespace

SessionHub::SessionHub(AgentRegistry& registry, SouthboundConfig config, SouthboundLimits limits)
    : registry_(registry),
      config_(config),
      limits_(limits),
      compiler_(ViewCompilerConfig{.epoch = "",
                                   .history_limit = limits.history_limit,
                                   .history_max_bytes = limits.history_max_bytes}),
      controller_id_("overcast-controller-" + compiler_.epoch().substr(0, 8)) {}

SessionHub::~SessionHub() {
  close_all();
  wait_all_done();
}

void SessionHub::apply(const ChangeSet& changes) {
  std::lock_guard lock(mu_);
  for (const auto& host_delta : compiler_.apply_changes(changes)) {
    auto it = by_host_.find(host_delta.host);
    if (it != by_host_.end()) push_delta_locked(*it->second, host_delta.delta);
  }
}

SessionReactor* SessionHub::open_session() {
  auto* session = new SessionReactor(
      *this, SessionQueueLimits{std::max<size_t>(1, limits_.max_queued_messages), limits_.max_queued_bytes});
  bool refuse;
  {
    std::lock_guard lock(mu_);
    sessions_.insert(session);
    refuse = closing_;
  }
  ++counters_.sessions_total;
  if (refuse) {
    session->close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down"));
  } else {
    session->begin();
  }
  return session;
}

void SessionHub::reopen() {
  std::lock_guard lock(mu_);
  closing_ = false;
}

void SessionHub::close_all() {
  std::lock_guard lock(mu_);
  closing_ = true;
  for (auto* session : sessions_) {
    session->close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down"));
  }
}

void SessionHub::wait_all_done() {
  std::unique_lock lock(mu_);
  all_done_.wait(lock, [this] { return sessions_.empty(); });
}

grpc::Status SessionHub::on_register(SessionReactor& session, const sb::Register& registration) {
  if (registration.host().empty()) {
    ++counters_.protocol_errors;
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Register.host is empty");
  }
  AgentRegistration record{registration.host(),
                           registration.underlay_ip(),
                           {registration.encapsulations().begin(), registration.encapsulations().end()},
                           registration.agent_version(),
                           registration.gateway(),
                           registration.gateway_priority(),
                           {registration.bridge_mappings().begin(), registration.bridge_mappings().end()}};
  std::string error;
  // Without mu_: the registry may report a new underlay IP through apply().
  if (!registry_.register_agent(record, error)) {
    ++counters_.registrations_refused;
    spdlog::warn("southbound: registration of host '{}' ({}) refused: {}", registration.host(),
                 registration.underlay_ip(), error);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "registration refused: " + error);
  }
  {
    std::lock_guard lock(mu_);
    if (closing_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down");
    attach_locked(session, registration);
  }
  registry_.agent_heartbeat(registration.host());
  return grpc::Status::OK;
}

void SessionHub::attach_locked(SessionReactor& session, const sb::Register& registration) {
  const std::string& host = registration.host();
  session.host = host;
  auto existing = by_host_.find(host);
  if (existing != by_host_.end() && existing->second != &session) {
    existing->second->attached = false;
    existing->second->close(
        grpc::Status(grpc::StatusCode::ABORTED, "replaced by a newer session of host " + host));
    ++counters_.sessions_replaced;
    spdlog::info("southbound: host '{}' reconnected; older session replaced", host);
  }
  by_host_[host] = &session;
  session.attached = true;

  sb::ControllerMessage welcome;
  welcome.mutable_welcome()->set_controller_id(controller_id_);
  welcome.mutable_welcome()->set_heartbeat_interval_ms(config_.heartbeat_interval_ms);
  session.push(welcome);
  session.last_heartbeat_sent = Clock::now();

  auto missing = compiler_.deltas_since(host, registration.resume_epoch(), registration.resume_version());
  if (!missing) {
    spdlog::info("southbound: host '{}' registered ({}), sending snapshot", host, registration.underlay_ip());
    send_snapshot_locked(session);
    return;
  }
  spdlog::info("southbound: host '{}' registered ({}), resuming from version {} with {} deltas", host,
               registration.underlay_ip(), registration.resume_version(), missing->size());
  session.queued_version = registration.resume_version();
  for (const auto& delta : *missing) push_delta_locked(session, delta);
}

void SessionHub::send_snapshot_locked(SessionReactor& session) {
  sb::ControllerMessage message;
  *message.mutable_snapshot() = compiler_.snapshot(session.host);
  session.drop_queued();
  session.push(message);
  session.queued_version = message.snapshot().version();
  session.last_snapshot_version = message.snapshot().version();
  session.snapshot_owed = false;
  session.resync_scheduled = false;
}

void SessionHub::push_delta_locked(SessionReactor& session, const sb::Delta& delta) {
  if (session.snapshot_owed) return;  // the coming snapshot includes it
  if (delta.from_version() != session.queued_version) {
    if (delta.version() <= session.queued_version) return;  // already covered
    spdlog::warn("southbound: host '{}' sent version {} but next delta starts at {}; resending snapshot",
                 session.host, session.queued_version, delta.from_version());
    send_snapshot_locked(session);
    return;
  }
  sb::ControllerMessage message;
  *message.mutable_delta() = delta;
  switch (session.push(message)) {
    case SessionReactor::Push::kQueued:
      session.queued_version = delta.version();
      break;
    case SessionReactor::Push::kOverflow:
      session.snapshot_owed = true;
      ++counters_.queue_overflows;
      spdlog::warn("southbound: host '{}' is not keeping up; queued deltas dropped, snapshot when drained",
                   session.host);
      break;
    case SessionReactor::Push::kClosed:
      break;
  }
}

void SessionHub::on_agent_message(SessionReactor& session, const sb::AgentMessage& message) {
  switch (message.kind_case()) {
    case sb::AgentMessage::kAck:
      handle_ack(session, message.ack());
      break;
    case sb::AgentMessage::kNack:
      handle_nack(session, message.nack());
      break;
    case sb::AgentMessage::kPortStatus:
      handle_port_status(session, message.port_status());
      break;
    case sb::AgentMessage::kHeartbeat: {
      bool current;
      {
        std::lock_guard lock(mu_);
        current = session.attached;
      }
      if (current) registry_.agent_heartbeat(session.host);
      break;
    }
    default:
      ++counters_.protocol_errors;
      break;
  }
}

void SessionHub::handle_ack(SessionReactor& session, const sb::Ack& ack) {
  ++counters_.acks;
  std::lock_guard lock(mu_);
  if (ack.version() > session.queued_version) {
    ++counters_.protocol_errors;
    spdlog::warn("southbound: host '{}' ACKed version {} that was never sent", session.host, ack.version());
    return;
  }
  session.nack_streak = 0;
  // The agent holds the last snapshot after all: cancel the pending resync and send
  // the deltas held back meanwhile.
  if (ack.version() >= session.last_snapshot_version && session.resync_scheduled) {
    session.resync_scheduled = false;
    session.snapshot_owed = false;
    auto missing = compiler_.deltas_since(session.host, compiler_.epoch(), session.queued_version);
    if (!missing) {
      send_snapshot_locked(session);
      return;
    }
    for (const auto& delta : *missing) push_delta_locked(session, delta);
  }
}

// A NACK of a version older than the last snapshot refers to a delta the snapshot
// already replaced. Repeated NACKs (a sink that keeps failing) back off instead of
// looping snapshots at wire speed.
void SessionHub::handle_nack(SessionReactor& session, const sb::Nack& nack) {
  ++counters_.nacks;
  spdlog::warn("southbound: host '{}' NACKed version {}: {}", session.host, nack.version(), nack.reason());
  std::lock_guard lock(mu_);
  if (!session.attached || nack.version() < session.last_snapshot_version) return;
  ++session.nack_streak;
  auto delay = resync_backoff(session.nack_streak);
  if (delay.count() == 0) {
    send_snapshot_locked(session);
    return;
  }
  session.snapshot_owed = true;
  session.resync_scheduled = true;
  session.resync_at = Clock::now() + delay;
}

std::chrono::milliseconds SessionHub::resync_backoff(uint32_t streak) const {
  if (streak <= 1) return std::chrono::milliseconds(0);
  uint32_t shift = std::min<uint32_t>(streak - 2, 6);
  return std::min(std::chrono::milliseconds(100 << shift), std::chrono::milliseconds(5000));
}

void SessionHub::handle_port_status(SessionReactor& session, const sb::PortStatusReport& report) {
  for (const auto& status : report.ports()) {
    if (!compiler_.port_bound_to(status.port_id(), session.host)) {
      ++counters_.port_status_rejected;
      spdlog::debug("southbound: host '{}' reported port {} that is not bound to it", session.host,
                    status.port_id());
      continue;
    }
    registry_.set_port_status(status.port_id(), status.up());
    ++counters_.port_status_updates;
  }
}

void SessionHub::on_drained(SessionReactor& session) {
  std::lock_guard lock(mu_);
  if (session.attached && session.snapshot_owed && !session.resync_scheduled) send_snapshot_locked(session);
}

void SessionHub::on_write(const sb::ControllerMessage& message, size_t bytes) {
  counters_.bytes_sent += bytes;
  switch (message.kind_case()) {
    case sb::ControllerMessage::kSnapshot:
      ++counters_.snapshots_sent;
      break;
    case sb::ControllerMessage::kDelta:
      ++counters_.deltas_sent;
      break;
    case sb::ControllerMessage::kHeartbeat:
      ++counters_.heartbeats_sent;
      break;
    default:
      break;
  }
}

void SessionHub::on_protocol_error(SessionReactor&) { ++counters_.protocol_errors; }

void SessionHub::on_done(SessionReactor& session) {
  std::lock_guard lock(mu_);
  auto it = by_host_.find(session.host);
  if (session.attached && it != by_host_.end() && it->second == &session) {
    by_host_.erase(it);
    spdlog::info("southbound: host '{}' disconnected", session.host);
    // Told under the hub lock: a new session of the host attaches under it too, and its
    // heartbeat (after attaching) is what marks the host connected again. Told after the
    // lock, this could land after a reconnect and show a live agent dead (and deletable)
    // until its next heartbeat. agent_disconnected only takes the registry's own lock.
    registry_.agent_disconnected(session.host);
  }
  sessions_.erase(&session);
  if (sessions_.empty()) all_done_.notify_all();
}

void SessionHub::tick() {
  const auto now = Clock::now();
  const auto interval = std::chrono::milliseconds(config_.heartbeat_interval_ms);
  std::lock_guard lock(mu_);
  for (auto* session : sessions_) {
    if (!session->timed_out && now - session->last_received() > 3 * interval) {
      session->timed_out = true;
      ++counters_.sessions_timed_out;
      spdlog::warn("southbound: no message from host '{}' for {} ms; ending its session",
                   session->host.empty() ? "<unregistered>" : session->host, 3 * interval.count());
      session->close(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no message for 3 heartbeat intervals"));
      continue;
    }
    if (!session->attached) continue;
    if (session->resync_scheduled && now >= session->resync_at) send_snapshot_locked(*session);
    if (now - session->last_heartbeat_sent >= interval) {
      session->last_heartbeat_sent = now;
      // A heartbeat that finds the queue full overflows it like a delta would.
      if (session->push(heartbeat_message()) == SessionReactor::Push::kOverflow && !session->snapshot_owed) {
        session->snapshot_owed = true;
        ++counters_.queue_overflows;
      }
    }
  }
}

SouthboundCounters SessionHub::counters() const {
  SouthboundCounters out;
  {
    std::lock_guard lock(mu_);
    out.sessions_active = by_host_.size();
  }
  const auto& c = counters_;
  out.sessions_total = c.sessions_total;
  out.sessions_replaced = c.sessions_replaced;
  out.sessions_timed_out = c.sessions_timed_out;
  out.registrations_refused = c.registrations_refused;
  out.protocol_errors = c.protocol_errors;
  out.snapshots_sent = c.snapshots_sent;
  out.deltas_sent = c.deltas_sent;
  out.heartbeats_sent = c.heartbeats_sent;
  out.acks = c.acks;
  out.nacks = c.nacks;
  out.queue_overflows = c.queue_overflows;
  out.port_status_updates = c.port_status_updates;
  out.port_status_rejected = c.port_status_rejected;
  out.bytes_sent = c.bytes_sent;
  out.bytes_received = c.bytes_received;
  return out;
}

}  // namespace overcast::controller

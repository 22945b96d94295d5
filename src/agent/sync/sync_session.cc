#include "agent/sync/sync_session.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <thread>

namespace overcast::agent {

namespace {

constexpr const char* kAgentVersion = "overcast-agent/0.1";

// A sink that throws is a sink that refused: the exception becomes a NACK reason
// instead of ending the reader thread.
template <typename Apply>
bool guarded(Apply apply, std::string& reason) {
  try {
    return apply();
  } catch (const std::exception& error) {
    reason = std::string("exception: ") + error.what();
  } catch (...) {
    reason = "unknown exception";
  }
  return false;
}

}  // namespace

SyncSession::SyncSession(const SouthboundClientConfig& config, ViewSink& sink, ClientShared& shared)
    : config_(config), sink_(sink), shared_(shared), last_received_(Clock::now()) {}

bool SyncSession::run(sb::Southbound::Stub& stub, grpc::ClientContext& context) {
  auto stream = stub.Session(&context);
  {
    sb::AgentMessage hello;
    auto* registration = hello.mutable_register_();
    registration->set_host(config_.host);
    registration->set_underlay_ip(config_.underlay_ip);
    for (const auto& encapsulation : config_.encapsulations) registration->add_encapsulations(encapsulation);
    registration->set_agent_version(kAgentVersion);
    registration->set_gateway(config_.gateway);
    registration->set_gateway_priority(config_.gateway_priority);
    for (const auto& mapping : config_.bridge_mappings) registration->add_bridge_mappings(mapping);
    std::lock_guard lock(shared_.mu);
    registration->set_resume_epoch(shared_.status.epoch);
    registration->set_resume_version(shared_.status.version);
    send(std::move(hello));
  }
  poll_port_status(/*full=*/true);  // the controller may have lost what we told the last one

  std::thread writer([&] { run_writer(*stream, context); });
  std::thread ticker([&] { run_ticker(context); });

  sb::ControllerMessage message;
  while (stream->Read(&message)) {
    {
      std::lock_guard lock(mu_);
      applying_ = true;
    }
    handle(message);
    // Time spent in the sink is not the controller's silence: a big snapshot may take
    // longer to apply than 3 heartbeat intervals while more messages wait in buffers.
    std::lock_guard lock(mu_);
    applying_ = false;
    last_received_ = Clock::now();
  }
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  ticker.join();
  writer.join();
  grpc::Status status = stream->Finish();

  bool welcomed;
  std::string error;
  {
    std::lock_guard lock(mu_);
    welcomed = welcomed_;
    if (silent_) {
      error = "controller silent for " + std::to_string(3 * heartbeat_ms_) + " ms";
    } else if (!status.ok()) {
      error = "stream ended: " + status.error_message() + " (code " + std::to_string(status.error_code()) + ")";
    } else {
      error = "stream closed by controller";
    }
  }
  std::lock_guard lock(shared_.mu);
  shared_.status.connected = false;
  shared_.status.last_error = error;
  return welcomed;
}

void SyncSession::handle(const sb::ControllerMessage& message) {
  switch (message.kind_case()) {
    case sb::ControllerMessage::kWelcome: {
      uint32_t interval = message.welcome().heartbeat_interval_ms();
      {
        std::lock_guard lock(mu_);
        welcomed_ = true;
        heartbeat_ms_ = interval == 0 ? kDefaultHeartbeatMs : interval;
      }
      cv_.notify_all();
      std::lock_guard lock(shared_.mu);
      shared_.status.connected = true;  // last_error stays: it tells why the previous stream ended
      spdlog::info("southbound: registered with {} as '{}'", message.welcome().controller_id(), config_.host);
      break;
    }
    case sb::ControllerMessage::kSnapshot:
      handle_snapshot(message.snapshot());
      break;
    case sb::ControllerMessage::kDelta:
      handle_delta(message.delta());
      break;
    default:
      break;  // heartbeats only prove the controller is alive
  }
}

void SyncSession::handle_snapshot(const sb::Snapshot& snapshot) {
  std::vector<sb::ViewEntry> entries(snapshot.entries().begin(), snapshot.entries().end());
  std::string reason;
  bool applied;
  {
    std::lock_guard lock(shared_.sink_mu);
    applied = guarded([&] { return sink_.apply_snapshot(entries, reason); }, reason);
  }
  {
    std::lock_guard lock(shared_.mu);
    if (applied) {
      shared_.status.epoch = snapshot.epoch();
      shared_.status.version = snapshot.version();
      ++shared_.status.snapshots;
      shared_.ports.retain_snapshot(entries);
    } else {
      // What the sink holds is unknown now: ask for a snapshot on any reconnect.
      shared_.status.epoch.clear();
      shared_.status.version = 0;
    }
  }
  if (applied) {
    send_ack(snapshot.version());
  } else {
    spdlog::warn("southbound: snapshot {} rejected by the data plane: {}", snapshot.version(), reason);
    send_nack(snapshot.version(), "snapshot rejected: " + reason);
  }
}

void SyncSession::handle_delta(const sb::Delta& delta) {
  std::string held_epoch;
  uint64_t held_version;
  {
    std::lock_guard lock(shared_.mu);
    held_epoch = shared_.status.epoch;
    held_version = shared_.status.version;
  }
  if (delta.epoch() == held_epoch && delta.version() <= held_version) return;  // already held
  if (delta.epoch() != held_epoch || delta.from_version() != held_version) {
    send_nack(delta.version(), "delta " + delta.epoch() + "@" + std::to_string(delta.from_version()) +
                                   " does not follow held " + held_epoch + "@" + std::to_string(held_version));
    return;
  }
  std::vector<sb::ViewEntry> upserts(delta.upserts().begin(), delta.upserts().end());
  std::vector<std::string> removals(delta.removals().begin(), delta.removals().end());
  std::string reason;
  bool applied;
  {
    std::lock_guard lock(shared_.sink_mu);
    applied = guarded([&] { return sink_.apply_delta(upserts, removals, reason); }, reason);
  }
  {
    std::lock_guard lock(shared_.mu);
    if (applied) {
      shared_.status.version = delta.version();
      ++shared_.status.deltas;
      shared_.ports.forget_removed(removals);
    } else {
      shared_.status.epoch.clear();
      shared_.status.version = 0;
    }
  }
  if (applied) {
    send_ack(delta.version());
  } else {
    spdlog::warn("southbound: delta {} rejected by the data plane: {}", delta.version(), reason);
    send_nack(delta.version(), "delta rejected: " + reason);
  }
}

void SyncSession::send(sb::AgentMessage message) {
  {
    std::lock_guard lock(mu_);
    outgoing_.push_back(std::move(message));
  }
  cv_.notify_all();
}

void SyncSession::send_ack(uint64_t version) {
  sb::AgentMessage message;
  message.mutable_ack()->set_version(version);
  send(std::move(message));
}

void SyncSession::send_nack(uint64_t version, const std::string& reason) {
  {
    std::lock_guard lock(shared_.mu);
    ++shared_.status.nacks;
  }
  sb::AgentMessage message;
  message.mutable_nack()->set_version(version);
  message.mutable_nack()->set_reason(reason);
  send(std::move(message));
}

void SyncSession::run_writer(grpc::ClientReaderWriter<sb::AgentMessage, sb::ControllerMessage>& stream,
                             grpc::ClientContext& context) {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return done_ || !outgoing_.empty(); });
    if (done_) return;
    sb::AgentMessage message = std::move(outgoing_.front());
    outgoing_.pop_front();
    lock.unlock();
    bool written = stream.Write(message);
    lock.lock();
    if (!written) {
      context.TryCancel();  // the reader sees the end of the stream
      return;
    }
  }
}

std::chrono::steady_clock::time_point next_ticker_wake(std::chrono::steady_clock::time_point now,
                                                       std::chrono::steady_clock::time_point silence_deadline,
                                                       std::chrono::steady_clock::time_point next_poll, bool welcomed,
                                                       std::chrono::steady_clock::time_point next_heartbeat) {
  auto wake = welcomed ? std::min(next_poll, next_heartbeat) : next_poll;
  // Past the deadline while the reader is busy in the sink: the deadline moves when the
  // apply ends, so wait for the next poll rather than wake (and spin) on a past instant.
  if (silence_deadline > now) wake = std::min(wake, silence_deadline);
  return wake;
}

void SyncSession::run_ticker(grpc::ClientContext& context) {
  auto next_heartbeat = Clock::now();
  auto next_poll = Clock::now() + kPortStatusPoll;
  std::unique_lock lock(mu_);
  while (!done_) {
    const auto interval = std::chrono::milliseconds(heartbeat_ms_);
    const auto silence_deadline = last_received_ + 3 * interval;
    const auto now = Clock::now();
    if (now >= silence_deadline && !applying_) {
      silent_ = true;
      spdlog::warn("southbound: controller silent for {} ms; reconnecting", 3 * interval.count());
      context.TryCancel();
      return;
    }
    if (welcomed_ && now >= next_heartbeat) {
      sb::AgentMessage beat;
      beat.mutable_heartbeat()->set_sent_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count());
      outgoing_.push_back(std::move(beat));
      cv_.notify_all();
      next_heartbeat = now + interval;
    }
    if (now >= next_poll) {
      lock.unlock();
      poll_port_status(/*full=*/false);
      lock.lock();
      next_poll = now + kPortStatusPoll;
    }
    const auto wake = next_ticker_wake(now, silence_deadline, next_poll, welcomed_, next_heartbeat);
    // The Welcome changes the schedule (first heartbeat, interval): wake up for it.
    const bool was_welcomed = welcomed_;
    cv_.wait_until(lock, wake, [&] { return done_ || welcomed_ != was_welcomed; });
  }
}

void SyncSession::poll_port_status(bool full) {
  std::vector<sb::PortStatus> changes;
  {
    // The periodic poll skips a turn while the reader is busy in the sink, so a slow
    // apply never holds up the heartbeats.
    std::unique_lock lock(shared_.sink_mu, std::defer_lock);
    if (full) {
      lock.lock();
    } else if (!lock.try_lock()) {
      return;
    }
    try {
      changes = sink_.take_port_status_changes();
    } catch (const std::exception& error) {
      spdlog::error("southbound: reading port status failed: {}", error.what());
    }
  }
  sb::AgentMessage message;
  {
    std::lock_guard lock(shared_.mu);
    shared_.ports.record(changes);
    if (full) {
      if (shared_.ports.size() == 0) return;
      *message.mutable_port_status() = shared_.ports.full_report();
    } else {
      if (changes.empty()) return;
      for (auto& change : changes) *message.mutable_port_status()->add_ports() = std::move(change);
    }
  }
  send(std::move(message));
}

}  // namespace overcast::agent

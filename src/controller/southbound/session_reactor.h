// One agent's Session stream on the server side (gRPC callback API: no thread is
// parked per stream). It owns the stream mechanics only: reading AgentMessages, a
// bounded outgoing queue with one write in flight, and finishing exactly once.
// What the messages mean is the SessionEvents' business (the hub).
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "overcast/southbound.grpc.pb.h"

namespace overcast::controller {

namespace sb = overcast::southbound::v1;

class SessionReactor;

// Callbacks run on gRPC threads, never with the reactor's lock held.
class SessionEvents {
 public:
  virtual ~SessionEvents() = default;
  virtual grpc::Status on_register(SessionReactor& session, const sb::Register& registration) = 0;
  virtual void on_agent_message(SessionReactor& session, const sb::AgentMessage& message) = 0;
  // The queue overflowed earlier and has now drained: send the session a snapshot.
  virtual void on_drained(SessionReactor& session) = 0;
  virtual void on_write(const sb::ControllerMessage& message, size_t bytes) = 0;
  virtual void on_read(size_t bytes) = 0;
  virtual void on_protocol_error(SessionReactor& session) = 0;
  // Last call; the reactor is deleted right after.
  virtual void on_done(SessionReactor& session) = 0;
};

struct SessionQueueLimits {
  size_t max_messages = 1024;
  size_t max_bytes = 64u << 20;
};

class SessionReactor final : public grpc::ServerBidiReactor<sb::AgentMessage, sb::ControllerMessage> {
 public:
  enum class Push { kQueued, kOverflow, kClosed };
  using Clock = std::chrono::steady_clock;

  SessionReactor(SessionEvents& events, SessionQueueLimits limits);

  // Starts reading; called once the hub knows the session.
  void begin();
  // Queues a message. Deltas and heartbeats are droppable: when the queue is full they
  // are all dropped and the session is owed a snapshot (kOverflow, on_drained later).
  Push push(const sb::ControllerMessage& message);
  // Drops every queued message except a pending Welcome (a snapshot supersedes them).
  void drop_queued();
  // Ends the stream with `status` once the write in flight (if any) is done.
  void close(const grpc::Status& status);

  Clock::time_point last_received() const { return Clock::time_point(Clock::duration(last_rx_.load())); }

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // Fields below are owned by the hub and touched only under the hub's lock.
  std::string host;            // "" until registered
  bool attached = false;       // the hub routes this host's deltas here
  uint64_t queued_version = 0; // version of the last snapshot/delta queued
  uint64_t last_snapshot_version = 0;
  bool snapshot_owed = false;  // overflowed: deltas skipped until the snapshot
  uint32_t nack_streak = 0;    // NACKs without an ACK between: resnapshot with backoff
  bool resync_scheduled = false;
  Clock::time_point resync_at{};
  Clock::time_point last_heartbeat_sent{};
  bool timed_out = false;

 private:
  // Under mu_: picks the next message to write, if any. Returns true when the caller
  // must StartWrite(&out_) (outside the lock).
  bool next_write_locked();
  void finish_now(const grpc::Status& status);

  SessionEvents& events_;
  const SessionQueueLimits limits_;
  std::mutex mu_;
  std::deque<sb::ControllerMessage> queue_;
  size_t queued_bytes_ = 0;
  sb::ControllerMessage out_;  // the write in flight
  bool writing_ = false;
  bool close_requested_ = false;
  bool finished_ = false;
  bool drain_owed_ = false;
  grpc::Status close_status_;
  sb::AgentMessage in_;
  bool registered_ = false;  // only the reader thread touches it
  std::atomic<Clock::rep> last_rx_;
};

}  // namespace overcast::controller

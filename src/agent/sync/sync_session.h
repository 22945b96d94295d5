// One Session stream to the controller, from Register to the stream's end.
//
// Threads while it runs: the caller's thread reads ControllerMessages and applies
// them to the sink; a writer thread sends the queued AgentMessages (blocking writes
// never stall the reader or the watchdog); a ticker thread produces Heartbeats and
// PortStatusReports and ends the stream when the controller falls silent for 3
// heartbeat intervals.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

#include "agent/sync/port_status_book.h"
#include "agent/sync/southbound_client.h"
#include "agent/sync/view_sink.h"
#include "overcast/southbound.grpc.pb.h"

namespace overcast::agent {

// What outlives one stream; `mu` guards status and ports, `sink_mu` the sink.
struct ClientShared {
  mutable std::mutex mu;
  SouthboundStatus status;  // status.epoch/version = the view the sink holds
  PortStatusBook ports;
  std::mutex sink_mu;
};

inline constexpr uint32_t kDefaultHeartbeatMs = 2000;
inline constexpr std::chrono::milliseconds kPortStatusPoll{200};

// When the ticker wakes next: the next port-status poll, the next heartbeat once
// welcomed, and the silence deadline only while it is still ahead (a deadline already
// past means the reader is busy in the sink; waking on it would spin).
std::chrono::steady_clock::time_point next_ticker_wake(std::chrono::steady_clock::time_point now,
                                                       std::chrono::steady_clock::time_point silence_deadline,
                                                       std::chrono::steady_clock::time_point next_poll, bool welcomed,
                                                       std::chrono::steady_clock::time_point next_heartbeat);

class SyncSession {
 public:
  SyncSession(const SouthboundClientConfig& config, ViewSink& sink, ClientShared& shared);

  // Runs the stream until it ends (error, silence, or context cancelled). Returns
  // true if the controller accepted the registration (a Welcome arrived).
  bool run(sb::Southbound::Stub& stub, grpc::ClientContext& context);

 private:
  using Clock = std::chrono::steady_clock;

  void handle(const sb::ControllerMessage& message);
  void handle_snapshot(const sb::Snapshot& snapshot);
  void handle_delta(const sb::Delta& delta);
  void send(sb::AgentMessage message);
  void send_ack(uint64_t version);
  void send_nack(uint64_t version, const std::string& reason);
  void run_writer(grpc::ClientReaderWriter<sb::AgentMessage, sb::ControllerMessage>& stream,
                  grpc::ClientContext& context);
  void run_ticker(grpc::ClientContext& context);
  void poll_port_status(bool full);

  const SouthboundClientConfig& config_;
  ViewSink& sink_;
  ClientShared& shared_;

  std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::deque<sb::AgentMessage> outgoing_;
  bool done_ = false;
  bool welcomed_ = false;
  bool silent_ = false;
  bool applying_ = false;  // the reader is inside the sink
  uint32_t heartbeat_ms_ = kDefaultHeartbeatMs;
  Clock::time_point last_received_;
};

}  // namespace overcast::agent

// The agent's side of the southbound: keeps one Session stream to the controller,
// hands the host's view to a ViewSink (Snapshot -> apply_snapshot, Delta ->
// apply_delta), ACKs/NACKs every version, sends Heartbeats and port status, and
// reconnects forever with capped exponential backoff (100 ms .. 2 s), resuming by
// (epoch, version). Given several controllers (of one cluster), it moves to the next
// one in the list whenever a stream ends or cannot be opened; a different controller
// has a different epoch, so it answers with a snapshot. While disconnected the sink keeps the view it has, so the data
// plane keeps forwarding.
//
// Threads: start() spawns one background thread that owns the connection; while a
// stream is up it also runs a writer thread and a ticker thread (heartbeats, port
// status polling every ~200 ms, dead-controller watchdog). Sink calls are serialized
// by the client: the sink is never called from two threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/sync/view_sink.h"

namespace overcast::agent {

struct SouthboundClientConfig {
  std::string controller;  // "host:port", or "host:port,host:port,..." of one cluster
  std::string host;
  std::string underlay_ip;
  std::vector<std::string> encapsulations{"vxlan"};
  bool gateway = false;  // reported in Register: this host may serve routers' gateways
  uint32_t gateway_priority = 0;
  std::vector<std::string> bridge_mappings;  // "physnet:iface", reported in Register
};

struct SouthboundStatus {
  bool connected = false;  // registered (Welcome received) on a live stream
  std::string controller;  // the endpoint in use (or tried last)
  std::string epoch;       // of the view held
  uint64_t version = 0;
  std::string last_error;  // why the last stream ended or failed (kept after recovery)
  uint64_t snapshots = 0, deltas = 0, nacks = 0, reconnects = 0;
};

class SouthboundClient {
 public:
  SouthboundClient(SouthboundClientConfig config, ViewSink& sink);
  ~SouthboundClient();  // stops
  SouthboundClient(const SouthboundClient&) = delete;
  SouthboundClient& operator=(const SouthboundClient&) = delete;

  void start();  // idempotent
  void stop();   // returns promptly: cancels the stream, joins the threads
  SouthboundStatus status() const;

  class Core;

 private:
  std::unique_ptr<Core> core_;
};

}  // namespace overcast::agent

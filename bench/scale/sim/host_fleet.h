// N simulated hypervisors in one process: each is the agent's own SouthboundClient
// (register, snapshot/deltas, ACK/NACK, heartbeats, reconnect) over a SimHostSink.
// Host i is named "<prefix>NNNNN" with a unique unicast underlay (underlay_of).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/sync/southbound_client.h"
#include "bench/scale/sim/sim_host_sink.h"

namespace overcast::bench {

struct SimHost {
  std::string name;
  std::unique_ptr<SimHostSink> sink;
  std::unique_ptr<agent::SouthboundClient> client;
};

class HostFleet {
 public:
  HostFleet(const std::string& controller, size_t count, SinkMode mode, const std::string& prefix = "sim-");
  ~HostFleet();  // stops every client

  void start();
  // True once every client holds a registered stream; false at the deadline.
  bool wait_connected(std::chrono::milliseconds timeout) const;
  size_t connected() const;
  void record_touches(bool on);

  size_t size() const { return hosts_.size(); }
  const SimHost& host(size_t i) const { return hosts_[i]; }
  const std::vector<SimHost>& hosts() const { return hosts_; }

 private:
  std::vector<SimHost> hosts_;
};

// A unique unicast IPv4 underlay address for host number `index` (< 2^22).
std::string underlay_of(size_t index);

}  // namespace overcast::bench

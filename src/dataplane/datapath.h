// The data plane of one host: VM ports <-> pipeline <-> tunnel sockets.
//
// The control thread (the agent) publishes forwarding tables; worker threads poll
// the ports of the current table and the tunnel socket, and process what they read
// in batches through the pipeline. publish() never blocks the workers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "dataplane/table/forwarding_table.h"

namespace overcast::dataplane {

struct DatapathConfig {
  std::string underlay_ip;        // local VTEP address; the tunnel sockets bind to it
  uint16_t vxlan_port = 4789;     // IANA VXLAN port (RFC 7348)
  size_t pool_packets = 2048;     // per worker
  uint32_t buffer_size = Packet::kDefaultBufferSize;
  unsigned workers = 1;
  uint32_t busy_poll_us = 0;  // see WorkerSetup::busy_poll_us
  // Security groups' connection tracker: connections for the whole host (each worker
  // tracks the zones of its own ports and gets an equal share), and per port (0: no cap).
  uint32_t conntrack_max = 65536;
  uint32_t conntrack_zone_max = 0;
};

class Datapath {
 public:
  virtual ~Datapath() = default;
  // Opens the tunnel sockets and starts the workers. False with `error` on failure.
  virtual bool start(std::string& error) = 0;
  // Stops and joins the workers. Ports stay open (they belong to the tables).
  virtual void stop() = 0;
  // Makes `table` current. Control thread only. Ports that appear in it are polled,
  // ports that disappear stop being polled.
  virtual void publish(std::shared_ptr<const ForwardingTable> table) = 0;
  virtual std::shared_ptr<const ForwardingTable> current() const = 0;
  // Ports, tunnel, per-stage counters and drops by reason (shape in docs/ARCHITECTURE.md).
  virtual nlohmann::json counters_json() const = 0;
};

std::unique_ptr<Datapath> make_datapath(DatapathConfig config);

}  // namespace overcast::dataplane

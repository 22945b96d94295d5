// A PortDriver without devices: every port "opens" at once to a PortIo that never
// carries a frame. It lets the unmodified AgentViewSink (validation, port slots,
// forwarding table) run for a simulated hypervisor that has no data plane.
#pragma once

#include <memory>
#include <string>

#include "agent/ports/port_driver.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/ports/port_io.h"

namespace overcast::bench {

class NullPortIo final : public dataplane::PortIo {
 public:
  explicit NullPortIo(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  int poll_fd() const override { return -1; }
  size_t rx_burst(dataplane::PacketPool&, dataplane::Batch&) override { return 0; }
  // Nothing is sent anywhere; the packets go back to the pool, as the contract says.
  void tx_burst(dataplane::PacketPool& pool, dataplane::Batch& batch) override { pool.free_batch(batch); }

 private:
  std::string name_;
};

class NullPortDriver final : public agent::PortDriver {
 public:
  std::shared_ptr<dataplane::PortIo> open(const agent::PortSpec& spec, std::string&) override {
    return std::make_shared<NullPortIo>(spec.device_name);
  }
  bool destroy(const std::shared_ptr<dataplane::PortIo>&, std::string&) override { return true; }
};

}  // namespace overcast::bench

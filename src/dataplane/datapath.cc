// make_datapath: the VTEP data plane (VXLAN over the kernel's UDP/IP stack).
#include "dataplane/datapath.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "common/ip_address.h"
#include "dataplane/core/qsbr.h"
#include "dataplane/core/snapshot_publisher.h"
#include "dataplane/worker/worker.h"

namespace overcast::dataplane {
namespace {

constexpr unsigned kMaxWorkers = 64;

class VtepDatapath final : public Datapath {
 public:
  explicit VtepDatapath(DatapathConfig config)
      : config_(std::move(config)),
        worker_count_(config_.workers == 0 ? 1 : (config_.workers > kMaxWorkers ? kMaxWorkers : config_.workers)),
        qsbr_(worker_count_),
        tables_(qsbr_),
        handoff_(worker_count_ > 1 ? std::make_unique<HandoffMesh>(worker_count_) : nullptr) {
    tables_.publish(std::make_shared<const ForwardingTable>());
    for (size_t i = 0; i < worker_count_; ++i) {
      WorkerSetup setup;
      setup.index = i;
      setup.count = worker_count_;
      setup.pool_packets = config_.pool_packets;
      setup.buffer_size = config_.buffer_size;
      setup.tunnel_dst_port = config_.vxlan_port;
      setup.busy_poll_us = config_.busy_poll_us;
      setup.security_groups.conntrack_max =
          std::max<uint32_t>(1, (config_.conntrack_max + worker_count_ - 1) / worker_count_);
      setup.security_groups.zone_max = config_.conntrack_zone_max;
      setup.handoff = handoff_.get();
      workers_.push_back(std::make_unique<Worker>(setup, qsbr_, tables_, worker_count_ > 1 ? &tx_locks_ : nullptr));
    }
  }

  ~VtepDatapath() override { stop(); }

  bool start(std::string& error) override {
    std::lock_guard lock(control_);
    if (started_) return true;
    if (config_.buffer_size <= Packet::kHeadroom + 64) {
      error = "buffer_size must exceed the headroom (" + std::to_string(Packet::kHeadroom) + ") by a frame";
      return false;
    }
    auto ip = Ipv4Address::parse(config_.underlay_ip);
    if (!ip) {
      error = "underlay_ip '" + config_.underlay_ip + "' is not an IPv4 address";
      return false;
    }
    auto tx = UdpTunnelSockets::open(ip->value, UdpTunnelSockets::kDefaultCount, error);
    if (!tx) return false;
    std::vector<std::unique_ptr<UdpTunnelRx>> rx;
    for (size_t i = 0; i < worker_count_; ++i) {
      auto socket = UdpTunnelRx::open(ip->value, config_.vxlan_port, worker_count_ > 1, error);
      if (!socket) return false;
      rx.push_back(std::move(socket));
    }
    auto table = tables_.current();
    for (size_t i = 0; i < worker_count_; ++i) {
      if (!workers_[i]->start(std::move(rx[i]), tx, *table, error)) {
        for (size_t j = 0; j < i; ++j) workers_[j]->stop();
        return false;
      }
    }
    started_ = true;
    return true;
  }

  void stop() override {
    std::lock_guard lock(control_);
    if (!started_) return;
    for (auto& w : workers_) w->stop();
    started_ = false;
    tables_.reclaim();  // every reader is offline now
  }

  void publish(std::shared_ptr<const ForwardingTable> table) override {
    if (!table) table = std::make_shared<const ForwardingTable>();
    std::lock_guard lock(control_);
    // Held until the epoll sets no longer name the previous table's port fds.
    std::shared_ptr<const ForwardingTable> previous = tables_.publish(table);
    for (auto& w : workers_) w->sync_ports(*table);
    previous.reset();
    tables_.reclaim();
  }

  std::shared_ptr<const ForwardingTable> current() const override { return tables_.current(); }

  nlohmann::json counters_json() const override {
    auto table = tables_.current();
    nlohmann::json ports = nlohmann::json::array();
    for (PortSlot slot = 0; slot < table->ports.size(); ++slot) {
      const PortEntry* port = table->find_port(slot);
      if (!port) continue;
      const PortCounters& c = port->io->counters();
      ports.push_back({{"slot", slot},
                       {"port_id", port->port_id},
                       {"name", port->io->name()},
                       {"vni", port->vni},
                       {"rx_packets", c.rx_packets.load(std::memory_order_relaxed)},
                       {"rx_bytes", c.rx_bytes.load(std::memory_order_relaxed)},
                       {"tx_packets", c.tx_packets.load(std::memory_order_relaxed)},
                       {"tx_bytes", c.tx_bytes.load(std::memory_order_relaxed)},
                       {"rx_errors", c.rx_errors.load(std::memory_order_relaxed)},
                       {"tx_errors", c.tx_errors.load(std::memory_order_relaxed)}});
    }
    nlohmann::json stages = nlohmann::json::object();
    nlohmann::json drops = nlohmann::json::object();
    nlohmann::json tunnel = nlohmann::json::object();
    for (const auto& w : workers_) w->add_counters(stages, drops, tunnel);
    // Readers pass quiescent points all the time; free what they no longer see.
    tables_.reclaim();
    return {{"ports", ports}, {"tunnel", tunnel}, {"stages", stages}, {"drops", drops}};
  }

 private:
  DatapathConfig config_;
  size_t worker_count_;
  QsbrDomain qsbr_;
  mutable SnapshotPublisher<ForwardingTable> tables_;  // mutable: counters_json() reclaims
  PortTxLocks tx_locks_;
  std::unique_ptr<HandoffMesh> handoff_;  // outlives the workers (declared before them)
  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex control_;  // start/stop/publish: the control side, never the workers
  bool started_ = false;
};

}  // namespace

std::unique_ptr<Datapath> make_datapath(DatapathConfig config) { return std::make_unique<VtepDatapath>(std::move(config)); }

}  // namespace overcast::dataplane

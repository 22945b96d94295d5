// Worker: one thread of the data plane. It owns a packet pool, a pipeline, a
// tunnel receive socket, and an epoll set holding that socket and the poll_fd of
// every port assigned to it (slot % worker_count == index).
//
// Each loop iteration: go offline, epoll_wait (bounded, so stop() is prompt; not
// blocking at all while within busy_poll_us of the last packet),
// come back online (a quiescent point), load the current table once, then read up
// to Batch::kCapacity frames from each ready source and run them through the
// pipeline, which transmits in batches per output; then take what other workers handed
// over for this worker's ports (ingress_handoff.h) and run the tracker's expiry.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/core/drop_reason.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/core/qsbr.h"
#include "dataplane/core/snapshot_publisher.h"
#include "dataplane/pipeline/pipeline.h"
#include "dataplane/tunnel/udp_tunnel_rx.h"
#include "dataplane/tunnel/udp_tunnel_tx.h"
#include "dataplane/worker/ingress_handoff.h"

namespace overcast::dataplane {

struct WorkerSetup {
  size_t index = 0;
  size_t count = 1;
  size_t pool_packets = 2048;
  uint32_t buffer_size = Packet::kDefaultBufferSize;
  uint16_t tunnel_dst_port = 4789;
  std::string encapsulation = "vxlan";
  // After the last packet, keep polling without sleeping for this long (0: never).
  // A thread that sleeps in epoll_wait costs a wake-up per packet; on a virtual CPU
  // that halted meanwhile, tens of microseconds each. Polling trades CPU for latency.
  uint32_t busy_poll_us = 0;
  SecurityGroupConfig security_groups;  // this worker's conntrack share
  HandoffMesh* handoff = nullptr;       // several workers: rings to and from the others
};

class Worker final : private TunnelSink, private IngressHandoffSink {
 public:
  Worker(const WorkerSetup& setup, QsbrDomain& qsbr, const SnapshotPublisher<ForwardingTable>& tables,
         PortTxLocks* tx_locks);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Control thread. Takes the tunnel sockets, polls the ports of `table`, starts the thread.
  bool start(std::unique_ptr<UdpTunnelRx> rx, std::shared_ptr<const UdpTunnelSockets> tx,
             const ForwardingTable& table, std::string& error);
  void stop();
  // Control thread, on every publish: polls exactly this worker's ports of `table`.
  void sync_ports(const ForwardingTable& table);

  // Any thread: adds this worker's counters (summed with other workers').
  void add_counters(nlohmann::json& stages, nlohmann::json& drops, nlohmann::json& tunnel) const;

 private:
  static constexpr uint64_t kTunnelTag = UINT64_MAX;
  static constexpr uint64_t kWakeTag = UINT64_MAX - 1;

  void run();
  void poll_port(const ForwardingTable& table, PortSlot slot);
  void forget_dead_port(const ForwardingTable& table, PortSlot slot);
  void poll_tunnel();
  void tx_burst(PacketPool& pool, Batch& batch) override;  // TunnelSink
  void hand_off(Batch& batch) override;                     // IngressHandoffSink
  // Takes the frames other workers handed over, and the buffers they give back.
  void drain_handoffs();
  static SecurityGroupConfig security_group_config(const WorkerSetup& setup, IngressHandoffSink* sink);
  bool owns(PortSlot slot) const { return slot % setup_.count == setup_.index; }

  WorkerSetup setup_;
  QsbrDomain& qsbr_;
  QsbrDomain::ReaderId reader_;
  const SnapshotPublisher<ForwardingTable>& tables_;

  PacketPool pool_;
  DropCounters drops_;
  TunnelCounters tunnel_counters_;
  std::unique_ptr<UdpTunnelRx> tunnel_rx_;
  std::unique_ptr<UdpTunnelTx> tunnel_tx_;
  Pipeline pipeline_;
  Batch batch_;
  Batch handed_;                      // frames handed over to this worker, copied
  std::vector<size_t> lent_;          // per worker: our buffers it holds (<= ring capacity)

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::vector<int> polled_fds_;  // by slot, -1 if not polled; control thread only
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace overcast::dataplane

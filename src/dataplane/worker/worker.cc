#include "dataplane/worker/worker.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "dataplane/core/counters_json.h"
#include "dataplane/encap/registry.h"

namespace overcast::dataplane {
namespace {

constexpr int kMaxEvents = 64;
constexpr int kPollTimeoutMs = 100;  // bounds how long stop() waits if the wake-up is missed

bool epoll_add(int epoll_fd, int fd, uint64_t tag) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = tag;
  return ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

}  // namespace

Worker::Worker(const WorkerSetup& setup, QsbrDomain& qsbr, const SnapshotPublisher<ForwardingTable>& tables,
               PortTxLocks* tx_locks)
    : setup_(setup),
      qsbr_(qsbr),
      reader_(qsbr.register_reader()),
      tables_(tables),
      pool_(setup.pool_packets, setup.buffer_size),
      pipeline_(pool_, drops_, make_encapsulation(setup.encapsulation), *this, tx_locks,
                security_group_config(setup, this)),
      lent_(setup.count, 0),
      epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

SecurityGroupConfig Worker::security_group_config(const WorkerSetup& setup, IngressHandoffSink* sink) {
  SecurityGroupConfig config = setup.security_groups;
  config.worker_index = setup.index;
  config.worker_count = setup.count;
  config.handoff = setup.handoff != nullptr && setup.count > 1 ? sink : nullptr;
  return config;
}

Worker::~Worker() {
  stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool Worker::start(std::unique_ptr<UdpTunnelRx> rx, std::shared_ptr<const UdpTunnelSockets> tx,
                   const ForwardingTable& table, std::string& error) {
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    error = "worker: epoll/eventfd creation failed";
    return false;
  }
  if (running_.load()) return true;
  tunnel_rx_ = std::move(rx);
  tunnel_tx_ = std::make_unique<UdpTunnelTx>(std::move(tx), setup_.tunnel_dst_port);
  if (!epoll_add(epoll_fd_, tunnel_rx_->fd(), kTunnelTag) || !epoll_add(epoll_fd_, wake_fd_, kWakeTag)) {
    error = std::string("worker: epoll_ctl: ") + std::strerror(errno);
    return false;
  }
  sync_ports(table);
  if (setup_.handoff) setup_.handoff->set_wake_fd(setup_.index, wake_fd_);
  running_.store(true);
  thread_ = std::thread([this] { run(); });
  return true;
}

void Worker::stop() {
  if (!running_.exchange(false)) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t ignored = ::write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  // The rx socket leaves the epoll set with it; a restart brings a new one.
  if (tunnel_rx_) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, tunnel_rx_->fd(), nullptr);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, wake_fd_, nullptr);
  tunnel_rx_.reset();
}

void Worker::sync_ports(const ForwardingTable& table) {
  if (polled_fds_.size() < table.ports.size()) polled_fds_.resize(table.ports.size(), -1);
  for (PortSlot slot = 0; slot < polled_fds_.size(); ++slot) {
    const PortEntry* port = owns(slot) ? table.find_port(slot) : nullptr;
    const int want = port ? port->io->poll_fd() : -1;
    int& have = polled_fds_[slot];
    if (want == have) continue;
    // The old PortIo is still alive here (the caller holds the previous table),
    // so its fd cannot have been closed and reused yet.
    if (have >= 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, have, nullptr);
    have = -1;
    if (want >= 0 && epoll_add(epoll_fd_, want, slot)) have = want;
  }
}

void Worker::run() {
  epoll_event events[kMaxEvents];
  using Clock = std::chrono::steady_clock;
  const auto busy_window = std::chrono::microseconds(setup_.busy_poll_us);
  Clock::time_point last_packet{};
  while (running_.load(std::memory_order_relaxed)) {
    const bool busy = busy_window.count() > 0 && Clock::now() - last_packet < busy_window;
    qsbr_.offline(reader_);
    const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, busy ? 0 : kPollTimeoutMs);
    qsbr_.online(reader_);  // quiescent point: no snapshot pointer held across it
    if (n > 0 && busy_window.count() > 0) last_packet = Clock::now();
    const ForwardingTable* table = tables_.load();
    pipeline_.set_table(table);
    for (int i = 0; i < n && table; ++i) {
      const uint64_t tag = events[i].data.u64;
      if (tag == kTunnelTag) {
        poll_tunnel();
      } else if (tag == kWakeTag) {
        uint64_t value;
        [[maybe_unused]] ssize_t ignored = ::read(wake_fd_, &value, sizeof value);
      } else if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        // A TAP whose device was deleted reports EPOLLERR forever (even with no events
        // asked for): stop polling it here or this loop spins. The control thread's own
        // removal of the slot later finds it gone, which is harmless.
        forget_dead_port(*table, static_cast<PortSlot>(tag));
      } else {
        poll_port(*table, static_cast<PortSlot>(tag));
      }
    }
    if (table && setup_.handoff) drain_handoffs();
    if (table) pipeline_.housekeeping();
  }
  qsbr_.offline(reader_);
}

void Worker::forget_dead_port(const ForwardingTable& table, PortSlot slot) {
  const PortEntry* port = table.find_port(slot);
  if (!port) return;
  // The event may predate a republish that gave the slot a healthy port: look first.
  const int fd = port->io->poll_fd();
  pollfd probe{fd, POLLIN, 0};
  if (fd < 0 || ::poll(&probe, 1, 0) != 1 || !(probe.revents & (POLLERR | POLLHUP))) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

void Worker::poll_port(const ForwardingTable& table, PortSlot slot) {
  // The event may be for a port this snapshot no longer has: nothing to read then.
  const PortEntry* port = table.find_port(slot);
  if (!port) return;
  if (port->io->rx_burst(pool_, batch_) == 0) return;
  for (Packet* p : batch_) p->meta.in_port = slot;
  if (port->uplink) {
    pipeline_.process_uplink_rx(batch_);
  } else {
    pipeline_.process_port_rx(batch_);
  }
}

void Worker::poll_tunnel() {
  if (tunnel_rx_->rx_burst(pool_, batch_, tunnel_counters_) == 0) return;
  pipeline_.process_tunnel_rx(batch_);
}

void Worker::tx_burst(PacketPool& pool, Batch& batch) { tunnel_tx_->tx_burst(pool, batch, tunnel_counters_); }

void Worker::hand_off(Batch& batch) {
  uint64_t to_wake = 0;  // bit per worker (at most 64)
  for (Packet* p : batch) {
    const size_t to = p->meta.out_port % setup_.count;
    // Bounded by the return ring's capacity, so the owner can always give buffers back.
    if (lent_[to] < HandoffMesh::kRingCapacity && setup_.handoff->forward(setup_.index, to).push(p)) {
      ++lent_[to];
      to_wake |= uint64_t{1} << to;
    } else {
      drops_.count(DropReason::kNoBuffer);
      pool_.free(p);
    }
  }
  batch.clear();
  for (size_t to = 0; to < setup_.count; ++to) {
    if (to_wake & (uint64_t{1} << to)) setup_.handoff->wake(to);
  }
}

void Worker::drain_handoffs() {
  HandoffMesh& mesh = *setup_.handoff;
  for (size_t other = 0; other < setup_.count; ++other) {
    if (other == setup_.index) continue;
    while (Packet* mine = mesh.back(other, setup_.index).pop()) {
      pool_.free(mine);
      --lent_[other];
    }
    while (Packet* theirs = mesh.forward(other, setup_.index).pop()) {
      Packet* copy = pool_.alloc();
      if (copy != nullptr && copy->copy_from(*theirs)) {
        handed_.push(copy);
      } else {
        if (copy != nullptr) pool_.free(copy);
        drops_.count(DropReason::kNoBuffer);
      }
      // Never full: `other` lends at most the ring's capacity (Worker::hand_off).
      [[maybe_unused]] const bool returned = mesh.back(setup_.index, other).push(theirs);
      if (handed_.full()) pipeline_.process_handed_ingress(handed_);
    }
    if (!handed_.empty()) pipeline_.process_handed_ingress(handed_);
  }
}

void Worker::add_counters(nlohmann::json& stages, nlohmann::json& drops, nlohmann::json& tunnel) const {
  pipeline_.add_counters(stages);
  add_drop_counters(drops, drops_);
  tunnel_counters_.add_to(tunnel);
}

}  // namespace overcast::dataplane

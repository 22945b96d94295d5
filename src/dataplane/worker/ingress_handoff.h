// Handing frames for a VM port to the worker that owns the port's conntrack zone.
//
// A port's zone lives in the tracker of the worker that polls the port (slot % N): its
// egress half of security groups runs there. A frame for the port can arrive at any
// worker (from another port, or from the tunnel's SO_REUSEPORT share), so the ingress
// half hands it over: the receiving worker pushes the packet into a ring towards the
// owner and wakes it; the owner copies the frame into a buffer of its own pool, runs
// ingress security groups and local delivery, and sends the original buffer back on a
// return ring, where the receiving worker frees it into its own pool (pools are single-
// threaded). No lock: one SPSC ring per ordered pair of workers in each direction.
//
// The mesh is built by the datapath before the workers start and outlives them.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <vector>

#include "dataplane/core/packet_ring.h"

namespace overcast::dataplane {

class HandoffMesh {
 public:
  static constexpr size_t kRingCapacity = 256;  // frames in flight from one worker to another

  explicit HandoffMesh(size_t workers) : workers_(workers), wake_fds_(workers) {
    for (auto& fd : wake_fds_) fd.store(-1);
    for (size_t i = 0; i < workers * workers; ++i) {
      forward_.push_back(std::make_unique<PacketRing>(kRingCapacity));
      back_.push_back(std::make_unique<PacketRing>(kRingCapacity));
    }
  }
  size_t workers() const { return workers_; }
  // Frames from worker `from` to worker `to`, and their buffers coming back.
  PacketRing& forward(size_t from, size_t to) { return *forward_[from * workers_ + to]; }
  PacketRing& back(size_t from, size_t to) { return *back_[from * workers_ + to]; }

  void set_wake_fd(size_t worker, int fd) { wake_fds_[worker].store(fd, std::memory_order_release); }
  void wake(size_t worker) {
    const int fd = wake_fds_[worker].load(std::memory_order_acquire);
    const uint64_t one = 1;
    if (fd < 0) return;
    [[maybe_unused]] ssize_t ignored = ::write(fd, &one, sizeof one);
  }

 private:
  size_t workers_;
  std::vector<std::unique_ptr<PacketRing>> forward_;
  std::vector<std::unique_ptr<PacketRing>> back_;
  std::vector<std::atomic<int>> wake_fds_;
};

}  // namespace overcast::dataplane

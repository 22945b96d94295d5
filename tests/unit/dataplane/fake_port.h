// An in-memory PortIo for tests: frames injected by the test are what rx_burst
// returns; frames given to tx_burst are captured. poll_fd is an eventfd that is
// readable while injected frames wait, so it works under the real Datapath.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "dataplane/ports/port_io.h"

namespace overcast::dataplane::testing {

class FakePort final : public PortIo {
 public:
  explicit FakePort(std::string name) : name_(std::move(name)), fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~FakePort() override { ::close(fd_); }

  const std::string& name() const override { return name_; }
  int poll_fd() const override { return fd_; }

  void inject(std::vector<uint8_t> frame) {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(frame));
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t r = ::write(fd_, &one, sizeof one);
  }

  size_t rx_burst(PacketPool& pool, Batch& out) override {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    while (!pending_.empty() && !out.full()) {
      Packet* p = pool.alloc();
      if (!p) break;
      const auto& f = pending_.front();
      if (!f.empty()) std::memcpy(p->data(), f.data(), f.size());
      p->set_length(static_cast<uint32_t>(f.size()));
      counters_.add(counters_.rx_packets, 1);
      counters_.add(counters_.rx_bytes, f.size());
      pending_.pop_front();
      out.push(p);
      ++n;
    }
    if (pending_.empty()) {
      uint64_t value;
      [[maybe_unused]] ssize_t r = ::read(fd_, &value, sizeof value);
    }
    return n;
  }

  void tx_burst(PacketPool& pool, Batch& batch) override {
    std::lock_guard lock(mutex_);
    for (Packet* p : batch) {
      sent_.emplace_back(p->data(), p->data() + p->length());
      counters_.add(counters_.tx_packets, 1);
      counters_.add(counters_.tx_bytes, p->length());
      pool.free(p);
    }
    batch.clear();
  }

  std::vector<std::vector<uint8_t>> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  size_t sent_count() const {
    std::lock_guard lock(mutex_);
    return sent_.size();
  }
  void clear_sent() {
    std::lock_guard lock(mutex_);
    sent_.clear();
  }

 private:
  std::string name_;
  int fd_;
  mutable std::mutex mutex_;  // test code: the test thread injects while a worker reads
  std::deque<std::vector<uint8_t>> pending_;
  std::vector<std::vector<uint8_t>> sent_;
};

}  // namespace overcast::dataplane::testing

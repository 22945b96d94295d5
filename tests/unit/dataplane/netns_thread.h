// A thread living in its own, anonymous network namespace (unshare(CLONE_NEWNET)).
// Jobs posted with run() execute on that thread, so sockets they open and
// commands they start (`ip ...`, which inherits the thread's namespace) see only
// that namespace. The namespace has no name and vanishes with its last thread and
// socket, so nothing is left in the kernel even when a test fails.
#pragma once

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>

namespace overcast::dataplane::testing {

class NetnsThread {
 public:
  NetnsThread() {
    std::promise<void> started;
    auto ready = started.get_future();
    thread_ = std::thread([this, &started] {
      ok_ = ::unshare(CLONE_NEWNET) == 0;
      tid_ = static_cast<pid_t>(::syscall(SYS_gettid));
      started.set_value();
      loop();
    });
    ready.wait();
  }
  ~NetnsThread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  bool ok() const { return ok_; }
  pid_t tid() const { return tid_; }

  template <class F>
  auto run(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      jobs_.emplace_back([&task] { task(); });
    }
    cv_.notify_one();
    return result.get();
  }
  // Runs a shell command in the namespace; true on exit status 0.
  bool sh(const std::string& command) {
    return run([command] { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; });
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::thread thread_;
  bool ok_ = false;
  pid_t tid_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
};

}  // namespace overcast::dataplane::testing

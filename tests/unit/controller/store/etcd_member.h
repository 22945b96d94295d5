// A real, single-member etcd for tests: started from the etcd binary on loopback with
// free ports and a temporary data directory, killed (by its PID only) and removed at
// the end. available() is false when etcd is not installed; the tests then skip.
#pragma once

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace overcast::controller::testing {

inline int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

inline bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return open;
}

class EtcdMember {
 public:
  static constexpr const char* kBinary = "/usr/bin/etcd";

  static bool available() { return ::access(kBinary, X_OK) == 0; }

  EtcdMember() {
    char pattern[] = "/tmp/overcast-etcd-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    client_port_ = free_loopback_port();
    peer_port_ = free_loopback_port();
    const std::string client_url = "http://127.0.0.1:" + std::to_string(client_port_);
    const std::string peer_url = "http://127.0.0.1:" + std::to_string(peer_port_);
    const std::string data = dir_ + "/data";
    const std::string log = dir_ + "/etcd.log";
    const std::string cluster = "m1=" + peer_url;
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(log.c_str(), "w", stderr);
      (void)out;
      ::execl(kBinary, kBinary, "--name", "m1", "--data-dir", data.c_str(), "--listen-client-urls",
              client_url.c_str(), "--advertise-client-urls", client_url.c_str(), "--listen-peer-urls",
              peer_url.c_str(), "--initial-advertise-peer-urls", peer_url.c_str(), "--initial-cluster",
              cluster.c_str(), "--initial-cluster-state", "new", "--logger", "zap", "--log-outputs", "stderr",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when the client port accepts connections (then the first request may still
    // wait for the single member to elect itself; the store retries).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up && !port_open(client_port_)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  ~EtcdMember() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  EtcdMember(const EtcdMember&) = delete;
  EtcdMember& operator=(const EtcdMember&) = delete;

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(client_port_); }

 private:
  std::string dir_;
  int client_port_ = 0;
  int peer_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace overcast::controller::testing

// A scripted stand-in for the controller's Neutron API, for tests: an httplib server on an
// ephemeral loopback port that answers from a table of canned responses and records every
// request it gets, so a test can check both what was sent and what was printed.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace overcast::cli::testing {

struct RecordedRequest {
  std::string method;
  std::string target;  // raw path + query, as sent
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class FakeNeutronServer {
 public:
  FakeNeutronServer() {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back({req.method, req.target, req.body});
      auto it = routes_.find(req.method + " " + req.target);
      if (it == routes_.end()) {
        res.status = 404;
        res.set_content(neutron_error("HTTPNotFound", "no route " + req.method + " " + req.target),
                        "application/json");
        return;
      }
      res.status = it->second.status;
      if (!it->second.body.empty()) res.set_content(it->second.body, it->second.content_type);
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    server_.Delete(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakeNeutronServer() {
    server_.stop();
    thread_.join();
  }
  FakeNeutronServer(const FakeNeutronServer&) = delete;
  FakeNeutronServer& operator=(const FakeNeutronServer&) = delete;

  // `method_target`: "GET /v2.0/networks?name=web".
  void on(const std::string& method_target, int status, const nlohmann::json& body) {
    on_raw(method_target, status, body.is_null() ? std::string() : body.dump(), "application/json");
  }
  void on_raw(const std::string& method_target, int status, std::string body,
              std::string content_type = "text/plain") {
    std::lock_guard lock(mutex_);
    routes_[method_target] = {status, std::move(body), std::move(content_type)};
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  static std::string neutron_error(const std::string& type, const std::string& message) {
    return nlohmann::json{{"NeutronError", {{"type", type}, {"message", message}, {"detail", ""}}}}
        .dump();
  }
  static nlohmann::json error_body(const std::string& type, const std::string& message) {
    return nlohmann::json::parse(neutron_error(type, message));
  }

 private:
  struct Route {
    int status;
    std::string body;
    std::string content_type;
  };
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::vector<RecordedRequest> requests_;
};

// A loopback port with nothing listening (bound by the kernel's choice, then closed), so
// connecting to it is refused.
inline int unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace overcast::cli::testing

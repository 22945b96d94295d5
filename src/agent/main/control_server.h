// The agent's control endpoint: HTTP over a unix socket, read-only JSON.
//   GET /counters  the data plane's counters plus "host"
//   GET /view      the view and port states (agent/view/view_json.h)
//   GET /status    host, underlay, controller connection and sync counters
// Each route is a callback, so the server knows nothing about the agent's parts.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace httplib {
class Server;
}

namespace overcast::agent {

using JsonProvider = std::function<nlohmann::json()>;

class ControlServer {
 public:
  // `routes`: path -> provider of the GET response.
  ControlServer(std::string socket_path, std::map<std::string, JsonProvider> routes);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Removes a stale socket file, binds and serves on a thread of its own.
  bool start(std::string& error);
  // Stops serving and removes the socket file.
  void stop();

 private:
  std::string socket_path_;
  std::map<std::string, JsonProvider> routes_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> serving_done_{false};
  std::thread thread_;
};

}  // namespace overcast::agent

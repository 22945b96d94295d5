// The northbound REST API: OpenStack Networking (Neutron) API v2.0 for networks,
// subnets, ports and agents, so that unmodified OpenStack clients work against the
// controller. Authentication is not done here: X-Auth-Token is accepted and ignored,
// the project comes from the body, the X-Project-Id header, or the default.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "controller/model/logical_model.h"

namespace httplib {
class Server;
}

namespace overcast::controller::api {

struct ApiConfig {
  size_t worker_threads = 8;
  std::string default_project = "default";
  // Larger request bodies are refused with 413 before they are read into memory. A bulk
  // create of 1,000 ports is ~250 KB; this leaves room for far larger ones.
  size_t max_body_bytes = 16u << 20;
};

class ApiServer {
 public:
  ApiServer(LogicalModel& model, ApiConfig config);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port (port 0 picks a free one) and serves on a background thread.
  // False with `error` set when the address cannot be bound.
  bool start(const std::string& host, int port, std::string& error);
  // The bound port (useful after start with port 0).
  int port() const { return port_; }
  // Stops accepting, finishes requests in flight, joins the thread. Idempotent.
  void stop();

 private:
  void register_routes();

  LogicalModel& model_;
  ApiConfig config_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace overcast::controller::api

#include "agent/main/control_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>

namespace overcast::agent {

ControlServer::ControlServer(std::string socket_path, std::map<std::string, JsonProvider> routes)
    : socket_path_(std::move(socket_path)), routes_(std::move(routes)), server_(std::make_unique<httplib::Server>()) {}

ControlServer::~ControlServer() { stop(); }

bool ControlServer::start(std::string& error) {
  for (const auto& [path, provider] : routes_) {
    server_->Get(path, [provider = provider](const httplib::Request&, httplib::Response& res) {
      try {
        res.set_content(provider().dump(2) + "\n", "application/json");
      } catch (const std::exception& e) {
        res.status = 500;
        res.set_content(nlohmann::json{{"error", e.what()}}.dump() + "\n", "application/json");
      }
    });
  }
  // A socket file left by a killed agent would make bind fail with EADDRINUSE.
  struct stat st {};
  if (::lstat(socket_path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error = socket_path_ + " exists and is not a socket";
      return false;
    }
    ::unlink(socket_path_.c_str());
  }
  server_->set_address_family(AF_UNIX);
  if (!server_->bind_to_port(socket_path_.c_str(), 80)) {
    error = "cannot listen on " + socket_path_ + ": " + std::strerror(errno);
    return false;
  }
  // Operators and the CLI run as root; nobody else reads the agent's state.
  ::chmod(socket_path_.c_str(), 0660);
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    serving_done_ = true;
  });
  // httplib's stop() does nothing until the accept loop runs, so a stop right after
  // start would leave the thread listening forever: wait until it runs (or failed).
  while (!server_->is_running() && !serving_done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

void ControlServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
  ::unlink(socket_path_.c_str());
}

}  // namespace overcast::agent

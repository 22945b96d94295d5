#include "cli/lab/readiness.h"

#include <chrono>
#include <thread>

#include "cli/client/neutron_client.h"
#include "cli/lab/daemons.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/unix_http.h"

namespace overcast::cli::lab {
namespace {

constexpr int kPollIntervalMs = 200;
constexpr int kControlTimeoutMs = 2000;

bool past(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::steady_clock::now() >= deadline;
}

std::chrono::steady_clock::time_point deadline_after(int timeout_ms) {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
}

void pause() { std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs)); }

}  // namespace

std::string api_endpoint(int api_port) { return "http://127.0.0.1:" + std::to_string(api_port); }

bool api_answers(int api_port) {
  return NeutronClient(api_endpoint(api_port)).get("/v2.0/networks").status != 0;
}

void wait_for_controller(const LabOptions& options, pid_t pid, int timeout_ms) {
  const NeutronClient client(api_endpoint(options.api_port));
  const auto deadline = deadline_after(timeout_ms);
  std::string last;
  while (true) {
    const ApiResult result = client.get("/v2.0/networks");
    if (result.status == 200) return;
    last = result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error;
    if (!spawned_daemon_running(pid, options.state_dir)) {
      throw LabError("overcast-controller (pid " + std::to_string(pid) + ") exited during start-up (" +
                     spawned_daemon_state(pid) + "); " + log_tail(options.state_dir, kControllerDaemon));
    }
    if (past(deadline)) {
      throw LabError("overcast-controller's API at " + api_endpoint(options.api_port) +
                     " not ready after " + std::to_string(timeout_ms / 1000) + " s (" + last +
                     "); " + log_tail(options.state_dir, kControllerDaemon));
    }
    pause();
  }
}

std::optional<nlohmann::json> agent_get(const LabOptions& options, const std::string& host,
                                        const std::string& path, std::string& error) {
  const auto reply =
      unix_http_get(agent_socket_path(options, host), path, kControlTimeoutMs, error);
  if (!reply) return std::nullopt;
  if (reply->status != 200) {
    error = "HTTP " + std::to_string(reply->status) + " from " + host + "'s " + path;
    return std::nullopt;
  }
  nlohmann::json json = nlohmann::json::parse(reply->body, nullptr, false);
  if (json.is_discarded()) {
    error = host + "'s " + path + " is not JSON";
    return std::nullopt;
  }
  return json;
}

void wait_for_agent(const LabOptions& options, const std::string& host, pid_t pid,
                    int timeout_ms) {
  const std::string daemon = agent_daemon_name(host);
  const auto deadline = deadline_after(timeout_ms);
  std::string last = "no answer yet";
  while (true) {
    std::string error;
    const auto status = agent_get(options, host, "/status", error);
    if (status && status->value("connected", false)) return;
    last = status ? "status " + status->dump() : error;
    if (!spawned_daemon_running(pid, options.state_dir)) {
      throw LabError("overcast-agent of " + host + " (pid " + std::to_string(pid) +
                     ") exited during start-up (" + spawned_daemon_state(pid) + "); " +
                     log_tail(options.state_dir, daemon));
    }
    if (past(deadline)) {
      throw LabError("overcast-agent of " + host + " not connected to the controller after " +
                     std::to_string(timeout_ms / 1000) + " s (" + last + "); " +
                     log_tail(options.state_dir, daemon));
    }
    pause();
  }
}

}  // namespace overcast::cli::lab

#include "cli/lab/lab_options.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cli/lab/lab_error.h"
#include "cli/lab/lab_plan.h"

namespace overcast::cli::lab {

void resolve_lab_options(LabOptions& options) {
  if (options.prefix.empty()) {
    const char* from_env = std::getenv("OVERCAST_LAB_PREFIX");
    options.prefix = (from_env != nullptr && *from_env != '\0') ? from_env : "oc";
  }
  if (auto problem = prefix_problem(options.prefix)) throw LabError(*problem);
  if (options.state_dir.empty()) options.state_dir = "/var/lib/overcast/lab/" + options.prefix;
  while (options.state_dir.size() > 1 && options.state_dir.back() == '/') {
    options.state_dir.pop_back();
  }
  options.state_dir = std::filesystem::absolute(options.state_dir).lexically_normal().string();
  if (options.hosts < 1 || options.hosts > kMaxHosts) {
    throw LabError("--hosts must be 1-" + std::to_string(kMaxHosts));
  }
  if (options.api_port < 1 || options.api_port > 65535) {
    throw LabError("--api-port must be 1-65535");
  }
}

std::string default_bin_dir() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw LabError("cannot find the running binary's directory; pass --bin-dir");
  return self.parent_path().string();
}

std::string state_file_path(const LabOptions& options) { return options.state_dir + "/lab.json"; }

std::string controller_db_path(const LabOptions& options) {
  return options.state_dir + "/controller.db";
}

std::string agent_state_dir(const LabOptions& options, const std::string& host) {
  return options.state_dir + "/" + host;
}

std::string agent_socket_path(const LabOptions& options, const std::string& host) {
  return agent_state_dir(options, host) + "/control.sock";
}

std::string agent_daemon_name(const std::string& host) { return "agent-" + host; }

}  // namespace overcast::cli::lab

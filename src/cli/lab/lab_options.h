// Options shared by the `overcast lab` subcommands, and the file layout of a lab's state
// directory (every file the lab makes is under it, and it carries the prefix).
#pragma once

#include <string>

namespace overcast::cli::lab {

inline constexpr int kDefaultHosts = 3;
inline constexpr int kDefaultApiPort = 9696;

struct LabOptions {
  std::string prefix;     // --prefix, else $OVERCAST_LAB_PREFIX, else "oc"
  std::string state_dir;  // --state-dir, else /var/lib/overcast/lab/<prefix>
  std::string bin_dir;    // --bin-dir; empty: the lab's recorded one, else default_bin_dir()
  int hosts = kDefaultHosts;
  bool hosts_given = false;
  int api_port = kDefaultApiPort;
  bool api_port_given = false;
  std::string log_level = "info";
};

// Fills unset fields with their defaults and validates them; throws LabError.
void resolve_lab_options(LabOptions& options);

// The directory of the running `overcast` binary (the build's bin/).
std::string default_bin_dir();

std::string state_file_path(const LabOptions& options);  // <state-dir>/lab.json
std::string controller_db_path(const LabOptions& options);
std::string agent_state_dir(const LabOptions& options, const std::string& host);
std::string agent_socket_path(const LabOptions& options, const std::string& host);
std::string agent_daemon_name(const std::string& host);  // "agent-hv1"
inline constexpr const char* kControllerDaemon = "controller";

}  // namespace overcast::cli::lab

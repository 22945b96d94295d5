// The lab's long-running processes (one controller, one agent per hypervisor): started
// detached with a PID file and a log file in the state dir, recognised later by PID plus
// /proc/<pid>/cmdline (so a recycled PID is never mistaken for, or killed as, ours).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "cli/lab/command_runner.h"

namespace overcast::cli::lab {

struct DaemonSpec {
  std::string name;       // "controller", "agent-hv1": names the PID and log files
  std::string state_dir;  // the lab's; every daemon's argv mentions it
  std::string netns;      // empty: the root namespace
  Argv argv;              // the program and its flags (run via `ip netns exec` if netns set)
};

// The line start_daemon() appends to a daemon's log before each start.
inline constexpr const char* kDaemonStartBanner = "==== overcast lab: starting ";

std::string pid_file_path(const std::string& state_dir, const std::string& name);
std::string log_file_path(const std::string& state_dir, const std::string& name);

// The PID of the daemon `name` if its PID file names a live, non-zombie process whose
// command line mentions `state_dir`; nullopt otherwise.
std::optional<pid_t> running_daemon_pid(const std::string& state_dir, const std::string& name);

// Whether `pid` is alive (not a zombie) and its argv contains an argument that includes
// `needle`.
bool process_mentions(pid_t pid, const std::string& needle);
// For a daemon we have just spawned: alive and either mentioning `needle` or still in
// execve (its /proc cmdline reads empty while the new image replaces the old one, which
// on a loaded machine lasts long enough to be seen).
bool spawned_daemon_running(pid_t pid, const std::string& needle);
// What became of a daemon this process spawned that spawned_daemon_running() found not
// running: its exit status or the signal that ended it (reaping it), or, if it is still
// there, its state and command line now. For the error that says it did not start.
std::string spawned_daemon_state(pid_t pid);

// Starts the daemon, writes its PID file, returns its PID.
pid_t start_daemon(const DaemonSpec& spec);

// SIGTERM, then SIGKILL once `grace_ms` has passed; returns when the process is gone.
void terminate_process(pid_t pid, int grace_ms);

// PIDs of overcast daemons (overcast-controller / overcast-agent) whose command line
// mentions `state_dir`: finds a crashed lab's daemons when its PID files are gone.
std::vector<pid_t> find_daemons_mentioning(const std::string& state_dir);

// The last `lines` lines of a daemon's log, for error messages.
std::string log_tail(const std::string& state_dir, const std::string& name, int lines = 15);

}  // namespace overcast::cli::lab

// Runs external programs (mostly `ip`) from an argv vector: no shell, so no quoting bugs
// and no injection through names. Every failure message carries the command and its stderr.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace overcast::cli::lab {

using Argv = std::vector<std::string>;

struct CommandResult {
  int exit_code = 0;  // 128+N when killed by signal N; 127 when the program cannot start
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

// The command as an operator would type it, quoted where needed; for messages only.
std::string format_command(const Argv& argv);

// Runs argv[0] (searched in PATH) with stdin from /dev/null, waits for it, and returns
// its exit code and everything it wrote. Never throws for a non-zero exit.
CommandResult run_command(const Argv& argv);

// run_command(), but a non-zero exit throws LabError naming the command and its stderr.
// Returns stdout.
std::string run_checked(const Argv& argv);

// Starts a long-running program that must outlive this process: its own session, stdin
// from /dev/null, stdout and stderr appended to `log_path`, no other inherited descriptor
// (so a caller reading our pipes is not held open by the daemon). Returns its PID once
// the exec has succeeded; throws LabError if the program could not be started.
pid_t spawn_detached(const Argv& argv, const std::string& log_path);

// Replaces this process with argv (stdio inherited); returns only by throwing LabError.
[[noreturn]] void exec_replacing_self(const Argv& argv);

}  // namespace overcast::cli::lab

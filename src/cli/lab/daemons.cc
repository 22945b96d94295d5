#include "cli/lab/daemons.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

std::vector<std::string> process_argv(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

bool is_zombie_or_gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return true;
  const size_t close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z' ||
         stat[close + 2] == 'X';
}

bool alive(pid_t pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  return !is_zombie_or_gone(pid);
}

}  // namespace

std::string pid_file_path(const std::string& state_dir, const std::string& name) {
  return state_dir + "/" + name + ".pid";
}

std::string log_file_path(const std::string& state_dir, const std::string& name) {
  return state_dir + "/" + name + ".log";
}

namespace {

bool mentions(const std::vector<std::string>& argv, const std::string& needle) {
  for (const auto& arg : argv) {
    if (arg.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

bool process_mentions(pid_t pid, const std::string& needle) {
  if (!alive(pid)) return false;
  return mentions(process_argv(pid), needle);
}

bool spawned_daemon_running(pid_t pid, const std::string& needle) {
  if (!alive(pid)) return false;
  // One read of the command line: `ip netns exec` execs the daemon in place, and a
  // second read could land inside that execve (an empty command line) and call a
  // daemon that is starting "exited" — the cause of `lab up`'s rare "exited during
  // start-up" with nothing in the daemon's log.
  const auto argv = process_argv(pid);
  return argv.empty() || mentions(argv, needle);
}

std::optional<pid_t> running_daemon_pid(const std::string& state_dir, const std::string& name) {
  std::ifstream in(pid_file_path(state_dir, name));
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  if (!process_mentions(static_cast<pid_t>(pid), state_dir)) return std::nullopt;
  return static_cast<pid_t>(pid);
}

std::string spawned_daemon_state(pid_t pid) {
  int status = 0;
  const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
  if (reaped == pid) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
      const int sig = WTERMSIG(status);
      return "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")" +
             (WCOREDUMP(status) ? ", core dumped" : "");
    }
    return "wait status " + std::to_string(status);
  }
  if (reaped == 0) {
    std::string argv;
    for (const auto& arg : process_argv(pid)) argv += (argv.empty() ? "" : " ") + arg;
    return std::string(alive(pid) ? "still running" : "not running") + ", command line now `" + argv + "`";
  }
  return "gone (not a child of this process: its exit status is unknown)";
}

pid_t start_daemon(const DaemonSpec& spec) {
  Argv argv;
  if (!spec.netns.empty()) argv = {"ip", "netns", "exec", spec.netns};
  argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
  const std::string log_path = log_file_path(spec.state_dir, spec.name);
  {
    std::ofstream log(log_path, std::ios::app);
    log << kDaemonStartBanner << format_command(argv) << "\n";
  }
  // `ip netns exec` execs the program in place, so this PID is the daemon's own.
  const pid_t pid = spawn_detached(argv, log_path);
  const std::string pid_path = pid_file_path(spec.state_dir, spec.name);
  std::ofstream out(pid_path, std::ios::trunc);
  out << pid << "\n";
  if (!out) throw LabError("cannot write PID file " + pid_path);
  return pid;
}

void terminate_process(pid_t pid, int grace_ms) {
  if (!alive(pid)) return;
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (alive(pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!alive(pid)) return;
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && alive(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<pid_t> find_daemons_mentioning(const std::string& state_dir) {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid == ::getpid()) continue;
    const auto args = process_argv(pid);
    if (args.empty()) continue;
    // argv[1] too: a daemon run through an interpreter or wrapper keeps its name there.
    bool is_overcast_daemon = false;
    for (size_t i = 0; i < std::min<size_t>(2, args.size()); ++i) {
      const std::string program = std::filesystem::path(args[i]).filename().string();
      if (program == "overcast-controller" || program == "overcast-agent") is_overcast_daemon = true;
    }
    if (!is_overcast_daemon) continue;
    for (const auto& arg : args) {
      if (arg.find(state_dir + "/") != std::string::npos) {
        pids.push_back(pid);
        break;
      }
    }
  }
  return pids;
}

std::string log_tail(const std::string& state_dir, const std::string& name, int lines) {
  const std::string path = log_file_path(state_dir, name);
  std::ifstream in(path);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::ostringstream out;
  out << "last lines of " << path << ":";
  for (const auto& l : last) out << "\n  " << l;
  return out.str();
}

}  // namespace overcast::cli::lab

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <regex>
#include <set>

#include "cli/lab/daemons.h"
#include "cli/lab/kernel_ops.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/lab_lifecycle.h"
#include "cli/lab/lab_plan.h"

namespace overcast::cli::lab {
namespace {

constexpr int kGraceMs = 5000;

// Deepest first: VMs hold the agents' TAPs, hypervisors hold the fabric's veth peers.
int teardown_rank(const LabNames& names, const std::string& ns) {
  if (ns.rfind(names.prefix() + "-vm-", 0) == 0) return 0;
  if (ns == names.fabric_ns()) return 2;
  return 1;
}

void stop_daemons(const LabOptions& options, std::ostream& log) {
  std::set<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options.state_dir, ec)) {
    const auto path = entry.path();
    if (path.extension() != ".pid") continue;
    if (auto pid = running_daemon_pid(options.state_dir, path.stem().string())) {
      pids.insert(*pid);
    }
  }
  for (pid_t pid : find_daemons_mentioning(options.state_dir)) pids.insert(pid);
  for (pid_t pid : pids) ::kill(pid, SIGTERM);
  for (pid_t pid : pids) {
    terminate_process(pid, kGraceMs);
    log << "stopped pid " << pid << "\n";
  }
}

// Whatever still runs inside the lab's namespaces (`lab exec` leftovers, a crashed run's
// agents) would keep a deleted namespace, and its links, alive.
void stop_namespace_processes(const std::vector<std::string>& namespaces, std::ostream& log) {
  for (const auto& ns : namespaces) {
    for (int pid : namespace_pids(ns)) {
      terminate_process(pid, kGraceMs);
      log << "stopped pid " << pid << " (in " << ns << ")\n";
    }
  }
}

bool is_lab_file(const std::string& name) {
  static const std::regex pattern(
      R"((lab\.json(\.tmp)?|.*\.pid|.*\.log|controller\.db.*|hv[0-9]+|.*\.pcap|udhcpc-hook\.sh(\.tmp)?))");
  return std::regex_match(name, pattern);
}

void remove_state_dir(const LabOptions& options, std::ostream& log) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(options.state_dir, ec)) return;
  std::vector<std::string> kept;
  for (const auto& entry : fs::directory_iterator(options.state_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_lab_file(name)) {
      fs::remove_all(entry.path(), ec);
    } else {
      kept.push_back(name);
    }
  }
  if (kept.empty()) {
    fs::remove(options.state_dir, ec);
  } else {
    log << "kept " << options.state_dir << ": it holds files the lab did not make\n";
  }
}

}  // namespace

void lab_down(const LabOptions& options, std::ostream& log) {
  if (::geteuid() != 0) throw LabError("the lab needs root (it deletes network namespaces)");
  const LabNames names(options.prefix);
  stop_daemons(options, log);

  std::vector<std::string> namespaces;
  for (const auto& ns : list_namespaces()) {
    if (names.owns(ns)) namespaces.push_back(ns);
  }
  std::sort(namespaces.begin(), namespaces.end(), [&](const auto& a, const auto& b) {
    return teardown_rank(names, a) < teardown_rank(names, b);
  });
  stop_namespace_processes(namespaces, log);

  std::vector<std::string> failures;
  for (const auto& ns : namespaces) {
    try {
      delete_namespace(ns);
      log << "deleted namespace " << ns << "\n";
    } catch (const LabError& e) {
      failures.push_back(e.what());
    }
  }
  for (const auto& link : link_names("")) {
    if (!names.owns(link)) continue;
    try {
      delete_link("", link);
      log << "deleted link " << link << "\n";
    } catch (const LabError& e) {
      failures.push_back(e.what());
    }
  }
  remove_state_dir(options, log);
  if (!failures.empty()) {
    std::string message = "lab " + options.prefix + " only partly removed:";
    for (const auto& f : failures) message += "\n  " + f;
    throw LabError(message);
  }
  log << "lab " << options.prefix << " is down\n";
}

}  // namespace overcast::cli::lab

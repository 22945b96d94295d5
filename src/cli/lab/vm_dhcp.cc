#include "cli/lab/vm_dhcp.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/lab/daemons.h"
#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

constexpr int kStopGraceMs = 3000;

// udhcpc passes the lease in the environment: $interface, $ip, $mask (prefix length),
// $router, $mtu, $staticroutes ("dest/len gw ..."), $dns, $lease, $serverid.
constexpr const char* kHookScript = R"HOOK(#!/bin/sh
# Written by `overcast lab vm`: udhcpc's hook for a lab VM. It applies the lease to the VM's
# interface with `ip` and writes nothing else: the VM's namespace shares the machine's /etc.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
set -e
action=$1
say() { echo "udhcpc $action on $interface: $*"; }
case "$action" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set dev "$interface" up
    say "no lease"
    ;;
  bound|renew)
    # Option 26: udhcpc leaves the MTU alone, so the hook applies it.
    if [ -n "$mtu" ]; then ip link set dev "$interface" mtu "$mtu"; fi
    ip -4 -o addr show dev "$interface" | while read -r _ _ _ old _; do
      if [ "$old" != "$ip/$mask" ]; then ip addr del "$old" dev "$interface"; fi
    done
    ip addr replace "$ip/$mask" dev "$interface"
    # Routes of an earlier lease go; `proto dhcp` marks ours.
    ip -4 route flush dev "$interface" proto dhcp
    if [ -n "$staticroutes" ]; then
      # RFC 3442: with option 121 the client ignores option 3; the server includes the
      # default route in 121 itself. A next hop of 0.0.0.0 means on-link.
      set -- $staticroutes
      while [ $# -ge 2 ]; do
        if [ "$2" = 0.0.0.0 ]; then
          ip route replace "$1" dev "$interface" proto dhcp
        else
          ip route replace "$1" via "$2" dev "$interface" proto dhcp
        fi
        shift 2
      done
    elif [ -n "$router" ]; then
      set -- $router
      ip route replace default via "$1" dev "$interface" proto dhcp
    fi
    say "$ip/$mask router ${router:-none} mtu ${mtu:-unchanged} routes ${staticroutes:-none} dns ${dns:-none} lease ${lease:-?}s from ${serverid:-?}"
    ;;
  leasefail|nak)
    say "${message:-no lease}"
    ;;
esac
exit 0
)HOOK";

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Written to a temporary file and renamed: another VM's client may be running the hook.
void write_hook(const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << kHookScript;
    if (!out) throw LabError("cannot write the DHCP hook " + temporary);
  }
  if (::chmod(temporary.c_str(), 0755) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw LabError("cannot install the DHCP hook " + path);
  }
}

// Whether the VM's interface holds `ip` (IPv4).
bool has_address(const std::string& ns, const std::string& link, const std::string& ip) {
  const CommandResult result = run_command({"ip", "-n", ns, "-j", "-4", "addr", "show", "dev", link});
  if (!result.ok()) return false;
  const auto json = nlohmann::json::parse(result.out, nullptr, false);
  if (!json.is_array()) return false;
  for (const auto& link_info : json) {
    for (const auto& address : link_info.value("addr_info", nlohmann::json::array())) {
      if (address.value("local", "") == ip) return true;
    }
  }
  return false;
}

// Whether the hook has applied a lease since the client was last started: the daemon's
// log says "udhcpc bound" after the lab's last "starting" line. (The address alone shows
// up before the hook has set the routes.)
bool lease_applied(const std::string& log_path) {
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  const size_t start = log.rfind(kDaemonStartBanner);
  return start != std::string::npos && log.find("udhcpc bound on ", start) != std::string::npos;
}

}  // namespace

std::string dhcp_hook_script() { return kHookScript; }

std::string dhcp_hook_path(const LabOptions& options) { return options.state_dir + "/udhcpc-hook.sh"; }

std::string dhcp_daemon_name(const std::string& vm) { return "dhcp-" + vm; }

Argv dhcp_client_argv(const LabOptions& options, const VmRecord& vm) {
  return {kDhcpClient, "-f", "-i", vm.tap, "-s", dhcp_hook_path(options),
          // DISCOVER every second, 5 times, then 2 s of rest before the next round.
          "-t", "5", "-T", "1", "-A", "2",
          "-O", "mtu", "-O", "staticroutes"};
}

void stop_vm_dhcp_client(const LabOptions& options, const VmRecord& vm) {
  const std::string daemon = dhcp_daemon_name(vm.name);
  if (auto pid = running_daemon_pid(options.state_dir, daemon)) terminate_process(*pid, kStopGraceMs);
  std::remove(pid_file_path(options.state_dir, daemon).c_str());
}

void start_vm_dhcp_client(const LabOptions& options, const LabNames& names, const VmRecord& vm) {
  if (!on_path(kDhcpClient)) {
    throw LabError(std::string(kDhcpClient) +
                   " (busybox's DHCP client) is not installed: apt-get install udhcpc (scripts/install-deps.sh "
                   "does), or configure the VM with --static");
  }
  write_hook(dhcp_hook_path(options));
  // A client of an earlier attach holds a lease of an interface that may be gone.
  stop_vm_dhcp_client(options, vm);
  const std::string daemon = dhcp_daemon_name(vm.name);
  const pid_t pid = start_daemon({daemon, options.state_dir, names.vm_ns(vm.name), dhcp_client_argv(options, vm)});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kDhcpLeaseTimeoutMs);
  while (!lease_applied(log_file_path(options.state_dir, daemon))) {
    if (!spawned_daemon_running(pid, options.state_dir)) {
      throw LabError("the DHCP client of VM " + vm.name + " exited; its log:\n" + log_tail(options.state_dir, daemon));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw LabError("VM " + vm.name + " got no lease for " + vm.ip + " by DHCP within " +
                     std::to_string(kDhcpLeaseTimeoutMs / 1000) + " s (see `overcast lab agent " + vm.host +
                     " /counters`, dhcp_responder); the client's log:\n" + log_tail(options.state_dir, daemon));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!has_address(names.vm_ns(vm.name), vm.tap, vm.ip)) {
    throw LabError("VM " + vm.name + " got a lease by DHCP, but not its port's address " + vm.ip +
                   "; the client's log:\n" + log_tail(options.state_dir, daemon));
  }
}

}  // namespace overcast::cli::lab

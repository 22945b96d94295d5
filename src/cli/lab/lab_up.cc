#include <sys/stat.h>
#include <unistd.h>


#include <filesystem>
#include <ostream>

#include "cli/lab/daemons.h"
#include "cli/lab/kernel_ops.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/lab_external.h"
#include "cli/lab/lab_fabric.h"
#include "cli/lab/lab_lifecycle.h"
#include "cli/lab/lab_plan.h"
#include "cli/lab/lab_public_network.h"
#include "cli/lab/lab_vm.h"
#include "cli/lab/readiness.h"

namespace overcast::cli::lab {
namespace {

// Reconciles the options of this run with a lab that already exists: the existing lab's
// choices win, and a contradicting explicit option is an error rather than a surprise.
LabState plan_state(LabOptions& options) {
  auto existing = LabState::load(state_file_path(options));
  LabState state;
  if (existing) {
    state = *existing;
    if (options.api_port_given && options.api_port != state.api_port) {
      throw LabError("lab " + options.prefix + " already serves its API on port " +
                     std::to_string(state.api_port) + "; run `overcast lab down` to change it");
    }
    options.api_port = state.api_port;
    const int have = static_cast<int>(state.hosts.size());
    if (options.hosts_given && options.hosts < have) {
      throw LabError("lab " + options.prefix + " has " + std::to_string(have) +
                     " hypervisors; run `overcast lab down` to shrink it");
    }
    if (!options.hosts_given) options.hosts = have;
    if (options.bin_dir.empty()) options.bin_dir = state.bin_dir;
  } else {
    state.prefix = options.prefix;
    state.api_port = options.api_port;
  }
  if (state.mgmt_octet == 0) {
    const auto octet = choose_mgmt_octet(root_ipv4_prefixes());
    if (!octet) throw LabError("no free 10.254.K.0/24 for the management network");
    state.mgmt_octet = *octet;
  }
  if (options.bin_dir.empty()) options.bin_dir = default_bin_dir();
  state.bin_dir = options.bin_dir;
  for (int index = static_cast<int>(state.hosts.size()) + 1; index <= options.hosts; ++index) {
    state.hosts.push_back({host_name(index), index, host_underlay_ip(index).to_string(),
                           host_mgmt_ip(state.mgmt_octet, index).to_string(),
                           leaf_of_host(index)});
  }
  return state;
}

std::string binary(const LabOptions& options, const std::string& name) {
  const std::string path = options.bin_dir + "/" + name;
  if (::access(path.c_str(), X_OK) != 0) {
    throw LabError(path + " is missing or not executable (build it, or pass --bin-dir)");
  }
  return path;
}

void ensure_controller(const LabOptions& options, const LabState& state, std::ostream& log) {
  if (auto pid = running_daemon_pid(options.state_dir, kControllerDaemon)) {
    log << "controller: running (pid " << *pid << ")\n";
    wait_for_controller(options, *pid, kControllerReadyTimeoutMs);
    return;
  }
  if (api_answers(options.api_port)) {
    throw LabError("something else already answers on 127.0.0.1:" +
                   std::to_string(options.api_port) + "; choose another --api-port");
  }
  DaemonSpec spec{kControllerDaemon, options.state_dir, "",
                  {binary(options, "overcast-controller"),
                   "--api", "127.0.0.1:" + std::to_string(options.api_port),
                   "--southbound", mgmt_bridge_ip(state.mgmt_octet).to_string() + ":" +
                                       std::to_string(kSouthboundPort),
                   "--db", controller_db_path(options),
                   "--underlay-mtu", std::to_string(kUnderlayMtu),
                   "--log-level", options.log_level}};
  const pid_t pid = start_daemon(spec);
  log << "controller: started (pid " << pid << "), waiting for its API\n";
  wait_for_controller(options, pid, kControllerReadyTimeoutMs);
}

// The agent re-attaches to a TAP that sits in a VM's namespace (it searches the named
// namespaces), so a restarted agent normally leaves VMs untouched. A VM whose TAP is gone
// (its namespace was deleted by hand) gets the agent's new TAP moved in again.
void repair_vms_of(const LabOptions& options, const LabNames& names, const LabState& state,
                   const HostRecord& host, std::ostream& log) {
  for (const auto& vm : state.vms) {
    if (vm.host != host.name || link_exists(names.vm_ns(vm.name), vm.tap)) continue;
    if (!wait_for_link(names.host_ns(host.index), vm.tap, kTapWaitTimeoutMs)) {
      log << "warning: VM " << vm.name << " has lost its TAP " << vm.tap << " and " << host.name
          << "'s agent has not made a new one\n";
      continue;
    }
    ensure_namespace(names.vm_ns(vm.name));
    disable_ipv6(names.vm_ns(vm.name));
    move_link(names.host_ns(host.index), vm.tap, names.vm_ns(vm.name));
    log << "vm " << vm.name << ": TAP " << vm.tap << " moved in again from " << host.name << "\n";
    try {
      configure_vm(options, names, vm);
    } catch (const LabError& e) {
      log << "warning: VM " << vm.name << " is not configured again: " << e.what() << "\n";
    }
  }
}

void ensure_agent(const LabOptions& options, const LabState& state, const HostRecord& host,
                  std::ostream& log) {
  const LabNames names(options.prefix);
  const std::string daemon = agent_daemon_name(host.name);
  if (auto pid = running_daemon_pid(options.state_dir, daemon)) {
    log << host.name << ": agent running (pid " << *pid << ")\n";
    wait_for_agent(options, host.name, *pid, kAgentReadyTimeoutMs);
    repair_vms_of(options, names, state, host, log);
    return;
  }
  std::filesystem::create_directories(agent_state_dir(options, host.name));
  std::filesystem::remove(agent_socket_path(options, host.name));
  DaemonSpec spec{daemon, options.state_dir, names.host_ns(host.index),
                  {binary(options, "overcast-agent"),
                   "--host", host.name,
                   "--underlay-ip", host.underlay_ip,
                   "--controller", mgmt_bridge_ip(state.mgmt_octet).to_string() + ":" +
                                       std::to_string(kSouthboundPort),
                   "--state-dir", agent_state_dir(options, host.name),
                   "--control-socket", agent_socket_path(options, host.name),
                   "--vxlan-port", "4789",
                   "--log-level", options.log_level,
                   "--bridge-mappings", names.bridge_mapping()}};
  const auto priority = gateway_priority(host.index);
  if (priority) spec.argv.push_back("--gateway=" + std::to_string(*priority));
  const pid_t pid = start_daemon(spec);
  log << host.name << ": agent started (pid " << pid << "), underlay " << host.underlay_ip
      << (priority ? ", gateway host (priority " + std::to_string(*priority) + ")" : "") << "\n";
  wait_for_agent(options, host.name, pid, kAgentReadyTimeoutMs);
  repair_vms_of(options, names, state, host, log);
}

}  // namespace

LabState require_lab_state(const LabOptions& options) {
  auto state = LabState::load(state_file_path(options));
  if (!state) {
    throw LabError("no lab '" + options.prefix + "' (no " + state_file_path(options) +
                   "); run `overcast lab up" +
                   (options.prefix == "oc" ? "" : " --prefix " + options.prefix) + "`");
  }
  return *state;
}

LabState lab_up(LabOptions options, std::ostream& log) {
  if (::geteuid() != 0) throw LabError("the lab needs root (it creates network namespaces)");
  std::filesystem::create_directories(options.state_dir);
  LabState state = plan_state(options);
  binary(options, "overcast-controller");
  binary(options, "overcast-agent");

  const LabNames names(options.prefix);
  build_mgmt_bridge(names, state.mgmt_octet);
  build_fabric(names);
  for (const auto& host : state.hosts) build_host(names, host.index, state.mgmt_octet);
  build_external_segment(names);
  for (const auto& host : state.hosts) build_host_external_uplink(names, host.index);
  build_external_host(names);
  state.save(state_file_path(options));
  log << "fabric: " << names.fabric_ns() << " routes " << leaf_subnet(1) << " and "
      << leaf_subnet(2) << "; management " << mgmt_subnet(state.mgmt_octet) << " on "
      << names.mgmt_bridge() << "\n";
  log << "external: " << names.external_bridge() << " (" << kPhysicalNetwork << ") joins every hypervisor's "
      << names.external_uplink() << " and " << kExternalHostName << " " << kExternalHostIp << "/"
      << kExternalPrefixLength << "\n";

  ensure_controller(options, state, log);
  for (const auto& host : state.hosts) ensure_agent(options, state, host, log);
  ensure_public_network(NeutronClient(api_endpoint(options.api_port)), log);
  log << "lab " << options.prefix << " is up: API " << api_endpoint(options.api_port) << ", "
      << state.hosts.size() << " hypervisors\n";
  return state;
}

}  // namespace overcast::cli::lab

#include "cli/lab/lab_status.h"

#include <iomanip>
#include <ostream>

#include "cli/lab/daemons.h"
#include "cli/lab/kernel_ops.h"
#include "cli/lab/lab_lifecycle.h"
#include "cli/lab/lab_plan.h"
#include "cli/lab/readiness.h"

namespace overcast::cli::lab {
namespace {

nlohmann::json daemon_json(const LabOptions& options, const std::string& name) {
  const auto pid = running_daemon_pid(options.state_dir, name);
  return {{"pid", pid ? nlohmann::json(*pid) : nlohmann::json()}, {"alive", pid.has_value()}};
}

std::string alive_text(const nlohmann::json& daemon) {
  if (!daemon["alive"].get<bool>()) return "DEAD";
  return "alive (pid " + std::to_string(daemon["pid"].get<int>()) + ")";
}

}  // namespace

nlohmann::json lab_status(const LabOptions& options) {
  const LabState state = require_lab_state(options);
  const LabNames names(options.prefix);
  nlohmann::json hosts = nlohmann::json::array();
  for (const auto& host : state.hosts) {
    nlohmann::json agent = daemon_json(options, agent_daemon_name(host.name));
    bool connected = false;
    if (agent["alive"].get<bool>()) {
      std::string error;
      const auto status = agent_get(options, host.name, "/status", error);
      connected = status && status->value("connected", false);
    }
    agent["connected"] = connected;
    const auto priority = gateway_priority(host.index);
    agent["gateway_priority"] = priority ? nlohmann::json(*priority) : nlohmann::json();
    hosts.push_back({{"name", host.name}, {"underlay_ip", host.underlay_ip},
                     {"mgmt_ip", host.mgmt_ip}, {"leaf", host.leaf},
                     {"namespace", names.host_ns(host.index)}, {"agent", agent}});
  }
  nlohmann::json vms = nlohmann::json::array();
  for (const auto& vm : state.vms) {
    vms.push_back({{"name", vm.name}, {"host", vm.host}, {"port_id", vm.port_id},
                   {"ip", vm.ip}, {"prefix_length", vm.prefix_length}, {"mac", vm.mac},
                   {"mtu", vm.mtu}, {"dhcp", vm.dhcp}, {"namespace", names.vm_ns(vm.name)}, {"tap", vm.tap},
                   {"present", link_exists(names.vm_ns(vm.name), vm.tap)}});
  }
  return {{"prefix", options.prefix},
          {"api", api_endpoint(state.api_port)},
          {"state_dir", options.state_dir},
          {"mgmt_subnet", mgmt_subnet(state.mgmt_octet)},
          {"controller", daemon_json(options, kControllerDaemon)},
          {"external",
           {{"host", kExternalHostName},
            {"namespace", names.external_host_ns()},
            {"address", std::string(kExternalHostIp) + "/" + std::to_string(kExternalPrefixLength)},
            {"present", namespace_exists(names.external_host_ns())},
            {"bridge", names.external_bridge()},
            {"physical_network", kPhysicalNetwork},
            {"bridge_mapping", names.bridge_mapping()},
            {"network", kPublicNetworkName}}},
          {"hosts", hosts},
          {"vms", vms}};
}

void print_lab_status(const nlohmann::json& status, std::ostream& out) {
  out << "lab " << status["prefix"].get<std::string>() << "  state "
      << status["state_dir"].get<std::string>() << "\n";
  out << "API         " << status["api"].get<std::string>() << "\n";
  out << "controller  " << alive_text(status["controller"]) << "\n";
  out << "management  " << status["mgmt_subnet"].get<std::string>() << "\n";
  const auto& external = status["external"];
  out << "external    " << external["host"].get<std::string>() << " "
      << external["address"].get<std::string>() << (external["present"].get<bool>() ? "" : " MISSING")
      << " on " << external["bridge"].get<std::string>() << " ("
      << external["physical_network"].get<std::string>() << ", network "
      << external["network"].get<std::string>() << "); agents map "
      << external["bridge_mapping"].get<std::string>() << "\n\n";
  out << std::left << std::setw(6) << "HOST" << std::setw(16) << "UNDERLAY IP" << std::setw(6)
      << "LEAF" << std::setw(22) << "AGENT" << std::setw(11) << "CONNECTED" << "GATEWAY\n";
  for (const auto& host : status["hosts"]) {
    out << std::setw(6) << host["name"].get<std::string>() << std::setw(16)
        << host["underlay_ip"].get<std::string>() << std::setw(6) << host["leaf"].get<int>()
        << std::setw(22) << alive_text(host["agent"])
        << std::setw(11) << (host["agent"]["connected"].get<bool>() ? "yes" : "no")
        << (host["agent"]["gateway_priority"].is_null()
                ? std::string("-")
                : "priority " + std::to_string(host["agent"]["gateway_priority"].get<int>()))
        << "\n";
  }
  out << "\n";
  if (status["vms"].empty()) {
    out << "no VMs (add one: overcast lab vm NAME --port PORT)\n";
    return;
  }
  out << std::setw(12) << "VM" << std::setw(6) << "HOST" << std::setw(38) << "PORT"
      << std::setw(20) << "IP" << std::setw(8) << "BY" << "STATE\n";
  for (const auto& vm : status["vms"]) {
    const std::string ip = vm["ip"].get<std::string>().empty()
                               ? "-"
                               : vm["ip"].get<std::string>() + "/" +
                                     std::to_string(vm["prefix_length"].get<int>());
    out << std::setw(12) << vm["name"].get<std::string>() << std::setw(6)
        << vm["host"].get<std::string>() << std::setw(38) << vm["port_id"].get<std::string>()
        << std::setw(20) << ip << std::setw(8) << (vm.value("dhcp", false) ? "dhcp" : "static")
        << (vm["present"].get<bool>() ? "ok" : "TAP MISSING") << "\n";
  }
}

}  // namespace overcast::cli::lab

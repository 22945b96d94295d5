#include "cli/lab/lab_vm.h"

#include <chrono>
#include <thread>

#include "cli/client/neutron_client.h"
#include "cli/lab/command_runner.h"
#include "cli/lab/kernel_ops.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/readiness.h"
#include "cli/lab/vm_dhcp.h"
#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast::cli::lab {
namespace {

// Neutron's default when a network does not state its MTU: 1500 minus VXLAN's 50 bytes.
constexpr int kDefaultVmMtu = 1450;
// A fresh guest NIC's MTU: a VM configured by DHCP starts from it, so the network's MTU
// reaches it only through option 26.
constexpr int kGuestNicMtu = 1500;

nlohmann::json fetch(const NeutronClient& client, const std::string& collection,
                     const std::string& id) {
  const ApiResult result = client.get("/v2.0/" + collection + "/" + url_encode(id));
  if (!result.ok()) {
    throw LabError("cannot read " + singular_of(collection) + " " + id + " from " +
                   client.endpoint() + ": " +
                   (result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error));
  }
  const std::string key = singular_of(collection);
  return result.body.contains(key) ? result.body[key] : result.body;
}

std::string string_field(const nlohmann::json& object, const std::string& key) {
  const auto it = object.find(key);
  return (it != object.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

VmRecord vm_record_from_api(const std::string& vm_name, const nlohmann::json& port,
                            const nlohmann::json* subnet, const nlohmann::json* network) {
  VmRecord vm;
  vm.name = vm_name;
  vm.port_id = string_field(port, "id");
  if (vm.port_id.size() < 11) throw LabError("port has no usable id: " + port.dump());
  vm.tap = tap_name_for_port(vm.port_id);
  vm.host = string_field(port, "binding:host_id");
  if (vm.host.empty()) {
    throw LabError("port " + vm.port_id +
                   " is not bound to a hypervisor: set binding:host_id (e.g. --host hv1)");
  }
  const auto mac = MacAddress::parse(string_field(port, "mac_address"));
  if (!mac) throw LabError("port " + vm.port_id + " has no valid mac_address");
  vm.mac = mac->to_string();
  vm.mtu = kDefaultVmMtu;
  if (network != nullptr && network->contains("mtu") && (*network)["mtu"].is_number_integer()) {
    vm.mtu = (*network)["mtu"].get<int>();
  }
  if (subnet == nullptr) return vm;
  const auto cidr = IpPrefix::parse(string_field(*subnet, "cidr"));
  if (!cidr || !cidr->address.is_v4()) {
    throw LabError("subnet of port " + vm.port_id + " has no valid IPv4 cidr");
  }
  vm.prefix_length = cidr->length;
  for (const auto& fixed : port.value("fixed_ips", nlohmann::json::array())) {
    if (string_field(fixed, "subnet_id") != string_field(*subnet, "id")) continue;
    const auto ip = IpAddress::parse(string_field(fixed, "ip_address"));
    if (ip && ip->is_v4()) vm.ip = ip->to_string();
  }
  if (vm.ip.empty()) throw LabError("port " + vm.port_id + " has no IPv4 address on its subnet");
  const auto gateway = IpAddress::parse(string_field(*subnet, "gateway_ip"));
  if (gateway && gateway->is_v4() && cidr->contains(*gateway)) vm.gateway = gateway->to_string();
  return vm;
}

bool wait_for_link(const std::string& ns, const std::string& tap, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!link_exists(ns, tap)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

void configure_vm(const LabOptions& options, const LabNames& names, const VmRecord& vm) {
  const std::string ns = names.vm_ns(vm.name);
  run_checked({"ip", "-n", ns, "link", "set", "dev", vm.tap, "address", vm.mac, "mtu",
               std::to_string(vm.dhcp ? kGuestNicMtu : vm.mtu)});
  // Before the link comes up, so the VM never sends a single IPv6 ND or MLD frame.
  set_sysctl(ns, "net.ipv6.conf." + vm.tap + ".disable_ipv6", "1");
  if (vm.dhcp) {
    set_link_up(ns, vm.tap);
    start_vm_dhcp_client(options, names, vm);
    return;
  }
  stop_vm_dhcp_client(options, vm);
  if (!vm.ip.empty()) {
    ensure_address(ns, vm.tap, vm.ip + "/" + std::to_string(vm.prefix_length));
  }
  set_link_up(ns, vm.tap);
  if (!vm.gateway.empty()) {
    run_checked({"ip", "-n", ns, "route", "replace", "default", "via", vm.gateway, "dev", vm.tap});
  }
}

VmRecord attach_vm(const LabOptions& options, LabState& state, const std::string& vm_name,
                   const std::string& port_ref, bool static_addressing) {
  const LabNames names(options.prefix);
  const NeutronClient client(api_endpoint(state.api_port));
  std::string error;
  const auto port = client.find("ports", port_ref, error);
  if (!port) throw LabError("port " + port_ref + ": " + error);

  const std::string port_id = string_field(*port, "id");
  if (const VmRecord* existing = state.find_vm(vm_name);
      existing != nullptr && existing->port_id != port_id) {
    throw LabError("VM " + vm_name + " already exists on port " + existing->port_id);
  }
  for (const auto& other : state.vms) {
    if (other.port_id == port_id && other.name != vm_name) {
      throw LabError("port " + port_id + " already belongs to VM " + other.name);
    }
  }

  std::optional<nlohmann::json> subnet;
  for (const auto& fixed : port->value("fixed_ips", nlohmann::json::array())) {
    const auto ip = IpAddress::parse(string_field(fixed, "ip_address"));
    if (ip && ip->is_v4()) {
      subnet = fetch(client, "subnets", string_field(fixed, "subnet_id"));
      break;
    }
  }
  const std::string network_id = string_field(*port, "network_id");
  std::optional<nlohmann::json> network;
  if (!network_id.empty()) network = fetch(client, "networks", network_id);
  VmRecord vm = vm_record_from_api(vm_name, *port, subnet ? &*subnet : nullptr,
                                   network ? &*network : nullptr);
  // A port without an IPv4 address has nothing to ask DHCP for: its link is just brought up.
  vm.dhcp = !static_addressing && !vm.ip.empty();
  if (vm.dhcp && subnet && !subnet->value("enable_dhcp", true)) {
    throw LabError("subnet " + string_field(*subnet, "id") + " of port " + vm.port_id +
                   " has enable_dhcp false: no one answers the VM's DHCP; use --static");
  }

  const HostRecord* host = state.find_host(vm.host);
  if (host == nullptr) {
    throw LabError("port " + vm.port_id + " is bound to '" + vm.host +
                   "', which is not a hypervisor of lab " + options.prefix);
  }
  const std::string host_ns = names.host_ns(host->index);
  const std::string vm_ns = names.vm_ns(vm_name);
  if (!link_exists(vm_ns, vm.tap)) {
    if (!wait_for_link(host_ns, vm.tap, kTapWaitTimeoutMs)) {
      throw LabError("the agent of " + vm.host + " made no TAP " + vm.tap + " for port " +
                     vm.port_id + " within " + std::to_string(kTapWaitTimeoutMs / 1000) +
                     " s (is it connected? see `overcast lab status`)");
    }
    ensure_namespace(vm_ns);
    disable_ipv6(vm_ns);
    move_link(host_ns, vm.tap, vm_ns);
  }
  configure_vm(options, names, vm);
  state.upsert_vm(vm);
  return vm;
}

}  // namespace overcast::cli::lab

#include "agent/main/agent_options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <iostream>
#include <string_view>

#include "common/bridge_mapping.h"
#include "common/ip_address.h"

namespace overcast::agent {

namespace {

std::string machine_hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

}  // namespace

std::optional<std::string> check_host_port(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return "'" + text + "' is not HOST:PORT";
  std::string host = text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  if (host.front() == '[' && (host.back() != ']' || !Ipv6Address::parse(host.substr(1, host.size() - 2)))) {
    return "'" + host + "' is not a bracketed IPv6 address";
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
    return "port '" + port + "' is not in 1..65535";
  }
  return std::nullopt;
}

std::vector<std::string> split_endpoints(const std::string& list) {
  std::vector<std::string> endpoints;
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    endpoints.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return endpoints;
    start = comma + 1;
  }
}

std::optional<AgentOptions> parse_agent_options(int argc, char** argv, int& exit_code) {
  AgentOptions o;
  o.host = machine_hostname();
  CLI::App app{"overcast-agent: the Overcast hypervisor agent (VM ports, data plane, southbound sync)"};
  app.add_option("--host", o.host, "this hypervisor's name")->capture_default_str();
  app.add_option("--underlay-ip", o.underlay_ip, "local VTEP IPv4 address on the IP fabric")->required();
  app.add_option("--controller", o.controller,
                 "controller southbound endpoint HOST:PORT, or several HOST:PORT,HOST:PORT of one cluster "
                 "(tried in turn when the one in use goes away)")
      ->required();
  app.add_option("--state-dir", o.state_dir, "state directory (created if missing)")->capture_default_str();
  app.add_option("--control-socket", o.control_socket, "control socket path (default <state-dir>/agent.sock)");
  app.add_option("--vxlan-port", o.vxlan_port, "UDP port of VXLAN tunnels")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--log-level", o.log_level, "log level")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--workers", o.workers, "data-plane worker threads (one per core to spare)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--busy-poll-us", o.busy_poll_us,
                 "after a packet, data-plane workers poll without sleeping this long (latency for CPU)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--conntrack-max", o.conntrack_max,
                 "connections the security groups' tracker holds (new ones beyond are dropped and counted)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--conntrack-zone-max", o.conntrack_zone_max,
                 "connections one port may hold, so one VM cannot fill the table (0: no cap)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 24));
  std::string offloads = "on";
  app.add_option("--offloads", offloads,
                 "TSO and checksum offload on VM TAPs: super-frames cut in user space, GRO on receive")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off"}));
  std::string gateway_priority;
  auto* gateway = app.add_option("--gateway", gateway_priority,
                                 "serve routers' external gateways; optional PRIORITY 0..255 (default 1), the "
                                 "highest alive one is active")
                      ->expected(0, 1);
  std::vector<std::string> mapping_flags;
  app.add_option("--bridge-mappings", mapping_flags,
                 "PHYSNET:IFACE[,PHYSNET:IFACE...]: host interfaces reaching physical networks")
      ->take_all();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    std::cerr << "overcast-agent: " << e.what() << "\nRun with --help for usage.\n";
    exit_code = kExitBadFlags;
    return std::nullopt;
  }
  auto bad = [&](const std::string& why) {
    std::cerr << "overcast-agent: " << why << "\n";
    exit_code = kExitBadFlags;
    return std::nullopt;
  };
  o.offloads = offloads == "on";
  if (o.host.empty()) return bad("--host: empty (and the machine has no hostname)");
  if (!Ipv4Address::parse(o.underlay_ip)) return bad("--underlay-ip: '" + o.underlay_ip + "' is not an IPv4 address");
  for (const auto& endpoint : split_endpoints(o.controller)) {
    if (auto why = check_host_port(endpoint)) return bad("--controller: " + *why);
  }
  if (o.state_dir.empty()) return bad("--state-dir: empty");
  if (gateway->count() > 0) {
    o.gateway = true;
    o.gateway_priority = kDefaultGatewayPriority;
    if (!gateway_priority.empty()) {
      unsigned value = 0;
      const char* end = gateway_priority.data() + gateway_priority.size();
      auto [stop, ec] = std::from_chars(gateway_priority.data(), end, value);
      if (ec != std::errc() || stop != end || value > kMaxGatewayPriority) {
        return bad("--gateway: priority '" + gateway_priority + "' is not in 0..255");
      }
      o.gateway_priority = value;
    }
  }
  for (const auto& flag : mapping_flags) {
    size_t start = 0;
    while (start <= flag.size()) {
      const size_t comma = std::min(flag.find(',', start), flag.size());
      std::string error;
      auto mapping = parse_bridge_mapping(std::string_view(flag).substr(start, comma - start), error);
      if (!mapping) return bad("--bridge-mappings: " + error);
      for (const auto& earlier : o.bridge_mappings) {
        if (earlier.substr(0, earlier.find(':')) == mapping->physical_network) {
          return bad("--bridge-mappings: physical network " + mapping->physical_network + " is mapped twice");
        }
      }
      o.bridge_mappings.push_back(mapping->physical_network + ":" + mapping->interface);
      start = comma + 1;
    }
  }
  if (o.control_socket.empty()) o.control_socket = o.state_dir + "/agent.sock";
  // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
  if (o.control_socket.size() > 107) return bad("--control-socket: path longer than 107 characters");
  return o;
}

}  // namespace overcast::agent

// The overcast-agent command line.
//
//   --host NAME             this hypervisor's name (default: the machine's hostname)
//   --underlay-ip IPV4      local VTEP address on the IP fabric (required)
//   --controller HOST:PORT[,HOST:PORT...]  the controllers' southbound endpoints (required);
//                           several: controllers of one cluster, tried in turn
//   --state-dir DIR         default /var/lib/overcast/agent (created if missing)
//   --control-socket PATH   default <state-dir>/agent.sock
//   --vxlan-port N          default 4789
//   --log-level LEVEL       trace|debug|info|warn|error, default info
//   --workers N             data-plane threads, 1..64, default 1
//   --offloads on|off       TSO/checksum offload on VM TAPs (IFF_VNET_HDR), default on
//   --busy-poll-us N        workers poll without sleeping for N µs after a packet, default 0
//   --gateway[=PRIORITY]    this host may serve routers' external gateways (L3 gateway);
//                           of the alive ones the highest PRIORITY (0..255, default 1) is active
//   --conntrack-max N       security groups' connection tracker size for the host, default 65536
//   --conntrack-zone-max N  connections one port may hold (0: no cap below the table), default 0
//   --bridge-mappings M     PHYSNET:IFACE[,PHYSNET:IFACE...]: host interfaces reaching
//                           physical networks (repeatable), as Neutron's agents take them
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace overcast::agent {

struct AgentOptions {
  std::string host;
  std::string underlay_ip;
  std::string controller;
  std::string state_dir = "/var/lib/overcast/agent";
  std::string control_socket;  // filled with <state-dir>/agent.sock when not given
  uint16_t vxlan_port = 4789;
  std::string log_level = "info";
  unsigned workers = 1;
  bool offloads = true;
  uint32_t busy_poll_us = 0;
  uint32_t conntrack_max = 65536;
  uint32_t conntrack_zone_max = 0;
  bool gateway = false;
  uint32_t gateway_priority = 0;
  std::vector<std::string> bridge_mappings;  // "physnet:iface", checked
};

inline constexpr uint32_t kDefaultGatewayPriority = 1;
inline constexpr uint32_t kMaxGatewayPriority = 255;

// Exit code for bad flags.
inline constexpr int kExitBadFlags = 2;

// Parses argv. On --help prints usage and sets `exit_code` 0; on bad flags prints
// a clear message to stderr and sets `exit_code` kExitBadFlags. Either way nullopt.
std::optional<AgentOptions> parse_agent_options(int argc, char** argv, int& exit_code);

// "a,b,c" → {"a", "b", "c"}; an empty piece stays (and fails check_host_port).
std::vector<std::string> split_endpoints(const std::string& list);

// "host:port" or "[v6]:port" with port 1..65535; nullopt if valid, else the reason.
std::optional<std::string> check_host_port(const std::string& text);

}  // namespace overcast::agent

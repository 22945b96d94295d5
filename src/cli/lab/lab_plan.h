// The lab's naming and addressing plan, as pure functions so it can be unit-tested and
// so `up`, `status`, `vm` and `down` agree on every name without talking to the kernel.
//
//   root namespace   overcast-controller, API on 127.0.0.1:<api-port>
//                    bridge <P>-mg 10.254.K.1/24 (management), veths <P>-m-hvI into it
//   <P>-fab          IPv4 router; bridges <P>-leaf1 172.16.1.1/24, <P>-leaf2 172.16.2.1/24;
//                    veths <P>-f-hvI, one per hypervisor, on its leaf bridge
//   <P>-hvI          overcast-agent; <P>-up 172.16.L.(10+I)/24 (underlay, default route via
//                    172.16.L.1), <P>-mg 10.254.K.(10+I)/24; L = 1 for odd I, 2 for even I
//   <P>-vm-NAME      one VM: the agent's TAP for its port, moved in
//
// The outside world (physical network physnet1, the provider segment behind `public`):
//   <P>-fab          bridge <P>-extbr, no address (a plain L2 segment the fabric does not
//                    route); veths <P>-e-hvI and <P>-e-ext are its ports
//   <P>-hvI          <P>-ex, no address: the agent's mapped interface (physnet1:<P>-ex)
//   <P>-ext          the outside host ("the internet"): <P>-ex 203.0.113.1/24
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "common/ip_address.h"
#include "common/port_naming.h"

namespace overcast::cli::lab {

inline constexpr int kMaxHosts = 99;
inline constexpr int kLeafCount = 2;
inline constexpr size_t kMaxPrefixLength = 8;  // so "<P>-f-hv99" fits IFNAMSIZ-1 = 15
inline constexpr size_t kMaxVmNameLength = 32;
inline constexpr int kSouthboundPort = 6641;
inline constexpr int kUnderlayMtu = 1500;

// nullopt when `prefix` is usable (1-8 of [a-z0-9], starting with a letter); else why not.
std::optional<std::string> prefix_problem(const std::string& prefix);
// nullopt when `name` is a usable VM name ([A-Za-z0-9_-], 1-32, not a hypervisor or
// fabric name, which `lab exec` resolves first); else why not.
std::optional<std::string> vm_name_problem(const std::string& name);

// Hypervisor I (1-based) ⇄ "hvI". parse returns 0 for anything else.
std::string host_name(int index);
int parse_host_name(const std::string& name);

int leaf_of_host(int index);                    // 1 or 2, alternating
std::string leaf_subnet(int leaf);              // "172.16.L.0/24"
Ipv4Address leaf_router_ip(int leaf);           // 172.16.L.1
Ipv4Address host_underlay_ip(int index);        // 172.16.L.(10+I)
std::string mgmt_subnet(int octet);             // "10.254.K.0/24"
Ipv4Address mgmt_bridge_ip(int octet);          // 10.254.K.1
Ipv4Address host_mgmt_ip(int octet, int index);  // 10.254.K.(10+I)
inline constexpr int kUnderlayPrefixLength = 24;

// The external segment.
inline constexpr const char* kPhysicalNetwork = "physnet1";
inline constexpr const char* kExternalCidr = "203.0.113.0/24";
inline constexpr const char* kExternalHostIp = "203.0.113.1";  // also public-subnet's gateway
inline constexpr int kExternalPrefixLength = 24;
inline constexpr const char* kExternalHostName = "ext";  // `lab exec ext -- ...`
inline constexpr const char* kPublicNetworkName = "public";
inline constexpr const char* kPublicSubnetName = "public-subnet";

// The first kGatewayHosts hypervisors serve routers' external gateways; hv1 has the
// highest priority (active), the others are standbys. nullopt: not a gateway host.
inline constexpr int kGatewayHosts = 2;
std::optional<int> gateway_priority(int index);

// The TAP the agent makes for a port: "tap" + the port ID's first 11 characters.
using overcast::tap_name_for_port;

class LabNames {
 public:
  explicit LabNames(std::string prefix) : prefix_(std::move(prefix)) {}
  const std::string& prefix() const { return prefix_; }

  std::string fabric_ns() const { return prefix_ + "-fab"; }
  std::string host_ns(int index) const { return prefix_ + "-" + host_name(index); }
  std::string vm_ns(const std::string& vm) const { return prefix_ + "-vm-" + vm; }
  // Inside <P>-fab.
  std::string leaf_bridge(int leaf) const { return prefix_ + "-leaf" + std::to_string(leaf); }
  std::string fabric_port(int index) const { return prefix_ + "-f-" + host_name(index); }
  // Inside <P>-hvI.
  std::string host_uplink() const { return prefix_ + "-up"; }
  std::string host_mgmt() const { return prefix_ + "-mg"; }
  // In <P>-hvI and <P>-ext: the interface onto the external segment.
  std::string external_uplink() const { return prefix_ + "-ex"; }
  // Inside <P>-fab: the external segment's bridge and its ports.
  std::string external_bridge() const { return prefix_ + "-extbr"; }
  std::string external_port(int index) const { return prefix_ + "-e-" + host_name(index); }
  std::string external_host_port() const { return prefix_ + "-e-ext"; }
  std::string external_host_ns() const { return prefix_ + "-" + kExternalHostName; }
  // --bridge-mappings of every agent: physnet1 on its external uplink.
  std::string bridge_mapping() const { return std::string(kPhysicalNetwork) + ":" + external_uplink(); }
  // In the root namespace.
  std::string mgmt_bridge() const { return prefix_ + "-mg"; }
  std::string mgmt_port(int index) const { return prefix_ + "-m-" + host_name(index); }
  // Whether a namespace or root-namespace link name belongs to this lab.
  bool owns(const std::string& name) const { return name.rfind(prefix_ + "-", 0) == 0; }

 private:
  std::string prefix_;
};

}  // namespace overcast::cli::lab

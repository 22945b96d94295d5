// The logical model's resources as the controller keeps them, in memory and (through
// resource_codec.h) on disk. These are the durable facts only: attributes that Neutron
// derives (status, vif_type, subnets of a network, agent liveness) are computed on read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace overcast::controller {

struct Network {
  std::string id;
  std::string name;
  std::string project_id;
  std::string description;
  bool admin_state_up = true;
  bool shared = false;
  bool port_security_enabled = true;
  uint32_t mtu = 0;
  uint32_t vni = 0;  // provider:segmentation_id
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

struct AllocationPool {
  std::string start;
  std::string end;
  bool operator==(const AllocationPool&) const = default;
};

struct HostRoute {
  std::string destination;
  std::string nexthop;
  bool operator==(const HostRoute&) const = default;
};

struct Subnet {
  std::string id;
  std::string name;
  std::string network_id;
  std::string project_id;
  std::string description;
  int ip_version = 4;
  std::string cidr;
  std::optional<std::string> gateway_ip;  // nullopt: the subnet has no gateway
  std::vector<AllocationPool> allocation_pools;
  bool enable_dhcp = true;
  std::vector<std::string> dns_nameservers;
  std::vector<HostRoute> host_routes;
  std::optional<std::string> ipv6_ra_mode;
  std::optional<std::string> ipv6_address_mode;
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

struct FixedIp {
  std::string subnet_id;
  std::string ip_address;
  bool operator==(const FixedIp&) const = default;
};

struct Port {
  std::string id;
  std::string name;
  std::string network_id;
  std::string project_id;
  std::string description;
  std::string mac_address;
  std::vector<FixedIp> fixed_ips;
  std::string device_id;
  std::string device_owner;
  bool admin_state_up = true;
  bool port_security_enabled = true;
  std::string binding_host_id;  // "" when unbound
  nlohmann::json binding_profile = nlohmann::json::object();
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

// How a host came to be: an agent registered it over the southbound, or an operator
// declared a VTEP that runs no agent (a kernel VXLAN device, a ToR switch; NSX and OVN
// call these hardware VTEPs) through the API.
enum class HostKind { kAgent, kStaticVtep };

struct Agent {
  std::string id;  // stable per host: made at the host's first registration
  HostKind kind = HostKind::kAgent;
  std::string host;
  std::string underlay_ip;
  std::vector<std::string> encapsulations;
  std::string agent_version;
  bool admin_state_up = true;
  std::string created_at;
  std::string started_at;  // the latest registration (a static VTEP: its creation)
  std::string description;
};

}  // namespace overcast::controller

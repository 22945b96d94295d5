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
  // The overlay VNI. Every network has one, flat and vlan ones too: the data plane keys its
  // segments by it, though a provider network's frames never travel in VXLAN.
  uint32_t vni = 0;
  std::string network_type = "vxlan";  // provider:network_type: vxlan | flat | vlan
  std::string physical_network;        // provider:physical_network ("" for vxlan)
  uint32_t vlan_id = 0;                // provider:segmentation_id of a vlan network
  bool external = false;               // router:external
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

// An address a port may also send from (allowed-address-pairs): an IP or a CIDR, and a MAC
// (the port's own when not given).
struct AllowedAddressPair {
  std::string ip_address;
  std::string mac_address;
  bool operator==(const AllowedAddressPair&) const = default;
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
  std::vector<std::string> security_groups;  // ids; empty when port security is off
  std::vector<AllowedAddressPair> allowed_address_pairs;
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
  // An L3 gateway host (agent started with --gateway): serves routers' external
  // gateways; the highest priority alive one is active, the others stand by.
  bool gateway = false;
  uint32_t gateway_priority = 0;
  std::vector<std::string> bridge_mappings;  // "physnet:iface", as the agent reported
};

// Device owners of the ports that routers and floating IPs hold (Neutron's names).
inline constexpr const char* kOwnerRouterInterface = "network:router_interface";
inline constexpr const char* kOwnerRouterGateway = "network:router_gateway";
inline constexpr const char* kOwnerFloatingIp = "network:floatingip";

struct ExternalGateway {
  std::string network_id;
  bool enable_snat = true;
  std::string port_id;  // the router's port on the external network
};

// A router's interfaces are not stored here: they are the ports with device_owner
// network:router_interface and device_id = the router's id.
struct Router {
  std::string id;
  std::string name;
  std::string project_id;
  std::string description;
  bool admin_state_up = true;
  std::optional<ExternalGateway> gateway;
  std::vector<HostRoute> routes;  // extraroute
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

struct FloatingIp {
  std::string id;
  std::string project_id;
  std::string description;
  std::string floating_network_id;
  std::string floating_ip_address;
  std::string floating_port_id;  // its port on the external network (network:floatingip)
  std::string port_id;           // "" when not associated
  std::string fixed_ip_address;  // "" when not associated
  std::string router_id;         // derived on association
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

struct SecurityGroup {
  std::string id;
  std::string name;
  std::string project_id;
  std::string description;
  bool stateful = true;
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

struct SecurityGroupRule {
  std::string id;
  std::string security_group_id;
  std::string project_id;
  std::string description;
  std::string direction;           // ingress | egress
  std::string ethertype = "IPv4";  // IPv4 | IPv6
  std::optional<std::string> protocol;  // nullopt: any; a name ("tcp") or a number ("47")
  std::optional<int64_t> port_range_min;  // ICMP: type
  std::optional<int64_t> port_range_max;  // ICMP: code
  std::optional<std::string> remote_ip_prefix;
  std::optional<std::string> remote_group_id;
  std::string created_at;
  std::string updated_at;
  uint64_t revision_number = 0;
};

}  // namespace overcast::controller

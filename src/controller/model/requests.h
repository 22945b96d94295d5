// What a create or update asks of the model, already type-checked by the API layer.
// An unset optional means "not given": the model applies Neutron's default (create) or
// keeps the current value (update). The model does the semantic checks (ranges,
// containment, conflicts) and the allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controller/model/resources.h"

namespace overcast::controller {

struct NetworkCreate {
  std::string project_id;
  std::string name;
  std::string description;
  bool admin_state_up = true;
  bool shared = false;
  bool port_security_enabled = true;
  std::optional<int64_t> mtu;
  std::optional<std::string> network_type;      // provider:network_type, default vxlan
  std::optional<std::string> physical_network;  // provider:physical_network
  std::optional<int64_t> segmentation_id;       // VNI (vxlan) or VLAN id (vlan)
  bool external = false;                        // router:external
};

struct NetworkUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> admin_state_up;
  std::optional<bool> shared;
  std::optional<bool> port_security_enabled;
  std::optional<int64_t> mtu;
  std::optional<bool> external;
};

struct SubnetCreate {
  std::string project_id;
  std::string network_id;
  std::string name;
  std::string description;
  int64_t ip_version = 4;
  std::string cidr;
  // Outer nullopt: not given (default: first host). Inner nullopt: null, no gateway.
  std::optional<std::optional<std::string>> gateway_ip;
  std::optional<std::vector<AllocationPool>> allocation_pools;
  bool enable_dhcp = true;
  std::vector<std::string> dns_nameservers;
  std::vector<HostRoute> host_routes;
  std::optional<std::string> ipv6_ra_mode;
  std::optional<std::string> ipv6_address_mode;
};

struct SubnetUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> enable_dhcp;
  std::optional<std::vector<std::string>> dns_nameservers;
  std::optional<std::vector<HostRoute>> host_routes;
};

struct FixedIpRequest {
  std::optional<std::string> subnet_id;
  std::optional<std::string> ip_address;
};

struct PortCreate {
  std::string project_id;
  std::string network_id;
  std::string name;
  std::string description;
  std::string device_id;
  std::string device_owner;
  std::string binding_host_id;
  std::optional<std::string> mac_address;
  std::optional<std::vector<FixedIpRequest>> fixed_ips;  // nullopt: one from each subnet
  bool admin_state_up = true;
  std::optional<bool> port_security_enabled;  // default: the network's
  nlohmann::json binding_profile = nlohmann::json::object();
  // nullopt: the project's default group (when port security is on).
  std::optional<std::vector<std::string>> security_groups;
  std::optional<std::vector<AllowedAddressPair>> allowed_address_pairs;  // mac "" = port's
};

struct PortUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> device_id;
  std::optional<std::string> device_owner;
  std::optional<std::string> binding_host_id;
  std::optional<std::string> mac_address;
  std::optional<std::vector<FixedIpRequest>> fixed_ips;
  std::optional<bool> admin_state_up;
  std::optional<bool> port_security_enabled;
  std::optional<nlohmann::json> binding_profile;
  std::optional<std::vector<std::string>> security_groups;
  std::optional<std::vector<AllowedAddressPair>> allowed_address_pairs;
};

struct ExternalGatewayRequest {
  std::string network_id;
  std::optional<bool> enable_snat;  // default true
  std::optional<std::vector<FixedIpRequest>> external_fixed_ips;
};

struct RouterCreate {
  std::string project_id;
  std::string name;
  std::string description;
  bool admin_state_up = true;
  std::optional<ExternalGatewayRequest> gateway;
  std::optional<std::vector<HostRoute>> routes;
};

struct RouterUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> admin_state_up;
  // Outer nullopt: not given. Inner nullopt: null or {}, the gateway is removed.
  std::optional<std::optional<ExternalGatewayRequest>> gateway;
  std::optional<std::vector<HostRoute>> routes;
};

// PUT /v2.0/routers/{id}/add_router_interface and remove_router_interface: exactly one.
struct RouterInterfaceRequest {
  std::optional<std::string> subnet_id;
  std::optional<std::string> port_id;
};

struct FloatingIpCreate {
  std::string project_id;
  std::string floating_network_id;
  std::optional<std::string> subnet_id;
  std::optional<std::string> floating_ip_address;
  std::optional<std::string> port_id;
  std::optional<std::string> fixed_ip_address;
  std::string description;
};

struct FloatingIpUpdate {
  // Outer nullopt: not given. Inner nullopt: null, disassociate.
  std::optional<std::optional<std::string>> port_id;
  std::optional<std::string> fixed_ip_address;
  std::optional<std::string> description;
};

struct SecurityGroupCreate {
  std::string project_id;
  std::string name;
  std::string description;
  bool stateful = true;
};

struct SecurityGroupUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

struct SecurityGroupRuleCreate {
  std::string project_id;
  std::string security_group_id;
  std::string direction;
  std::optional<std::string> ethertype;  // default IPv4
  std::optional<std::string> protocol;   // a name or a number as text; nullopt: any
  std::optional<int64_t> port_range_min;
  std::optional<int64_t> port_range_max;
  std::optional<std::string> remote_ip_prefix;
  std::optional<std::string> remote_group_id;
  std::string description;
};

// A VTEP that runs no Overcast agent, declared by the operator (POST /v2.0/agents with
// agent_type "Static VTEP").
struct StaticVtepCreate {
  std::string host;
  std::string underlay_ip;
  std::vector<std::string> encapsulations;  // empty: {"vxlan"}
  bool admin_state_up = true;
  std::string description;
};

}  // namespace overcast::controller

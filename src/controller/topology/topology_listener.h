// The seam between the logical model (northbound) and the view compiler (southbound).
//
// The model tells a TopologyListener what changed, after the change is durable in
// the store, as one ChangeSet per API transaction (or one for the whole model at
// start-up). The listener (the compiler) works out which hosts it concerns. It never
// reads the model back: these facts are all it needs to compute per-host views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace overcast::controller {

struct NetworkFacts {
  std::string id;
  uint32_t vni = 0;
  uint32_t mtu = 0;
  std::string encapsulation = "vxlan";
  // Provider networks (flat, vlan) live on a physical segment reached through the host
  // interface an agent maps to physical_network (--bridge-mappings), never on the overlay.
  std::string network_type = "vxlan";  // vxlan | flat | vlan
  std::string physical_network{};      // "" for vxlan
  uint32_t segmentation_id = 0;        // the VLAN id of a vlan network
};

struct HostRouteFacts {
  std::string destination;  // CIDR
  std::string nexthop;
  bool operator==(const HostRouteFacts&) const = default;
};

// What a host's DHCP responder needs of a subnet (the MTU it offers is the network's).
struct SubnetFacts {
  std::string id;
  std::string network_id;
  int ip_version = 4;
  std::string cidr;
  std::string gateway_ip;  // "" when the subnet has no gateway
  bool enable_dhcp = true;
  std::vector<std::string> dns_nameservers;
  std::vector<HostRouteFacts> host_routes;
  bool operator==(const SubnetFacts&) const = default;
};

struct AllowedAddressPairFacts {
  std::string ip_address;   // IP or CIDR
  std::string mac_address;  // the port's own when the pair gave none
  bool operator==(const AllowedAddressPairFacts&) const = default;
};

struct PortFacts {
  std::string id;
  std::string network_id;
  std::string host;              // binding:host_id, "" when unbound
  std::string mac;               // "fa:16:3e:..."
  std::vector<std::string> ips;  // fixed IPs, v4 and v6
  bool admin_up = true;
  bool port_security_enabled = true;
  std::vector<AllowedAddressPairFacts> allowed_address_pairs{};
  std::vector<std::string> security_groups{};  // ids; ignored when port security is off
};

struct SecurityGroupRuleFacts {
  std::string id;
  std::string direction;  // "ingress" | "egress"
  std::string ethertype = "IPv4";
  std::string protocol;  // "" any
  std::optional<int> port_range_min;
  std::optional<int> port_range_max;
  std::string remote_ip_prefix;  // "" none
  std::string remote_group_id;   // "" none
  bool operator==(const SecurityGroupRuleFacts&) const = default;
};

// A group with all its rules: a rule change re-sends its whole group.
struct SecurityGroupFacts {
  std::string id;
  std::vector<SecurityGroupRuleFacts> rules;  // sorted by id
  bool operator==(const SecurityGroupFacts&) const = default;
};

// One interface of a router: its port on one subnet.
struct RouterInterfaceFacts {
  std::string port_id;
  std::string network_id;
  std::string subnet_id;
  std::string address;  // the router's IP with the subnet's prefix length, "10.1.0.1/24"
  std::string mac;
  bool operator==(const RouterInterfaceFacts&) const = default;
};

// A router's external gateway: its port on the external network.
struct RouterExternalFacts {
  std::string network_id;
  std::string address;     // "203.0.113.10/24" (the external subnet's prefix length)
  std::string mac;
  bool enable_snat = true;
  std::string gateway_ip;  // the external subnet's gateway, "" none
  bool operator==(const RouterExternalFacts&) const = default;
};

struct FloatingIpFacts {
  std::string floating_ip;
  std::string fixed_ip;
  std::string port_id;
  bool operator==(const FloatingIpFacts&) const = default;
};

// A router as the hosts that route for it need it.
struct RouterFacts {
  std::string id;
  std::string project_id;
  bool admin_up = true;
  std::vector<RouterInterfaceFacts> interfaces;
  std::vector<HostRouteFacts> routes;  // static routes: destination via nexthop
  std::optional<RouterExternalFacts> external{};  // nullopt: no external gateway
  std::vector<FloatingIpFacts> floating_ips{};    // associated ones, sorted by floating IP
  bool operator==(const RouterFacts&) const = default;
};

struct HostFacts {
  std::string host;
  std::string underlay_ip;
  std::vector<std::string> physnets{};  // of its bridge mappings, sorted: the provider networks it can bind
  // An L3 gateway host (--gateway) and its election inputs (gateway_election.h). `alive`
  // matters only for gateway hosts: the model re-sends their facts when it flips.
  bool gateway = false;
  uint32_t gateway_priority = 0;
  bool alive = true;
  bool operator==(const HostFacts&) const = default;
};

// Upserts replace whatever the listener held under the same id.
struct ChangeSet {
  std::vector<NetworkFacts> networks;
  std::vector<std::string> removed_networks;
  std::vector<SubnetFacts> subnets;
  std::vector<std::string> removed_subnets;
  std::vector<PortFacts> ports;
  std::vector<std::string> removed_ports;
  std::vector<HostFacts> hosts;
  std::vector<std::string> removed_hosts;
  std::vector<RouterFacts> routers;
  std::vector<std::string> removed_routers;
  std::vector<SecurityGroupFacts> security_groups;
  std::vector<std::string> removed_security_groups;

  bool empty() const {
    return networks.empty() && removed_networks.empty() && subnets.empty() && removed_subnets.empty() && ports.empty() &&
           removed_ports.empty() && hosts.empty() && removed_hosts.empty() && routers.empty() &&
           removed_routers.empty() && security_groups.empty() && removed_security_groups.empty();
  }
};

class TopologyListener {
 public:
  virtual ~TopologyListener() = default;
  // Called with the model's lock released, in commit order, from any thread.
  virtual void apply(const ChangeSet& changes) = 0;
};

}  // namespace overcast::controller

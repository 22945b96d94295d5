// The forwarding state of one host, as the data plane reads it.
//
// Immutable once published: the agent builds a new table from the controller's
// view and publishes it (Datapath::publish); worker threads read the current one
// without locks and the old one is freed only when no worker can still see it.
//
// Port slots are stable across table versions: a port keeps its slot for as long
// as it exists, so a slot seen by the poller means the same port in the next table.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "dataplane/core/packet.h"
#include "dataplane/dhcp/dhcp_responder.h"
#include "dataplane/firewall/compiled_policy.h"
#include "dataplane/gateway/router_gateway.h"
#include "dataplane/port_security/spoof_filter.h"
#include "dataplane/route/router_instance.h"
#include "dataplane/ports/port_io.h"

namespace overcast::dataplane {

struct L2Destination {
  enum class Kind : uint8_t { kLocalPort, kRemoteVtep };
  Kind kind = Kind::kLocalPort;
  PortSlot port = kNoPort;  // when kLocalPort
  uint32_t vtep = 0;        // IPv4, host order, when kRemoteVtep
};

struct HostRouteInfo {
  IpPrefix destination;
  IpAddress nexthop;
};

// A subnet of a segment: what DHCP offers the segment's local ports in it.
struct SubnetInfo {
  std::string subnet_id;
  IpPrefix cidr;
  std::optional<IpAddress> gateway;  // none: the subnet has no gateway
  bool enable_dhcp = true;
  std::vector<IpAddress> dns_nameservers;
  std::vector<HostRouteInfo> host_routes;
};

// Another address a port may send from (allowed-address-pairs), with the MAC it uses.
struct AllowedAddress {
  IpPrefix prefix;  // a single address is a /32 or /128
  MacAddress mac;
};

// One virtual network present on this host.
struct Segment {
  std::string network_id;
  uint32_t vni = 0;
  uint32_t mtu = 1450;
  std::vector<uint32_t> flood_vteps;                  // IPv4 host order: head-end replication
  std::vector<PortSlot> local_ports;                  // VM ports of this network on this host
  std::unordered_map<MacAddress, L2Destination> macs;  // every known MAC of the network
  std::unordered_map<uint32_t, MacAddress> arp;       // IPv4 (host order) -> MAC, for ARP suppression
  // VTEPs that take part in this network (flood list and remote ports' hosts): tunnel rx
  // into this VNI is accepted only from them, so a peer that shares one network with this
  // host cannot inject frames into another tenant's.
  std::unordered_set<uint32_t> vteps;
  std::vector<SubnetInfo> subnets;  // by subnet id
  dhcp::LeaseTable dhcp_leases;     // local ports' DHCPv4 leases, by MAC
  // Router interface MACs on this segment: a frame to one of them is routed by that router.
  std::unordered_map<MacAddress, route::RouterPort> router_ports;
  // A provider network (flat/vlan): bridged onto the uplink at this slot, never VXLAN.
  // Its macs hold local ports only; what is not local goes out the uplink.
  PortSlot uplink = kNoPort;
  uint16_t vlan = 0;  // 802.1Q VID pushed on the uplink; 0: flat (untagged)
  // On an external network's segment of the host serving routers' gateways: each
  // router's gateway by its external MAC, and the addresses it answers ARP for there
  // (the router's external IP and its floating IPs, all on that MAC).
  std::unordered_map<MacAddress, std::shared_ptr<const gateway::RouterGateway>> gateways;
  std::unordered_map<uint32_t, MacAddress> gateway_addresses;
  bool is_provider() const { return uplink != kNoPort; }
};

struct PortEntry {
  std::string port_id;
  uint32_t vni = 0;
  MacAddress mac;
  bool admin_up = true;
  std::vector<IpAddress> ips;  // fixed IPs
  // Anti-spoofing on the frames the VM sends; off: anything goes.
  bool port_security_enabled = false;
  std::vector<AllowedAddress> allowed_address_pairs;
  // Compiled from the fields above when port security is on; null: no filtering.
  std::shared_ptr<const port_security::SpoofFilter> spoof_filter;
  // Security groups: the port's rules compiled (from all its groups) when port security
  // is on; null: not filtered. The same pointer across tables while the rules stay.
  std::shared_ptr<const firewall::CompiledPolicy> firewall;
  std::shared_ptr<PortIo> io;  // nullptr: free slot
  // A host interface mapped to a physical network (--bridge-mappings), not a VM port:
  // its frames enter through the uplink stage; VLAN id (0: untagged) -> VNI of the
  // provider network it carries.
  bool uplink = false;
  std::unordered_map<uint16_t, uint32_t> uplink_vnis;
};

struct ForwardingTable {
  uint64_t version = 0;
  std::unordered_map<uint32_t, Segment> segments;  // by VNI
  std::vector<PortEntry> ports;                    // index = PortSlot
  std::unordered_set<uint32_t> known_vteps;        // IPv4 host order: tunnel rx accepted only from these
  // Addresses of the groups remote_group_id rules name (null: none); the same pointer
  // across tables while the members stay.
  std::shared_ptr<const firewall::RemoteGroupMembers> security_group_members;

  const Segment* find_segment(uint32_t vni) const {
    auto it = segments.find(vni);
    return it == segments.end() ? nullptr : &it->second;
  }
  const PortEntry* find_port(PortSlot slot) const {
    return slot < ports.size() && ports[slot].io ? &ports[slot] : nullptr;
  }
};

}  // namespace overcast::dataplane

// One distributed router as a host's data plane holds it: its interfaces (one per
// subnet it connects, each on a segment) and its IPv4 routes. Built by the agent's
// control thread, shared by the segments it is attached to, immutable once published.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "dataplane/route/lpm_table.h"

namespace overcast::dataplane::route {

struct RouterInterface {
  std::string port_id;
  uint32_t vni = 0;       // the segment it is on
  MacAddress mac;
  uint32_t address = 0;   // IPv4, host order
  int prefix_length = 0;
};

// The router's leg on its external network, served by one gateway host at a time. On
// every other host the default route sends the frame, unchanged (to the router's MAC),
// by VXLAN on the ingress network's VNI to that host.
struct ExternalGateway {
  std::string network_id;
  uint32_t vni = 0;           // the external network's segment on this host, 0: not here
  uint32_t address = 0;       // the router's external IPv4 (host order)
  int prefix_length = 0;
  MacAddress mac;
  uint32_t next_hop = 0;      // the external subnet's gateway, 0: none
  bool enable_snat = true;
  uint32_t gateway_vtep = 0;  // the active gateway host's underlay IP, 0: none alive
  bool served_here = false;   // this host is the active gateway host
  // Floating IPs this host NATs itself for its own ports (it maps the external network:
  // Neutron's DVR), with a MAC of this host's on the external network; empty: none.
  std::vector<uint32_t> local_fixed_ips;  // their fixed IPs (host order)
  MacAddress local_mac;

  bool nats_locally(uint32_t fixed_ip) const {
    for (uint32_t ip : local_fixed_ips)
      if (ip == fixed_ip) return true;
    return false;
  }
};

struct RouterInstance {
  std::string router_id;
  std::vector<RouterInterface> interfaces;
  Ipv4RouteTable routes;  // RouteTarget::interface indexes `interfaces` (unless `external`)
  std::optional<ExternalGateway> external;

  // The interface owning `address` (one of the router's own), or nullptr.
  const RouterInterface* interface_with_address(uint32_t address) const {
    for (const auto& interface : interfaces)
      if (interface.address == address) return &interface;
    return nullptr;
  }
};

// What a segment knows of a router interface MAC on it: frames sent to that MAC are the
// router's, and the lookup starts in that router's table only.
struct RouterPort {
  std::shared_ptr<const RouterInstance> router;
  uint32_t interface = 0;  // index into router->interfaces
};

}  // namespace overcast::dataplane::route

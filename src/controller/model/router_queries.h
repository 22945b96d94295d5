// Questions about routers that several writes ask: which ports and subnets a router
// has, whether its static routes are connected, which floating IPs rely on it. A
// router's interfaces are the ports it owns (device_owner network:router_interface,
// device_id = router id), so these scan the ports; they run on writes, not per packet.
#pragma once

#include <string>
#include <vector>

#include "controller/model/model_error.h"
#include "controller/model/model_state.h"

namespace overcast::controller {

// The router's interface ports (not its gateway port).
std::vector<const Port*> router_interface_ports(const ModelState& state, const std::string& router_id);
// The router's interface port holding an address on `subnet_id`, or null.
const Port* router_port_on_subnet(const ModelState& state, const std::string& router_id,
                                  const std::string& subnet_id);
// Subnets the router is connected to: its interfaces' and its gateway port's.
std::vector<const Subnet*> router_connected_subnets(const ModelState& state, const Router& router);
// The router's own addresses on its interfaces and gateway.
std::vector<std::string> router_addresses(const ModelState& state, const Router& router);
// extraroute: each route a valid destination CIDR and a nexthop of the same family on
// one of the router's subnets, not one of its own addresses (400 InvalidRoutes).
Status check_routes(const ModelState& state, const Router& router);
// Floating IPs associated through this router.
std::vector<const FloatingIp*> floating_ips_via(const ModelState& state, const std::string& router_id);

ModelError router_not_found(const std::string& id);
ModelError bad_router_request(const std::string& reason);

}  // namespace overcast::controller

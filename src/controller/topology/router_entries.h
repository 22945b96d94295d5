// How a router becomes a view entry ("router/<id>"), and which slices hold routers.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "controller/topology/topology_listener.h"
#include "overcast/southbound.pb.h"

namespace overcast::controller {

namespace sb = overcast::southbound::v1;

// A host's view is partitioned into slices by network id; a router's entry lives in a
// slice of its own, named by its key (a network id never contains '/').
std::string router_key(const std::string& router_id);
bool is_router_slice(const std::string& slice_id);
std::string router_id_of_slice(const std::string& slice_id);

// Interfaces on a network the compiler does not know (no VNI yet) are left out; they
// appear when the network does.
using NetworkLookup = std::function<const NetworkFacts*(const std::string& network_id)>;
// Where the router's external gateway is served now ("" both: nowhere).
struct GatewayPlacement {
  std::string host;
  std::string vtep;  // its underlay IP
  // The host that NATs each of router.floating_ips, in their order ("" or missing: the
  // gateway host): RouterFloatingIp.served_by_host.
  std::vector<std::string> floating_ip_hosts{};
};
sb::ViewEntry make_router_entry(const RouterFacts& router, const NetworkLookup& network,
                                const GatewayPlacement& gateway = {});

}  // namespace overcast::controller

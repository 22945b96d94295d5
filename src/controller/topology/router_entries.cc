#include "controller/topology/router_entries.h"

namespace overcast::controller {

namespace {
constexpr const char* kRouterPrefix = "router/";
constexpr size_t kRouterPrefixSize = 7;
}  // namespace

std::string router_key(const std::string& router_id) { return kRouterPrefix + router_id; }

bool is_router_slice(const std::string& slice_id) { return slice_id.compare(0, kRouterPrefixSize, kRouterPrefix) == 0; }

std::string router_id_of_slice(const std::string& slice_id) { return slice_id.substr(kRouterPrefixSize); }

sb::ViewEntry make_router_entry(const RouterFacts& router, const NetworkLookup& network,
                                const GatewayPlacement& gateway) {
  sb::ViewEntry entry;
  entry.set_key(router_key(router.id));
  auto* body = entry.mutable_router();
  body->set_router_id(router.id);
  body->set_project_id(router.project_id);
  body->set_admin_up(router.admin_up);
  for (const auto& interface : router.interfaces) {
    const NetworkFacts* net = network(interface.network_id);
    if (net == nullptr) continue;
    auto* out = body->add_interfaces();
    out->set_port_id(interface.port_id);
    out->set_network_id(interface.network_id);
    out->set_vni(net->vni);
    out->set_subnet_id(interface.subnet_id);
    out->set_address(interface.address);
    out->set_mac(interface.mac);
  }
  for (const auto& route : router.routes) {
    auto* out = body->add_routes();
    out->set_destination(route.destination);
    out->set_nexthop(route.nexthop);
  }
  if (router.external) {
    auto* out = body->mutable_external();
    out->set_network_id(router.external->network_id);
    out->set_address(router.external->address);
    out->set_mac(router.external->mac);
    out->set_enable_snat(router.external->enable_snat);
    out->set_gateway_ip(router.external->gateway_ip);
    out->set_gateway_host(gateway.host);
    out->set_gateway_vtep(gateway.vtep);
  }
  for (size_t i = 0; i < router.floating_ips.size(); ++i) {
    const auto& floating = router.floating_ips[i];
    auto* out = body->add_floating_ips();
    out->set_floating_ip(floating.floating_ip);
    out->set_fixed_ip(floating.fixed_ip);
    out->set_port_id(floating.port_id);
    if (i < gateway.floating_ip_hosts.size()) out->set_served_by_host(gateway.floating_ip_hosts[i]);
  }
  return entry;
}

}  // namespace overcast::controller

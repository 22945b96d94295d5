#include "controller/model/router_facts.h"

#include <algorithm>

#include "controller/model/router_queries.h"

namespace overcast::controller {

RouterFacts router_facts(const ModelState& state, const Router& router) {
  RouterFacts facts;
  facts.id = router.id;
  facts.project_id = router.project_id;
  facts.admin_up = router.admin_state_up;
  for (const Port* port : router_interface_ports(state, router.id)) {
    for (const auto& fixed : port->fixed_ips) {
      const Subnet* subnet = state.find_subnet(fixed.subnet_id);
      auto cidr = subnet ? IpPrefix::parse(subnet->cidr) : std::nullopt;
      if (!cidr) continue;
      facts.interfaces.push_back({port->id, port->network_id, fixed.subnet_id,
                                  fixed.ip_address + "/" + std::to_string(cidr->length), port->mac_address});
    }
  }
  for (const auto& route : router.routes) facts.routes.push_back({route.destination, route.nexthop});
  if (router.gateway) {
    // The gateway port's first IPv4 address is the router's external address (SNAT's
    // source); without one the router has no external leg the data plane could use.
    if (const Port* port = state.find_port(router.gateway->port_id)) {
      for (const auto& fixed : port->fixed_ips) {
        const Subnet* subnet = state.find_subnet(fixed.subnet_id);
        auto cidr = subnet ? IpPrefix::parse(subnet->cidr) : std::nullopt;
        if (!cidr || !cidr->address.is_v4()) continue;
        facts.external = RouterExternalFacts{router.gateway->network_id,
                                             fixed.ip_address + "/" + std::to_string(cidr->length),
                                             port->mac_address, router.gateway->enable_snat,
                                             subnet->gateway_ip.value_or("")};
        break;
      }
    }
  }
  for (const FloatingIp* floating : floating_ips_via(state, router.id)) {
    if (floating->port_id.empty() || floating->fixed_ip_address.empty()) continue;
    facts.floating_ips.push_back({floating->floating_ip_address, floating->fixed_ip_address, floating->port_id});
  }
  std::sort(facts.floating_ips.begin(), facts.floating_ips.end(),
            [](const FloatingIpFacts& a, const FloatingIpFacts& b) { return a.floating_ip < b.floating_ip; });
  return facts;
}

void add_router_of_port(const Port* port, std::set<std::string>& router_ids) {
  if (port != nullptr && (port->device_owner == kOwnerRouterInterface || port->device_owner == kOwnerRouterGateway) &&
      !port->device_id.empty()) {
    router_ids.insert(port->device_id);
  }
}

}  // namespace overcast::controller

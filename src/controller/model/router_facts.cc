#include "controller/model/router_facts.h"

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
  return facts;
}

void add_router_of_port(const Port* port, std::set<std::string>& router_ids) {
  if (port != nullptr && port->device_owner == kOwnerRouterInterface && !port->device_id.empty()) {
    router_ids.insert(port->device_id);
  }
}

}  // namespace overcast::controller

// Router writes: create/update/delete, the external gateway (a port on an external
// network), static routes, and which gateway hosts serve a router.
#include <algorithm>
#include <map>

#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/router_queries.h"
#include "controller/model/topology_facts.h"
#include "controller/topology/gateway_election.h"

namespace overcast::controller {

namespace {
ModelError gateway_in_use_by_floating_ips(const Router& router) {
  return ModelError::conflict("RouterExternalGatewayInUseByFloatingIp",
                              "Gateway cannot be updated for router " + router.id + ", since a gateway to external "
                              "network " + router.gateway->network_id +
                              " is required by one or more floating IPs.");
}
}  // namespace

Status LogicalModel::set_router_gateway(Transaction& tx, Router& router,
                                        const std::optional<ExternalGatewayRequest>& request) {
  const ModelState& state = tx.state();
  const bool same_network = request && router.gateway && router.gateway->network_id == request->network_id;
  if (same_network && !request->external_fixed_ips) {
    router.gateway->enable_snat = request->enable_snat.value_or(router.gateway->enable_snat);
    return std::nullopt;
  }
  if (router.gateway) {
    if (!same_network && !floating_ips_via(state, router.id).empty()) return gateway_in_use_by_floating_ips(router);
    tx.erase_port(router.gateway->port_id);
    router.gateway.reset();
  }
  if (!request) return std::nullopt;
  const Network* network = state.find_network(request->network_id);
  if (!network) {
    return ModelError::not_found("NetworkNotFound", "Network " + request->network_id + " could not be found.");
  }
  if (!network->external) {
    return bad_router_request("Network " + network->id + " is not an external network "
                              "(external_gateway_info.network_id needs router:external true).");
  }
  PortCreate port;
  port.project_id = router.project_id;
  port.network_id = network->id;
  port.device_id = router.id;
  port.device_owner = kOwnerRouterGateway;
  port.fixed_ips = request->external_fixed_ips;
  Port created;
  if (Status e = create_port(tx, port, created)) return e;
  if (created.fixed_ips.empty()) {
    return bad_router_request("No IP address is available for the router's gateway on external network " +
                              network->id + " (it has no subnet).");
  }
  router.gateway = ExternalGateway{network->id, request->enable_snat.value_or(true), created.id};
  return std::nullopt;
}

Status LogicalModel::create_router(Transaction& tx, const RouterCreate& request, Router& created) {
  Router r;
  r.id = make_uuid();
  r.name = request.name;
  r.project_id = request.project_id;
  r.description = request.description;
  r.admin_state_up = request.admin_state_up;
  if (request.gateway) {
    if (Status e = set_router_gateway(tx, r, request.gateway)) return e;
  }
  if (request.routes) {
    r.routes = *request.routes;
    if (Status e = check_routes(tx.state(), r)) return e;
  }
  r.created_at = r.updated_at = utc_timestamp_now();
  tx.put_router(r);
  created = r;
  return std::nullopt;
}

RouterView LogicalModel::router_view(const Router& router) const {
  RouterView view{router, {}};
  if (router.gateway) {
    if (const Port* port = state_.find_port(router.gateway->port_id)) view.external_fixed_ips = port->fixed_ips;
  }
  return view;
}

std::vector<RouterView> LogicalModel::list_routers() const {
  std::shared_lock lock(mutex_);
  std::vector<RouterView> out;
  for (const auto& [id, r] : state_.routers()) out.push_back(router_view(r));
  return out;
}

Result<RouterView> LogicalModel::show_router(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const Router* r = state_.find_router(id);
  if (!r) return router_not_found(id);
  return router_view(*r);
}

Result<std::vector<RouterView>> LogicalModel::create_routers(const std::vector<RouterCreate>& requests) {
  std::vector<RouterView> views;
  Status error = run_write([&](Transaction& tx) -> Status {
    for (const auto& request : requests) {
      Router created;
      if (Status e = create_router(tx, request, created)) return e;
      views.push_back(router_view(created));
    }
    return std::nullopt;
  });
  if (error) return *error;
  return views;
}

Result<RouterView> LogicalModel::update_router(const std::string& id, const RouterUpdate& update) {
  RouterView view;
  Status error = run_write([&](Transaction& tx) -> Status {
    const Router* current = tx.state().find_router(id);
    if (!current) return router_not_found(id);
    Router r = *current;
    if (update.gateway) {
      if (Status e = set_router_gateway(tx, r, *update.gateway)) return e;
    }
    if (update.routes) r.routes = *update.routes;
    // Routes are checked against the router as it will be: a gateway change may have
    // taken the subnet a nexthop was on.
    if (update.routes || update.gateway) {
      if (Status e = check_routes(tx.state(), r)) return e;
    }
    if (update.name) r.name = *update.name;
    if (update.description) r.description = *update.description;
    if (update.admin_state_up) r.admin_state_up = *update.admin_state_up;
    r.updated_at = utc_timestamp_now();
    ++r.revision_number;
    tx.put_router(r);
    view = router_view(r);
    return std::nullopt;
  });
  if (error) return *error;
  return view;
}

Status LogicalModel::delete_router(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    const Router* current = tx.state().find_router(id);
    if (!current) return router_not_found(id);
    if (!router_interface_ports(tx.state(), id).empty()) {
      return ModelError::conflict("RouterInUse", "Router " + id + " still has ports");
    }
    Router r = *current;
    if (r.gateway) {
      if (!floating_ips_via(tx.state(), id).empty()) return gateway_in_use_by_floating_ips(r);
      tx.erase_port(r.gateway->port_id);
    }
    tx.erase_router(id);
    return std::nullopt;
  });
}

std::vector<L3AgentView> LogicalModel::gateway_agents(const Router& router) const {
  std::vector<L3AgentView> out;
  if (!router.gateway) return out;
  const Network* external = state_.find_network(router.gateway->network_id);
  std::vector<GatewayCandidate> candidates;
  std::map<std::string, const Agent*> by_host;
  for (const auto& [id, agent] : state_.agents()) {
    if (agent.kind != HostKind::kAgent || !agent.gateway) continue;
    // A host that cannot reach the external segment cannot serve it.
    if (external != nullptr && !external->physical_network.empty() &&
        !agent_maps_physnet(agent, external->physical_network)) {
      continue;
    }
    candidates.push_back({agent.host, agent.gateway_priority, agent_alive(agent.host)});
    by_host[agent.host] = &agent;
  }
  const std::optional<size_t> active = elect_gateway(candidates);
  for (size_t i = 0; i < candidates.size(); ++i) {
    out.push_back({agent_view(*by_host.at(candidates[i].host)), active == i ? "active" : "standby"});
  }
  return out;
}

Result<std::vector<L3AgentView>> LogicalModel::router_l3_agents(const std::string& id) const {
  std::shared_lock lock(mutex_);
  std::lock_guard live(liveness_mutex_);
  const Router* r = state_.find_router(id);
  if (!r) return router_not_found(id);
  return gateway_agents(*r);
}

}  // namespace overcast::controller

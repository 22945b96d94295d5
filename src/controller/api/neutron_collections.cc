#include "controller/api/neutron_collections.h"

#include "controller/api/request_parsers.h"
#include "controller/api/resource_views.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
// Parses every body of a (bulk) create before the model sees any, so a bad entry
// fails the whole request without side effects.
template <class Request, class Parse>
Result<std::vector<Request>> parse_all(const std::vector<json>& bodies, const std::string& project, Parse parse) {
  std::vector<Request> requests;
  for (const auto& body : bodies) {
    auto request = parse(body, project);
    if (!request) return request.error();
    requests.push_back(std::move(request.value()));
  }
  return requests;
}

template <class View, class Render>
Result<std::vector<json>> render_all(const Result<std::vector<View>>& views, Render render) {
  if (!views) return views.error();
  std::vector<json> out;
  for (const auto& view : views.value()) out.push_back(render(view));
  return out;
}

template <class View, class Render>
Result<json> render_one(const Result<View>& view, Render render) {
  if (!view) return view.error();
  return render(view.value());
}
}  // namespace

Collection network_collection(LogicalModel& model) {
  Collection c{"network", "networks", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_networks()) out.push_back(network_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_network(id), network_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<NetworkCreate>(bodies, project, parse_network_create);
    if (!requests) return requests.error();
    return render_all(model.create_networks(requests.value()), network_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_network_update(body);
    if (!update) return update.error();
    return render_one(model.update_network(id, update.value()), network_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_network(id); };
  return c;
}

Collection subnet_collection(LogicalModel& model) {
  Collection c{"subnet", "subnets", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& subnet : model.list_subnets()) out.push_back(subnet_json(subnet));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_subnet(id), subnet_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<SubnetCreate>(bodies, project, parse_subnet_create);
    if (!requests) return requests.error();
    return render_all(model.create_subnets(requests.value()), subnet_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_subnet_update(body);
    if (!update) return update.error();
    return render_one(model.update_subnet(id, update.value()), subnet_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_subnet(id); };
  return c;
}

Collection port_collection(LogicalModel& model) {
  Collection c{"port", "ports", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_ports()) out.push_back(port_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_port(id), port_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<PortCreate>(bodies, project, parse_port_create);
    if (!requests) return requests.error();
    return render_all(model.create_ports(requests.value()), port_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_port_update(body);
    if (!update) return update.error();
    return render_one(model.update_port(id, update.value()), port_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_port(id); };
  return c;
}

Collection agent_collection(LogicalModel& model) {
  // Agents register themselves over the southbound; the API lists and removes them, and
  // creates only static (agentless) VTEPs (the overcast-static-vtep extension).
  Collection c{"agent", "agents", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_agents()) out.push_back(agent_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_agent(id), agent_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<StaticVtepCreate>(bodies, project, parse_static_vtep_create);
    if (!requests) return requests.error();
    return render_all(model.create_static_vteps(requests.value()), agent_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_agent(id); };
  return c;
}

Collection router_collection(LogicalModel& model) {
  Collection c{"router", "routers", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_routers()) out.push_back(router_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_router(id), router_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<RouterCreate>(bodies, project, parse_router_create);
    if (!requests) return requests.error();
    return render_all(model.create_routers(requests.value()), router_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_router_update(body);
    if (!update) return update.error();
    return render_one(model.update_router(id, update.value()), router_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_router(id); };
  return c;
}

Collection floating_ip_collection(LogicalModel& model) {
  Collection c{"floatingip", "floatingips", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_floating_ips()) out.push_back(floating_ip_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_floating_ip(id), floating_ip_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<FloatingIpCreate>(bodies, project, parse_floating_ip_create);
    if (!requests) return requests.error();
    return render_all(model.create_floating_ips(requests.value()), floating_ip_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_floating_ip_update(body);
    if (!update) return update.error();
    return render_one(model.update_floating_ip(id, update.value()), floating_ip_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_floating_ip(id); };
  return c;
}

Collection security_group_collection(LogicalModel& model) {
  Collection c{"security_group", "security_groups", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& view : model.list_security_groups()) out.push_back(security_group_json(view));
    return out;
  };
  c.show = [&model](const std::string& id) { return render_one(model.show_security_group(id), security_group_json); };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<SecurityGroupCreate>(bodies, project, parse_security_group_create);
    if (!requests) return requests.error();
    // A project's first look at its groups finds its default one, as in Neutron.
    for (const auto& request : requests.value()) {
      if (request.name == "default") continue;
      if (Status e = model.ensure_default_security_group(request.project_id)) return *e;
    }
    return render_all(model.create_security_groups(requests.value()), security_group_json);
  };
  c.update = [&model](const std::string& id, const json& body) -> Result<json> {
    auto update = parse_security_group_update(body);
    if (!update) return update.error();
    return render_one(model.update_security_group(id, update.value()), security_group_json);
  };
  c.remove = [&model](const std::string& id) { return model.delete_security_group(id); };
  c.before_list = [&model](const std::string& project) { return model.ensure_default_security_group(project); };
  return c;
}

Collection security_group_rule_collection(LogicalModel& model) {
  Collection c{"security_group_rule", "security_group_rules", {}, {}, {}, {}, {}, {}};
  c.list = [&model] {
    std::vector<json> out;
    for (const auto& rule : model.list_security_group_rules()) out.push_back(security_group_rule_json(rule));
    return out;
  };
  c.show = [&model](const std::string& id) {
    return render_one(model.show_security_group_rule(id), security_group_rule_json);
  };
  c.create = [&model](const std::vector<json>& bodies, const std::string& project) -> Result<std::vector<json>> {
    auto requests = parse_all<SecurityGroupRuleCreate>(bodies, project, parse_security_group_rule_create);
    if (!requests) return requests.error();
    return render_all(model.create_security_group_rules(requests.value()), security_group_rule_json);
  };
  // Rules are immutable in Neutron: no update.
  c.remove = [&model](const std::string& id) { return model.delete_security_group_rule(id); };
  c.before_list = [&model](const std::string& project) { return model.ensure_default_security_group(project); };
  return c;
}

}  // namespace overcast::controller::api

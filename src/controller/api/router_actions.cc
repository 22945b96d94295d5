// The router member actions that are not plain collection verbs.
#include "controller/api/http_io.h"
#include "controller/api/neutron_collections.h"
#include "controller/api/request_parsers.h"
#include "controller/api/resource_views.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
void handle_interface(LogicalModel& model, bool adding, const httplib::Request& req, httplib::Response& res) {
  auto body = read_json_object(req);
  if (!body) return send_error(res, body.error());
  auto request = parse_router_interface(body.value());
  if (!request) return send_error(res, request.error());
  const std::string id = req.matches[1];
  auto info = adding ? model.add_router_interface(id, request.value())
                     : model.remove_router_interface(id, request.value());
  if (!info) return send_error(res, info.error());
  send_json(res, 200, router_interface_json(info.value()));
}
}  // namespace

void add_router_action_routes(httplib::Server& server, LogicalModel& model) {
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) { send_method_not_allowed(res); };
  for (const bool adding : {true, false}) {
    const std::string path =
        std::string("/v2\\.0/routers/([^/]+)/") + (adding ? "add_router_interface" : "remove_router_interface");
    server.Put(path, [&model, adding](const httplib::Request& req, httplib::Response& res) {
      handle_interface(model, adding, req, res);
    });
    server.Get(path, not_allowed);
    server.Post(path, not_allowed);
    server.Delete(path, not_allowed);
    server.Patch(path, not_allowed);
  }
  const std::string l3_agents = "/v2\\.0/routers/([^/]+)/l3-agents/?";
  server.Get(l3_agents, [&model](const httplib::Request& req, httplib::Response& res) {
    auto agents = model.router_l3_agents(req.matches[1]);
    if (!agents) return send_error(res, agents.error());
    json list = json::array();
    for (const auto& agent : agents.value()) list.push_back(l3_agent_json(agent));
    send_json(res, 200, json{{"agents", list}});
  });
  // Scheduling follows the gateway hosts' priorities and liveness: no manual binding.
  server.Post(l3_agents, not_allowed);
  server.Put(l3_agents, not_allowed);
  server.Delete(l3_agents, not_allowed);
  server.Patch(l3_agents, not_allowed);
}

}  // namespace overcast::controller::api

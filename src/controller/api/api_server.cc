#include "controller/api/api_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "controller/api/collection_routes.h"
#include "controller/api/http_io.h"
#include "controller/api/neutron_collections.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {

struct Extension {
  const char* alias;
  const char* name;
  const char* description;
};

// Only what Overcast really implements: clients probe these to decide what to send.
constexpr Extension kExtensions[] = {
    {"agent", "agent", "The agent management extension."},
    {"binding", "Port Binding", "Expose port bindings of a virtual port to external application."},
    {"allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs."},
    {"external-net", "Neutron external network", "Adds external network attribute to network resource."},
    {"ext-gw-mode", "Neutron L3 Configurable external gateway mode",
     "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway"},
    {"extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"},
    {"l3-ha", "HA Router extension", "Adds HA capability to routers."},
    {"l3_agent_scheduler", "L3 Agent Scheduler", "Schedule routers among l3 agents"},
    {"net-mtu", "Network MTU", "Provides MTU attribute for a network resource."},
    {"net-mtu-writable", "Network MTU (writable)", "Provides a writable MTU attribute for a network resource."},
    {"port-security", "Port Security", "Provides port security."},
    {"provider", "Provider Network", "Expose mapping of virtual networks to physical networks."},
    {"router", "Neutron L3 Router",
     "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via "
     "a NAT gateway."},
    {"security-group", "security-group", "The security groups extension."},
    {"project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."},
    {"standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes."},
    {"standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number of neutron resources."},
    {"standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron resources."},
    // Overcast's own: POST /v2.0/agents declares a VTEP that runs no agent.
    {"overcast-static-vtep", "Overcast static VTEP",
     "Allows POST on agents with agent_type 'Static VTEP' to declare an agentless VTEP (e.g. a kernel VXLAN "
     "device) by host name and tunneling_ip; ports bound to its host are reached over VXLAN at that address."},
};

json extension_json(const Extension& e) {
  return json{{"alias", e.alias}, {"name", e.name}, {"description", e.description},
              {"updated", "2026-01-01T00:00:00-00:00"}, {"links", json::array()}};
}

void allow_only_get(httplib::Server& server, const std::string& path, httplib::Server::Handler get) {
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) { send_method_not_allowed(res); };
  server.Get(path, std::move(get));
  server.Post(path, not_allowed);
  server.Put(path, not_allowed);
  server.Delete(path, not_allowed);
  server.Patch(path, not_allowed);
}

}  // namespace

ApiServer::ApiServer(LogicalModel& model, ApiConfig config)
    : model_(model), config_(std::move(config)), server_(std::make_unique<httplib::Server>()) {
  const size_t threads = config_.worker_threads == 0 ? 1 : config_.worker_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(config_.max_body_bytes);
  register_routes();
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::register_routes() {
  httplib::Server& s = *server_;
  allow_only_get(s, "/", [](const httplib::Request& req, httplib::Response& res) {
    json version{{"id", "v2.0"}, {"status", "CURRENT"},
                 {"links", json::array({{{"href", base_url(req) + "/v2.0/"}, {"rel", "self"}}})}};
    send_json(res, 200, json{{"versions", json::array({version})}});
  });
  allow_only_get(s, "/v2\\.0/?", [](const httplib::Request& req, httplib::Response& res) {
    json resources = json::array();
    for (const auto& [singular, plural] :
         {std::pair{"network", "networks"}, std::pair{"subnet", "subnets"}, std::pair{"port", "ports"},
          std::pair{"agent", "agents"}, std::pair{"router", "routers"}, std::pair{"floatingip", "floatingips"},
          std::pair{"security_group", "security-groups"},
          std::pair{"security_group_rule", "security-group-rules"}}) {
      resources.push_back({{"name", singular}, {"collection", plural},
                           {"links", json::array({{{"href", base_url(req) + "/v2.0/" + plural},
                                                   {"rel", "self"}}})}});
    }
    send_json(res, 200, json{{"resources", resources}});
  });
  allow_only_get(s, "/v2\\.0/extensions/?", [](const httplib::Request& req, httplib::Response& res) {
    json list = json::array();
    for (const auto& e : kExtensions) {
      json item = extension_json(e);
      // openstacksdk's find falls back to listing with ?name=...; honor alias/name filters.
      bool keep = true;
      for (const char* key : {"alias", "name"}) {
        if (req.has_param(key) && req.get_param_value(key) != item[key].get<std::string>()) keep = false;
      }
      if (keep) list.push_back(std::move(item));
    }
    send_json(res, 200, json{{"extensions", list}});
  });
  allow_only_get(s, "/v2\\.0/extensions/([^/]+)", [](const httplib::Request& req, httplib::Response& res) {
    const std::string alias = req.matches[1];
    for (const auto& e : kExtensions) {
      if (alias == e.alias) return send_json(res, 200, json{{"extension", extension_json(e)}});
    }
    send_error(res, ModelError::not_found("ExtensionNotFound", "Extension with alias " + alias + " does not exist"));
  });
  add_collection_routes(s, network_collection(model_), config_.default_project);
  add_collection_routes(s, subnet_collection(model_), config_.default_project);
  add_collection_routes(s, port_collection(model_), config_.default_project);
  add_collection_routes(s, agent_collection(model_), config_.default_project);
  add_router_action_routes(s, model_);
  add_collection_routes(s, router_collection(model_), config_.default_project);
  add_collection_routes(s, floating_ip_collection(model_), config_.default_project);
  add_collection_routes(s, security_group_collection(model_), config_.default_project);
  add_collection_routes(s, security_group_rule_collection(model_), config_.default_project);

  // Unrouted paths get Neutron's envelope too (httplib calls this for any status >= 400;
  // handlers that already wrote an error body keep it).
  s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 404) {
      send_error(res, ModelError{404, "HTTPNotFound", "The resource " + req.path + " could not be found."});
    } else {
      // Refused by the HTTP layer before any handler ran (413 for a body over the limit,
      // 400 for a malformed request line...): say which status, not "not found".
      send_error(res, ModelError{res.status, "HTTPError",
                                 "Request " + req.method + " " + req.path + " refused by the HTTP layer with status " +
                                     std::to_string(res.status) + (res.status == 413 ? " (body too large)." : ".")});
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("API {} {} failed: {}", req.method, req.path, what);
    send_error(res, ModelError{500, "HTTPInternalServerError", "Request failed: internal server error."});
  });
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("API {} {} -> {}", req.method, req.path, res.status);
  });
}

bool ApiServer::start(const std::string& host, int port, std::string& error) {
  if (thread_.joinable()) {
    error = "API server already started";
    return false;
  }
  const bool bound = port == 0 ? (port_ = server_->bind_to_any_port(host)) > 0
                               : server_->bind_to_port(host, port) && (port_ = port) > 0;
  if (!bound) {
    error = "cannot bind the API to " + host + ":" + std::to_string(port);
    return false;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("Neutron API listening on http://{}:{}/", host, port_);
  return true;
}

void ApiServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace overcast::controller::api

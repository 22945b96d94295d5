#include "bench/scale/load/neutron_load.h"

namespace overcast::bench {

namespace {
using nlohmann::json;

void expect(const cli::ApiResult& result, const std::string& what) {
  if (!result.ok()) {
    throw LoadError(what + ": HTTP " + std::to_string(result.status) + " " + result.error);
  }
}

CreatedPort created_port(const json& object) {
  CreatedPort port{object.at("id").get<std::string>(), {}};
  if (auto groups = object.find("security_groups"); groups != object.end() && groups->is_array()) {
    for (const auto& group : *groups) port.security_groups.push_back(group.get<std::string>());
  }
  return port;
}

json port_body(const PortRequest& port) {
  return json{{"name", port.name},
              {"project_id", port.project},
              {"network_id", port.network_id},
              {"binding:host_id", port.host},
              {"device_owner", "compute:nova"}};
}
}  // namespace

json NeutronLoad::bulk_create_objects(const std::string& plural, const json& items) {
  auto result = client_.post("/v2.0/" + plural, json{{plural, items}});
  expect(result, "POST /v2.0/" + plural + " (" + std::to_string(items.size()) + ")");
  json created = std::move(result.body.at(plural));
  if (!created.is_array() || created.size() != items.size()) {
    throw LoadError("POST /v2.0/" + plural + ": the answer does not list every created object");
  }
  return created;
}

std::vector<std::string> NeutronLoad::bulk_create(const std::string& plural, const json& items) {
  std::vector<std::string> ids;
  for (const auto& object : bulk_create_objects(plural, items)) ids.push_back(object.at("id").get<std::string>());
  return ids;
}

std::vector<std::string> NeutronLoad::create_networks(const std::vector<NetworkRequest>& networks) {
  json items = json::array();
  for (const auto& n : networks) items.push_back(json{{"name", n.name}, {"project_id", n.project}});
  return bulk_create("networks", items);
}

std::vector<std::string> NeutronLoad::create_subnets(const std::vector<std::string>& network_ids,
                                                     const std::vector<std::string>& projects,
                                                     const std::string& cidr) {
  json items = json::array();
  for (size_t i = 0; i < network_ids.size(); ++i) {
    items.push_back(json{{"network_id", network_ids[i]},
                         {"project_id", projects.at(i)},
                         {"ip_version", 4},
                         {"cidr", cidr},
                         {"enable_dhcp", false}});
  }
  return bulk_create("subnets", items);
}

std::vector<CreatedPort> NeutronLoad::create_ports(const std::vector<PortRequest>& ports) {
  json items = json::array();
  for (const auto& port : ports) items.push_back(port_body(port));
  std::vector<CreatedPort> created;
  for (const auto& object : bulk_create_objects("ports", items)) created.push_back(created_port(object));
  return created;
}

CreatedPort NeutronLoad::create_port(const PortRequest& port) {
  auto result = client_.post("/v2.0/ports", json{{"port", port_body(port)}});
  expect(result, "POST /v2.0/ports");
  return created_port(result.body.at("port"));
}

void NeutronLoad::move_port(const std::string& port_id, const std::string& host) {
  expect(client_.put("/v2.0/ports/" + port_id, json{{"port", {{"binding:host_id", host}}}}),
         "PUT /v2.0/ports/" + port_id);
}

void NeutronLoad::delete_port(const std::string& port_id) {
  expect(client_.del("/v2.0/ports/" + port_id), "DELETE /v2.0/ports/" + port_id);
}

bool NeutronLoad::ready() const { return client_.get("/v2.0/networks?limit=1").status == 200; }

}  // namespace overcast::bench

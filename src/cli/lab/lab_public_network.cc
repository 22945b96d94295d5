#include "cli/lab/lab_public_network.h"

#include "cli/lab/lab_error.h"
#include "cli/lab/lab_plan.h"

namespace overcast::cli::lab {
namespace {

std::string failure(const ApiResult& result) {
  return result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error;
}

// The object named `name` in `collection`, created with `body` when there is none.
nlohmann::json find_or_create(const NeutronClient& client, const std::string& collection,
                              const std::string& name, const nlohmann::json& body, std::ostream& log) {
  const ApiResult found = client.lookup(collection, name);
  if (found.ok()) return found.body;
  if (found.status != 404) {
    throw LabError("cannot look up " + singular_of(collection) + " " + name + " at " + client.endpoint() +
                   ": " + failure(found));
  }
  const ApiResult created = client.post("/v2.0/" + collection, body);
  const std::string key = singular_of(collection);
  if (!created.ok() || !created.body.contains(key)) {
    throw LabError("cannot create " + key + " " + name + " at " + client.endpoint() + ": " + failure(created));
  }
  log << key << " " << name << ": created (" << created.body[key].value("id", "?") << ")\n";
  return created.body[key];
}

}  // namespace

nlohmann::json public_network_request() {
  return {{"network",
           {{"name", kPublicNetworkName},
            {"router:external", true},
            {"shared", false},
            {"provider:network_type", "flat"},
            {"provider:physical_network", kPhysicalNetwork}}}};
}

nlohmann::json public_subnet_request(const std::string& network_id) {
  return {{"subnet",
           {{"name", kPublicSubnetName},
            {"network_id", network_id},
            {"ip_version", 4},
            {"cidr", kExternalCidr},
            {"gateway_ip", kExternalHostIp},
            {"enable_dhcp", false}}}};
}

std::string ensure_public_network(const NeutronClient& client, std::ostream& log) {
  const auto network = find_or_create(client, "networks", kPublicNetworkName, public_network_request(), log);
  const std::string id = network.value("id", "");
  if (id.empty()) throw LabError("network " + std::string(kPublicNetworkName) + " has no id: " + network.dump());
  find_or_create(client, "subnets", kPublicSubnetName, public_subnet_request(id), log);
  return id;
}

}  // namespace overcast::cli::lab

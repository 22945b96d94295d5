// The cloud's side of the bench: Neutron v2.0 calls over HTTP, as an OpenStack
// cloud makes them (bulk creates for the initial build, single calls for churn).
// Every call returns the ids it made or throws LoadError with the API's answer.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "cli/client/neutron_client.h"

namespace overcast::bench {

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct NetworkRequest {
  std::string name, project;
};
struct PortRequest {
  std::string name, project, network_id, host;
};
struct CreatedPort {
  std::string id;
  std::vector<std::string> security_groups;  // the API's choice: the project's default group
};

class NeutronLoad {
 public:
  explicit NeutronLoad(const std::string& endpoint) : client_(endpoint) {}

  std::vector<std::string> create_networks(const std::vector<NetworkRequest>& networks);
  // One IPv4 subnet per network (the same CIDR in each: tenants' address spaces overlap).
  // Returns the subnets' ids, in the order of `network_ids`.
  std::vector<std::string> create_subnets(const std::vector<std::string>& network_ids,
                                          const std::vector<std::string>& projects, const std::string& cidr);
  std::vector<CreatedPort> create_ports(const std::vector<PortRequest>& ports);
  CreatedPort create_port(const PortRequest& port);
  void move_port(const std::string& port_id, const std::string& host);
  void delete_port(const std::string& port_id);
  // True once the API answers at all.
  bool ready() const;

 private:
  std::vector<std::string> bulk_create(const std::string& plural, const nlohmann::json& items);
  nlohmann::json bulk_create_objects(const std::string& plural, const nlohmann::json& items);
  cli::NeutronClient client_;
};

}  // namespace overcast::bench

// One Neutron collection (networks, subnets, ports, agents) served over HTTP the same
// way: list with filters/fields/paging, show, create (single and bulk), update, delete.
// The descriptor's functions do the work; an absent function means the method is not
// allowed (405).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "controller/model/model_error.h"

namespace overcast::controller::api {

struct Collection {
  std::string singular;  // "network"
  std::string plural;    // "networks", "security_groups" (the path has dashes: security-groups)
  std::function<std::vector<nlohmann::json>()> list;
  std::function<Result<nlohmann::json>(const std::string& id)> show;
  std::function<Result<std::vector<nlohmann::json>>(const std::vector<nlohmann::json>& bodies,
                                                    const std::string& project)>
      create;
  std::function<Result<nlohmann::json>(const std::string& id, const nlohmann::json& body)> update;
  std::function<Status(const std::string& id)> remove;
  // Called with the caller's project before a list; may be empty. Security groups use
  // it to create the project's default group on first sight, as Neutron does.
  std::function<Status(const std::string& project)> before_list;
};

// The project a request acts for: X-Project-Id or X-Tenant-Id, else `default_project`.
std::string project_of(const httplib::Request& req, const std::string& default_project);

// Registers /v2.0/<plural> and /v2.0/<plural>/<id>. `default_project` applies when a
// create names no project and the request has no X-Project-Id header.
void add_collection_routes(httplib::Server& server, const Collection& collection,
                           const std::string& default_project);

// A 405 with Neutron's envelope.
void send_method_not_allowed(httplib::Response& res);

}  // namespace overcast::controller::api

// Readers shared by the request parsers of several resources.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/api/attribute_reader.h"
#include "controller/model/requests.h"

namespace overcast::controller::api {

// Attributes every resource shows but no request may set.
inline const std::set<std::string> kAlwaysReadOnly = {"id", "status", "created_at", "updated_at",
                                                      "revision_number", "tags"};

// tenant_id / project_id (the same if both), else `default_project`.
Status read_project(const AttributeReader& reader, const std::string& default_project, std::string& project);
// 400 for any of kAlwaysReadOnly in a POST.
Status refuse_create_only(const AttributeReader& reader);
// [{"destination": CIDR, "nexthop": IP}] under `key` (host_routes, routes; routes may be null: none).
Status read_routes(const AttributeReader& reader, std::optional<std::vector<HostRoute>>& out, const std::string& key);
// [{"subnet_id"?, "ip_address"?}] under `key` (fixed_ips, external_fixed_ips); null: none.
Status read_fixed_ips(const AttributeReader& reader, std::optional<std::vector<FixedIpRequest>>& out,
                      const std::string& key);

}  // namespace overcast::controller::api

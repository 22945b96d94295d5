// The query string of a Neutron list request: attribute filters (a repeated key means
// OR, different keys AND), `fields` selection, and limit/marker paging.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controller/model/model_error.h"

namespace overcast::controller::api {

struct ListQuery {
  std::map<std::string, std::vector<std::string>> filters;
  std::vector<std::string> fields;  // empty: every attribute
  std::optional<size_t> limit;
  std::optional<std::string> marker;
};

// `params` as the HTTP server decoded them (repeated keys kept).
Result<ListQuery> parse_list_query(const std::multimap<std::string, std::string>& params);

// Whether a rendered resource passes every filter. Filters on attributes the resource
// does not have are ignored, as Neutron does without its filter-validation extension.
bool matches_filters(const nlohmann::json& item, const ListQuery& query);

// Keeps only the requested attributes (all of them when `fields` is empty).
nlohmann::json select_fields(const nlohmann::json& item, const std::vector<std::string>& fields);

}  // namespace overcast::controller::api

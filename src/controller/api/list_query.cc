#include "controller/api/list_query.h"

#include <algorithm>
#include <charconv>

namespace overcast::controller::api {

using nlohmann::json;

namespace {

// Query parameters that steer the listing rather than filter it.
const std::set<std::string> kControlKeys = {"fields", "limit", "marker", "page_reverse", "sort_key", "sort_dir"};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool scalar_matches(const json& value, const std::string& wanted) {
  if (value.is_string()) return value.get<std::string>() == wanted;
  if (value.is_boolean()) {
    const std::string w = lower(wanted);
    return value.get<bool>() ? (w == "true" || w == "1") : (w == "false" || w == "0");
  }
  if (value.is_number()) return value.dump() == wanted;
  if (value.is_null()) return wanted.empty() || wanted == "None" || wanted == "null";
  return false;
}

// fixed_ips filters read "ip_address=10.0.0.5" or "subnet_id=<id>".
bool fixed_ips_match(const json& fixed_ips, const std::string& wanted) {
  const size_t eq = wanted.find('=');
  if (eq == std::string::npos) return false;
  const std::string key = wanted.substr(0, eq);
  const std::string value = wanted.substr(eq + 1);
  for (const auto& entry : fixed_ips) {
    if (key == "ip_address_substr") {
      if (entry.value("ip_address", "").find(value) != std::string::npos) return true;
    } else if (entry.contains(key) && entry[key].is_string() && entry[key].get<std::string>() == value) {
      return true;
    }
  }
  return false;
}

bool value_matches(const std::string& key, const json& value, const std::string& wanted) {
  if (key == "fixed_ips") return fixed_ips_match(value, wanted);
  if (value.is_array()) {
    return std::any_of(value.begin(), value.end(), [&](const json& v) { return scalar_matches(v, wanted); });
  }
  return scalar_matches(value, wanted);
}

}  // namespace

Result<ListQuery> parse_list_query(const std::multimap<std::string, std::string>& params) {
  ListQuery query;
  for (const auto& [key, value] : params) {
    if (key == "fields") {
      query.fields.push_back(value);
    } else if (key == "limit") {
      size_t limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
        return ModelError::bad_request("Invalid input for limit. Reason: '" + value + "' is not an integer.");
      }
      if (limit > 0) query.limit = limit;  // Neutron: limit=0 means no limit
    } else if (key == "marker") {
      query.marker = value;
    } else if (!kControlKeys.contains(key)) {
      query.filters[key].push_back(value);
    }
  }
  return query;
}

bool matches_filters(const json& item, const ListQuery& query) {
  for (const auto& [key, wanted] : query.filters) {
    if (!item.contains(key)) continue;
    const json& value = item[key];
    const bool any = std::any_of(wanted.begin(), wanted.end(),
                                 [&](const std::string& w) { return value_matches(key, value, w); });
    if (!any) return false;
  }
  return true;
}

json select_fields(const json& item, const std::vector<std::string>& fields) {
  if (fields.empty()) return item;
  json out = json::object();
  for (const auto& field : fields) {
    if (item.contains(field)) out[field] = item[field];
  }
  return out;
}

}  // namespace overcast::controller::api

#include "controller/api/attribute_reader.h"

#include <charconv>

namespace overcast::controller::api {

using nlohmann::json;

ModelError invalid_input(const std::string& key, const std::string& reason) {
  return ModelError::bad_request("Invalid input for " + key + ". Reason: " + reason);
}

namespace {
std::string shown(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }
}  // namespace

Status AttributeReader::check_known(const std::set<std::string>& known) const {
  std::string unknown;
  for (const auto& [key, value] : body_.items()) {
    if (known.contains(key)) continue;
    unknown += (unknown.empty() ? "" : ", ") + key;
  }
  if (unknown.empty()) return std::nullopt;
  return ModelError{400, "HTTPBadRequest", "Unrecognized attribute(s) '" + unknown + "'"};
}

Status AttributeReader::check_not_updated(const std::set<std::string>& read_only) const {
  for (const auto& [key, value] : body_.items()) {
    if (read_only.contains(key)) return ModelError::bad_request("Cannot update read-only attribute " + key);
  }
  return std::nullopt;
}

Status AttributeReader::require(const std::string& key) const {
  if (body_.contains(key)) return std::nullopt;
  return ModelError::bad_request("Failed to parse request. Required attribute '" + key + "' not specified");
}

Status AttributeReader::read_string(const std::string& key, std::optional<std::string>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  if (!value.is_string()) return invalid_input(key, "'" + shown(value) + "' is not a valid string");
  constexpr size_t kMaxLength = 255;
  const auto text = value.get<std::string>();
  if (text.size() > kMaxLength && key != "description") {
    return invalid_input(key, "'" + text.substr(0, 32) + "...' exceeds maximum length of 255");
  }
  out = text;
  return std::nullopt;
}

Status AttributeReader::read_string(const std::string& key, std::string& out) const {
  std::optional<std::string> value;
  if (Status e = read_string(key, value)) return e;
  if (value) out = *value;
  return std::nullopt;
}

Status AttributeReader::read_nullable_string(const std::string& key,
                                             std::optional<std::optional<std::string>>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  if (body_.at(key).is_null()) {
    out = std::optional<std::string>{};
    return std::nullopt;
  }
  std::optional<std::string> value;
  if (Status e = read_string(key, value)) return e;
  out = value;
  return std::nullopt;
}

Status AttributeReader::read_bool(const std::string& key, std::optional<bool>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  if (value.is_boolean()) {
    out = value.get<bool>();
    return std::nullopt;
  }
  // Neutron's convert_to_boolean: "true"/"false" in any case, "1"/"0", 1/0.
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "true" || text == "1") { out = true; return std::nullopt; }
    if (text == "false" || text == "0") { out = false; return std::nullopt; }
  }
  if (value.is_number_integer() && (value.get<int64_t>() == 0 || value.get<int64_t>() == 1)) {
    out = value.get<int64_t>() == 1;
    return std::nullopt;
  }
  return invalid_input(key, "'" + shown(value) + "' cannot be converted to boolean");
}

Status AttributeReader::read_bool(const std::string& key, bool& out) const {
  std::optional<bool> value;
  if (Status e = read_bool(key, value)) return e;
  if (value) out = *value;
  return std::nullopt;
}

Status AttributeReader::read_int(const std::string& key, std::optional<int64_t>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return invalid_input(key, "'" + shown(value) + "' is out of range");
    }
    out = value.get<int64_t>();
    return std::nullopt;
  }
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    int64_t parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (!text.empty() && ec == std::errc{} && end == text.data() + text.size()) {
      out = parsed;
      return std::nullopt;
    }
  }
  return invalid_input(key, "'" + shown(value) + "' is not an integer");
}

Status AttributeReader::read_string_list(const std::string& key,
                                         std::optional<std::vector<std::string>>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  if (!value.is_array()) return invalid_input(key, "'" + shown(value) + "' is not a list");
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.is_string()) return invalid_input(key, "'" + shown(item) + "' is not a valid string");
    items.push_back(item.get<std::string>());
  }
  out = std::move(items);
  return std::nullopt;
}

Status AttributeReader::read_object(const std::string& key, std::optional<json>& out) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  if (value.is_null()) {
    out = json::object();
    return std::nullopt;
  }
  if (!value.is_object()) return invalid_input(key, "'" + shown(value) + "' is not a dictionary");
  out = value;
  return std::nullopt;
}

Status AttributeReader::read_fixed(const std::string& key, const json& supported) const {
  if (!body_.contains(key)) return std::nullopt;
  const json& value = body_.at(key);
  bool same = value == supported;
  if (!same && supported.is_boolean()) {
    std::optional<bool> as_bool;
    same = !read_bool(key, as_bool) && as_bool == supported.get<bool>();
  }
  if (same) return std::nullopt;
  return invalid_input(key, "'" + shown(value) + "' is not supported by Overcast (only " + supported.dump() +
                                ")");
}

}  // namespace overcast::controller::api

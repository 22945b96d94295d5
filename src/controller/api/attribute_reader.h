// Reads the attributes of one resource body ({"network": {...}}'s inner object) the way
// Neutron's API layer does: it accepts numbers sent as strings ("1400") and booleans as
// "true"/"True", refuses unknown attributes, and every error names the attribute.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controller/model/model_error.h"

namespace overcast::controller::api {

class AttributeReader {
 public:
  explicit AttributeReader(const nlohmann::json& body) : body_(body) {}

  bool has(const std::string& key) const { return body_.contains(key); }
  const nlohmann::json& raw(const std::string& key) const { return body_.at(key); }

  // 400 "Unrecognized attribute(s) 'a, b'" for keys outside `known`.
  Status check_known(const std::set<std::string>& known) const;
  // 400 for any present key in `read_only` (an update touching what it may not).
  Status check_not_updated(const std::set<std::string>& read_only) const;
  // 400 unless `key` is present.
  Status require(const std::string& key) const;

  // Each leaves `out` untouched when the key is absent.
  Status read_string(const std::string& key, std::optional<std::string>& out) const;
  Status read_string(const std::string& key, std::string& out) const;
  // null is a value here: out = optional(nullopt).
  Status read_nullable_string(const std::string& key, std::optional<std::optional<std::string>>& out) const;
  Status read_bool(const std::string& key, std::optional<bool>& out) const;
  Status read_bool(const std::string& key, bool& out) const;
  Status read_int(const std::string& key, std::optional<int64_t>& out) const;
  Status read_string_list(const std::string& key, std::optional<std::vector<std::string>>& out) const;
  Status read_object(const std::string& key, std::optional<nlohmann::json>& out) const;
  // Accepts the attribute only with the one value we support (e.g. provider:network_type
  // "vxlan", router:external false); the message says what is supported.
  Status read_fixed(const std::string& key, const nlohmann::json& supported) const;

 private:
  const nlohmann::json& body_;
};

ModelError invalid_input(const std::string& key, const std::string& reason);

}  // namespace overcast::controller::api

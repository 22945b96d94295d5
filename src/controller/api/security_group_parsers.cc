// Request bodies of security groups and their rules (security-group extension).
#include "controller/api/attribute_reader.h"
#include "controller/api/parser_helpers.h"
#include "controller/api/request_parsers.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
const std::set<std::string> kGroupAttributes = {"name",       "description", "tenant_id",       "project_id",
                                                "stateful",   "security_group_rules", "shared", "id",
                                                "status",     "created_at",  "updated_at",      "revision_number",
                                                "tags"};

// An integer that may also be null (not given).
Status read_nullable_int(const AttributeReader& r, const std::string& key, std::optional<int64_t>& out) {
  if (r.has(key) && r.raw(key).is_null()) return std::nullopt;
  return r.read_int(key, out);
}

// protocol: a name, a number as text or as a JSON number, or null (any).
Status read_protocol(const AttributeReader& r, std::optional<std::string>& out) {
  if (!r.has("protocol") || r.raw("protocol").is_null()) return std::nullopt;
  const json& value = r.raw("protocol");
  if (value.is_number_integer()) {
    out = std::to_string(value.get<int64_t>());
    return std::nullopt;
  }
  return r.read_string("protocol", out);
}
}  // namespace

Result<SecurityGroupCreate> parse_security_group_create(const json& body, const std::string& default_project) {
  AttributeReader r(body);
  SecurityGroupCreate g;
  Status e = r.check_known(kGroupAttributes);
  if (!e) e = refuse_create_only(r);
  if (!e) e = r.check_not_updated({"security_group_rules"});
  if (!e) e = read_project(r, default_project, g.project_id);
  if (!e) e = r.read_string("name", g.name);
  if (!e) e = r.read_string("description", g.description);
  if (!e) e = r.read_bool("stateful", g.stateful);
  if (!e) e = r.read_fixed("shared", false);
  if (e) return *e;
  return g;
}

Result<SecurityGroupUpdate> parse_security_group_update(const json& body) {
  AttributeReader r(body);
  SecurityGroupUpdate g;
  Status e = r.check_known(kGroupAttributes);
  if (!e) e = r.check_not_updated({"tenant_id", "project_id", "security_group_rules", "id", "status", "created_at",
                                   "updated_at", "revision_number", "tags", "shared"});
  if (!e) e = r.read_string("name", g.name);
  if (!e) e = r.read_string("description", g.description);
  // A group's statefulness is fixed while it exists (its ports' connections depend on it).
  if (!e && r.has("stateful")) {
    std::optional<bool> stateful;
    e = r.read_bool("stateful", stateful);
    if (!e && stateful && !*stateful) e = invalid_input("stateful", "a stateful group cannot be made stateless");
  }
  if (e) return *e;
  return g;
}

Result<SecurityGroupRuleCreate> parse_security_group_rule_create(const json& body,
                                                                 const std::string& default_project) {
  AttributeReader r(body);
  SecurityGroupRuleCreate rule;
  std::optional<std::optional<std::string>> prefix, remote_group;
  Status e = r.check_known({"security_group_id", "direction", "ethertype", "protocol", "port_range_min",
                            "port_range_max", "remote_ip_prefix", "remote_group_id", "remote_address_group_id",
                            "description", "tenant_id", "project_id", "normalized_cidr", "belongs_to_default_sg",
                            "id", "status", "created_at", "updated_at", "revision_number", "tags"});
  if (!e) e = refuse_create_only(r);
  if (!e) e = r.check_not_updated({"normalized_cidr", "belongs_to_default_sg"});
  if (!e) e = r.require("security_group_id");
  if (!e) e = r.require("direction");
  if (!e) e = read_project(r, default_project, rule.project_id);
  if (!e) e = r.read_string("security_group_id", rule.security_group_id);
  if (!e) e = r.read_string("direction", rule.direction);
  if (!e) e = r.read_string("ethertype", rule.ethertype);
  if (!e) e = read_protocol(r, rule.protocol);
  if (!e) e = read_nullable_int(r, "port_range_min", rule.port_range_min);
  if (!e) e = read_nullable_int(r, "port_range_max", rule.port_range_max);
  if (!e) e = r.read_nullable_string("remote_ip_prefix", prefix);
  if (!e) e = r.read_nullable_string("remote_group_id", remote_group);
  if (!e) e = r.read_fixed("remote_address_group_id", nullptr);
  if (!e) e = r.read_string("description", rule.description);
  if (e) return *e;
  if (prefix && *prefix) rule.remote_ip_prefix = **prefix;
  if (remote_group && *remote_group) rule.remote_group_id = **remote_group;
  return rule;
}

}  // namespace overcast::controller::api

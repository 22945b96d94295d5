// Security groups and rules as Neutron shows them.
#include "controller/api/resource_views.h"
#include "controller/model/security_group_rules.h"

namespace overcast::controller::api {

using nlohmann::json;

namespace {
template <class T>
json nullable(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
}  // namespace

json security_group_rule_json(const SecurityGroupRule& r) {
  return json{{"id", r.id},
              {"security_group_id", r.security_group_id},
              {"tenant_id", r.project_id},
              {"project_id", r.project_id},
              {"direction", r.direction},
              {"ethertype", r.ethertype},
              {"protocol", nullable(r.protocol)},
              {"port_range_min", nullable(r.port_range_min)},
              {"port_range_max", nullable(r.port_range_max)},
              {"remote_ip_prefix", nullable(r.remote_ip_prefix)},
              {"remote_group_id", nullable(r.remote_group_id)},
              {"remote_address_group_id", nullptr},
              {"normalized_cidr", nullable(r.remote_ip_prefix)},
              {"description", r.description},
              {"tags", json::array()},
              {"created_at", r.created_at},
              {"updated_at", r.updated_at},
              {"revision_number", r.revision_number}};
}

json security_group_json(const SecurityGroupView& view) {
  const SecurityGroup& g = view.group;
  json rules = json::array();
  for (const auto& rule : view.rules) rules.push_back(security_group_rule_json(rule));
  return json{{"id", g.id},
              {"name", g.name},
              {"tenant_id", g.project_id},
              {"project_id", g.project_id},
              {"description", g.description},
              {"stateful", g.stateful},
              {"shared", false},
              {"security_group_rules", rules},
              {"tags", json::array()},
              {"created_at", g.created_at},
              {"updated_at", g.updated_at},
              {"revision_number", g.revision_number}};
}

}  // namespace overcast::controller::api

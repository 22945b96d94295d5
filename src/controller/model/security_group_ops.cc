// Security group and rule writes: the per-project default group, rule checks and
// duplicates, and the refusals that keep ports' references whole.
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/security_group_rules.h"

namespace overcast::controller {

namespace {
ModelError group_not_found(const std::string& id) {
  return ModelError::not_found("SecurityGroupNotFound", "Security group " + id + " does not exist");
}

ModelError rule_not_found(const std::string& id) {
  return ModelError::not_found("SecurityGroupRuleNotFound", "Security group rule " + id + " does not exist");
}

const SecurityGroup* find_default_group(const ModelState& state, const std::string& project_id) {
  for (const auto& [id, group] : state.security_groups()) {
    if (group.project_id == project_id && group.name == kDefaultSecurityGroupName) return &group;
  }
  return nullptr;
}
}  // namespace

Status LogicalModel::create_security_group_rule(Transaction& tx, const SecurityGroupRuleCreate& request,
                                                SecurityGroupRule& created) {
  const ModelState& state = tx.state();
  const SecurityGroup* group = state.find_security_group(request.security_group_id);
  if (!group) return group_not_found(request.security_group_id);
  SecurityGroupRule rule;
  rule.id = make_uuid();
  rule.security_group_id = group->id;
  rule.project_id = request.project_id.empty() ? group->project_id : request.project_id;
  if (Status e = apply_rule_rules(request, rule)) return e;
  if (rule.remote_group_id && !state.find_security_group(*rule.remote_group_id)) {
    return group_not_found(*rule.remote_group_id);
  }
  for (const auto& other_id : state.rules_of(group->id)) {
    const SecurityGroupRule* other = state.find_security_group_rule(other_id);
    if (same_rule(*other, rule)) {
      return ModelError::conflict("SecurityGroupRuleExists",
                                  "Security group rule already exists. Rule id is " + other->id + ".");
    }
  }
  rule.created_at = rule.updated_at = utc_timestamp_now();
  tx.put_security_group_rule(rule);
  created = rule;
  return std::nullopt;
}

Status LogicalModel::create_security_group(Transaction& tx, const SecurityGroupCreate& request,
                                           SecurityGroup& created) {
  const bool is_default = request.name == kDefaultSecurityGroupName;
  if (is_default && find_default_group(tx.state(), request.project_id)) {
    return ModelError::conflict("SecurityGroupDefaultAlreadyExists",
                                "Default security group already exists (name 'default' is reserved).");
  }
  SecurityGroup g;
  g.id = make_uuid();
  g.name = request.name;
  g.project_id = request.project_id;
  g.description = request.description;
  g.stateful = request.stateful;
  g.created_at = g.updated_at = utc_timestamp_now();
  tx.put_security_group(g);
  for (const auto& rule_request : initial_rules(g, is_default)) {
    SecurityGroupRule rule;
    if (Status e = create_security_group_rule(tx, rule_request, rule)) return e;
  }
  created = g;
  return std::nullopt;
}

Result<std::string> LogicalModel::default_security_group(Transaction& tx, const std::string& project_id) {
  if (const SecurityGroup* existing = find_default_group(tx.state(), project_id)) return existing->id;
  SecurityGroupCreate request;
  request.project_id = project_id;
  request.name = kDefaultSecurityGroupName;
  request.description = "Default security group";
  SecurityGroup created;
  if (Status e = create_security_group(tx, request, created)) return *e;
  return created.id;
}

Status LogicalModel::ensure_default_security_group(const std::string& project_id) {
  {
    std::shared_lock lock(mutex_);
    if (find_default_group(state_, project_id)) return std::nullopt;
  }
  return run_write([&](Transaction& tx) -> Status {
    auto id = default_security_group(tx, project_id);
    if (!id) return id.error();
    return std::nullopt;
  });
}

SecurityGroupView LogicalModel::security_group_view(const SecurityGroup& group) const {
  SecurityGroupView view{group, {}};
  for (const auto& rule_id : state_.rules_of(group.id)) view.rules.push_back(*state_.find_security_group_rule(rule_id));
  return view;
}

std::vector<SecurityGroupView> LogicalModel::list_security_groups() const {
  std::shared_lock lock(mutex_);
  std::vector<SecurityGroupView> out;
  for (const auto& [id, g] : state_.security_groups()) out.push_back(security_group_view(g));
  return out;
}

Result<SecurityGroupView> LogicalModel::show_security_group(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const SecurityGroup* g = state_.find_security_group(id);
  if (!g) return group_not_found(id);
  return security_group_view(*g);
}

Result<std::vector<SecurityGroupView>> LogicalModel::create_security_groups(
    const std::vector<SecurityGroupCreate>& requests) {
  std::vector<SecurityGroup> created_groups;
  Status error = run_write([&](Transaction& tx) -> Status {
    for (const auto& request : requests) {
      SecurityGroup created;
      if (Status e = create_security_group(tx, request, created)) return e;
      created_groups.push_back(created);
    }
    return std::nullopt;
  });
  if (error) return *error;
  std::shared_lock lock(mutex_);
  std::vector<SecurityGroupView> views;
  for (const auto& g : created_groups) views.push_back(security_group_view(g));
  return views;
}

Result<SecurityGroupView> LogicalModel::update_security_group(const std::string& id,
                                                              const SecurityGroupUpdate& update) {
  SecurityGroupView view;
  Status error = run_write([&](Transaction& tx) -> Status {
    const SecurityGroup* current = tx.state().find_security_group(id);
    if (!current) return group_not_found(id);
    SecurityGroup g = *current;
    if (update.name && *update.name != g.name) {
      if (g.name == kDefaultSecurityGroupName || *update.name == kDefaultSecurityGroupName) {
        return ModelError::conflict("SecurityGroupCannotUpdateDefault",
                                    "Updating default security group not allowed (name).");
      }
      g.name = *update.name;
    }
    if (update.description) g.description = *update.description;
    g.updated_at = utc_timestamp_now();
    ++g.revision_number;
    tx.put_security_group(g);
    view = security_group_view(g);
    return std::nullopt;
  });
  if (error) return *error;
  return view;
}

Status LogicalModel::delete_security_group(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    const ModelState& state = tx.state();
    const SecurityGroup* g = state.find_security_group(id);
    if (!g) return group_not_found(id);
    // Neutron lets only an admin remove a project's default group; this API has no
    // admin, so nobody does (it would come back on the project's next port anyway).
    if (g->name == kDefaultSecurityGroupName) {
      return ModelError::conflict("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default "
                                                                      "security group " + id + ".");
    }
    for (const auto& [port_id, port] : state.ports()) {
      for (const auto& used : port.security_groups) {
        if (used == id) {
          return ModelError::conflict("SecurityGroupInUse", "Security Group " + id + " in use (by port " +
                                                                port_id + ").");
        }
      }
    }
    // Rules of other groups that admit this group's members go with it (Neutron's
    // foreign key cascade).
    std::vector<std::string> doomed(state.rules_of(id).begin(), state.rules_of(id).end());
    for (const auto& [rule_id, rule] : state.security_group_rules()) {
      if (rule.remote_group_id == id && rule.security_group_id != id) doomed.push_back(rule_id);
    }
    for (const auto& rule_id : doomed) tx.erase_security_group_rule(rule_id);
    tx.erase_security_group(id);
    return std::nullopt;
  });
}

std::vector<SecurityGroupRule> LogicalModel::list_security_group_rules() const {
  std::shared_lock lock(mutex_);
  std::vector<SecurityGroupRule> out;
  for (const auto& [id, rule] : state_.security_group_rules()) out.push_back(rule);
  return out;
}

Result<SecurityGroupRule> LogicalModel::show_security_group_rule(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const SecurityGroupRule* rule = state_.find_security_group_rule(id);
  if (!rule) return rule_not_found(id);
  return *rule;
}

Result<std::vector<SecurityGroupRule>> LogicalModel::create_security_group_rules(
    const std::vector<SecurityGroupRuleCreate>& requests) {
  std::vector<SecurityGroupRule> rules;
  Status error = run_write([&](Transaction& tx) -> Status {
    for (const auto& request : requests) {
      SecurityGroupRule created;
      if (Status e = create_security_group_rule(tx, request, created)) return e;
      rules.push_back(created);
    }
    return std::nullopt;
  });
  if (error) return *error;
  return rules;
}

Status LogicalModel::delete_security_group_rule(const std::string& id) {
  return run_write([&](Transaction& tx) -> Status {
    if (!tx.state().find_security_group_rule(id)) return rule_not_found(id);
    tx.erase_security_group_rule(id);
    return std::nullopt;
  });
}

}  // namespace overcast::controller

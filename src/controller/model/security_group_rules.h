// The rules of a security group rule on its own, as Neutron checks them: direction,
// ethertype, protocol (name or number), port range or ICMP type/code, remote prefix of
// the rule's family. References (the group, remote_group_id) and duplicates are the
// model's to check, with the helpers below.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/model/model_error.h"
#include "controller/model/requests.h"
#include "controller/model/resources.h"

namespace overcast::controller {

// Checks `request` and writes the canonical direction, ethertype, protocol, ports and
// prefix into `rule`. Errors are 400s naming the field.
Status apply_rule_rules(const SecurityGroupRuleCreate& request, SecurityGroupRule& rule);

// The IP protocol number a rule's protocol means (nullopt: any protocol).
std::optional<int> protocol_number(const std::optional<std::string>& protocol);

// Whether two rules match the same traffic the same way (Neutron's duplicate test:
// everything but id, description and timestamps, with protocol compared by number).
bool same_rule(const SecurityGroupRule& a, const SecurityGroupRule& b);

// Neutron's rules of a new group: egress anywhere for IPv4 and IPv6; for the project's
// "default" group also ingress from members of the group itself.
std::vector<SecurityGroupRuleCreate> initial_rules(const SecurityGroup& group, bool is_default);

inline constexpr const char* kDefaultSecurityGroupName = "default";

}  // namespace overcast::controller

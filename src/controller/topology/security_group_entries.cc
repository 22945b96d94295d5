#include "controller/topology/security_group_entries.h"

#include <algorithm>

namespace overcast::controller {

std::string security_group_key(const std::string& group_id) { return "sg/" + group_id; }
std::string security_group_members_key(const std::string& group_id) { return "sgm/" + group_id; }

sb::ViewEntry make_security_group_entry(const SecurityGroupFacts& group) {
  sb::ViewEntry entry;
  entry.set_key(security_group_key(group.id));
  auto* body = entry.mutable_security_group();
  body->set_security_group_id(group.id);
  for (const auto& rule : group.rules) {
    auto* r = body->add_rules();
    r->set_rule_id(rule.id);
    r->set_direction(rule.direction);
    r->set_ethertype(rule.ethertype);
    r->set_protocol(rule.protocol);
    if (rule.port_range_min) r->set_port_range_min(*rule.port_range_min);
    if (rule.port_range_max) r->set_port_range_max(*rule.port_range_max);
    r->set_remote_ip_prefix(rule.remote_ip_prefix);
    r->set_remote_group_id(rule.remote_group_id);
  }
  return entry;
}

sb::ViewEntry make_security_group_members_entry(const std::string& group_id, std::vector<std::string> addresses) {
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  sb::ViewEntry entry;
  entry.set_key(security_group_members_key(group_id));
  auto* body = entry.mutable_security_group_members();
  body->set_security_group_id(group_id);
  for (auto& address : addresses) body->add_addresses(std::move(address));
  return entry;
}

}  // namespace overcast::controller

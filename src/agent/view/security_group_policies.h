// Security groups on the agent: checking "sg/" and "sgm/" entries, and compiling each
// local port's rules into the data plane's firewall::CompiledPolicy.
//
// SecurityGroupPolicies lives as long as the agent's view: it keeps the GroupRegistry
// (group id -> index, stable, so compiled policies and member snapshots agree) and the
// policies it compiled, so a table rebuilt for an unrelated change hands the data plane
// the same policy pointers. The data plane re-asks a port's connections only when its
// pointer changes (a rule added or removed): removing a rule ends the connections it
// allowed, adding one applies from the next packet.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/view/view_validator.h"
#include "dataplane/firewall/compiled_policy.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// An "sg/" entry: every rule parses into a firewall::SgRule and compiles. The reason
// names the entry, the rule and the field.
std::optional<std::string> validate_security_group_entry(const std::string& key, const sb::SecurityGroupEntry& group);
// An "sgm/" entry: every address parses.
std::optional<std::string> validate_security_group_members_entry(const std::string& key,
                                                                 const sb::SecurityGroupMembersEntry& members);

// A rule of the view as the data plane's firewall takes it, or the reason it cannot be.
std::optional<std::string> to_sg_rule(const sb::SecurityGroupRule& rule, dataplane::firewall::SgRule& out);

class SecurityGroupPolicies {
 public:
  // Sets table.ports[*].firewall for the ports with port security on (their groups'
  // rules; a group missing from the view adds none: Neutron's default deny) and
  // table.security_group_members from the "sgm/" entries.
  void apply(const ViewMap& view, dataplane::ForwardingTable& table);

  size_t cached_policies() const { return policies_.size(); }

 private:
  struct Cached {
    std::string rules;  // the groups' entries, serialized: the cache key's content
    std::shared_ptr<const dataplane::firewall::CompiledPolicy> policy;
    bool used = false;
  };
  std::shared_ptr<const dataplane::firewall::CompiledPolicy> policy_for(const ViewMap& view,
                                                                        const std::vector<std::string>& groups);

  dataplane::firewall::GroupRegistry registry_;
  std::map<std::string, Cached> policies_;  // by joined group ids
  std::string members_content_;             // serialized "sgm/" entries of the last snapshot
  std::shared_ptr<const dataplane::firewall::RemoteGroupMembers> members_;
};

}  // namespace overcast::agent

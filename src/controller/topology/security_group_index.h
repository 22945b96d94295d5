// The compiler's index of security groups: each group's rules, its member ports (with
// their addresses and hosts) and which groups' rules name it as remote_group_id. It
// answers the two questions of the incremental compile:
//   - which hosts does a change of these groups concern? (hosts with a port in one of
//     them, and hosts with a port in a group whose rules reference one of them)
//   - what security-group entries does a host need? ("sg/<id>" for each group of its
//     ports, "sgm/<id>" for each group those groups' rules reference)
// Only ports with port security on are members (PortFacts.security_groups is empty
// otherwise), so a port with port security off is neither filtered nor a remote member.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "controller/topology/host_view.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

// The HostView slice that holds a host's "sg/" and "sgm/" entries (not a network id).
inline constexpr const char* kSecurityGroupSlice = "~security-groups";

class SecurityGroupIndex {
 public:
  // False when nothing changed (the caller has nothing to recompute).
  bool upsert_group(const SecurityGroupFacts& group);
  bool remove_group(const std::string& id);
  // The groups whose membership or member addresses this port change touches, before
  // and after; empty when the port's security-group facts did not change.
  std::set<std::string> upsert_port(const PortFacts& port);
  std::set<std::string> remove_port(const std::string& id);

  // Hosts with ports in `groups`, or in a group whose rules reference one of them.
  std::set<std::string> hosts_concerned(const std::set<std::string>& groups) const;

  // Entries built in one recompute, by key, shared between the hosts that need them.
  using Built = std::unordered_map<std::string, EntryRef>;
  HostView::Slice desired_slice(const std::string& host, Built& built) const;

  size_t group_count() const { return groups_.size(); }

 private:
  struct Member {
    std::string host;  // "" when unbound
    std::vector<std::string> groups;
    std::vector<std::string> addresses;  // fixed IPs and allowed-address-pair IPs
    bool operator==(const Member&) const = default;
  };
  void link(const std::string& port_id, const Member& member);
  void unlink(const std::string& port_id, const Member& member);
  void link_rules(const SecurityGroupFacts& group);
  void unlink_rules(const SecurityGroupFacts& group);
  EntryRef members_entry(const std::string& group_id, Built& built) const;

  std::unordered_map<std::string, SecurityGroupFacts> groups_;
  std::unordered_map<std::string, Member> ports_;
  std::unordered_map<std::string, std::set<std::string>> group_ports_;                // group -> ports
  std::unordered_map<std::string, std::map<std::string, size_t>> group_hosts_;        // group -> host -> ports
  std::unordered_map<std::string, std::map<std::string, size_t>> host_groups_;        // host -> group -> ports
  std::unordered_map<std::string, std::map<std::string, size_t>> referrers_;          // remote group -> groups -> rules
};

}  // namespace overcast::controller

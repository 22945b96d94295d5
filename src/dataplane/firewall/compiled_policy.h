// A port's security group rules compiled into a lookup that never scans rules.
//
// Rules are split by (direction, family) and then by protocol (one table per protocol
// number seen, one for "any"). Inside a protocol table:
//   - remote_ip_prefix rules sit in a PrefixTrie; each trie node holds the merged port
//     ranges (PortRangeSet) of the rules with that prefix (no remote means /0) and of
//     every shorter prefix containing it, so only the longest match needs checking;
//   - remote_group_id rules hold, per group, the merged ranges of that group's rules.
// A query walks the (compressed) trie along its remote address to the longest prefix,
// does one binary search there, and checks each referenced group (usually one or two:
// the port's own groups). The cost follows the trie's depth and log2 of the ranges, not
// the rule count.
//
// ICMP rules use "port" type << 8 | code; a rule with a type and no code covers all
// 256 codes of that type. Neutron's "icmp" on IPv6 means ICMPv6, as Neutron does.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/firewall/port_range_set.h"
#include "dataplane/firewall/prefix_trie.h"
#include "dataplane/firewall/remote_groups.h"
#include "dataplane/firewall/sg_rule.h"

namespace overcast::dataplane::firewall {

class CompiledPolicy {
 public:
  struct Result;
  // Compiles a port's rules (all its groups' rules together). Refuses a rule that
  // cannot mean anything (ports on a protocol without ports, min > max, both remotes,
  // a prefix longer than its family) with a message naming the field.
  static Result compile(const std::vector<SgRule>& rules, GroupRegistry& groups);

  // True if some rule allows a connection that starts with this packet.
  bool allows(const FirewallQuery& q, const RemoteGroupMembers& members) const;

  size_t rule_count() const { return rule_count_; }

 private:
  struct GroupRanges {
    GroupIndex group;
    PortRangeSet ports;
  };
  struct ProtocolTable {
    PrefixTrie trie;
    std::vector<PortRangeSet> prefix_ports;  // trie payloads index this
    std::vector<GroupRanges> groups;
    bool matches(const FirewallQuery& q, const RemoteGroupMembers& members) const;
  };
  struct DirectionTable {
    std::array<int16_t, 256> by_protocol;  // index into tables, -1 for none
    int16_t any = -1;                      // rules with protocol any
    std::vector<ProtocolTable> tables;
    DirectionTable() { by_protocol.fill(-1); }
  };
  static size_t table_index(Direction d, uint8_t family) { return static_cast<size_t>(d) * 2 + (family == 6); }

  std::array<DirectionTable, 4> tables_;
  size_t rule_count_ = 0;
};

struct CompiledPolicy::Result {
  std::shared_ptr<const CompiledPolicy> policy;  // null on error
  std::string error;
};

}  // namespace overcast::dataplane::firewall

#include "dataplane/firewall/compiled_policy.h"

namespace overcast::dataplane::firewall {
namespace {

struct PortSpan {
  uint16_t low = 0, high = 65535;
};

// The rule's span on the table's "port" axis, or an error naming the field.
std::string rule_span(const SgRule& r, int protocol, PortSpan& span) {
  const bool any_port = !r.port_range_min && !r.port_range_max;
  if (any_port) return {};
  if (protocol == -1) return "port_range_min/port_range_max need a protocol";
  if (protocol_has_ports(protocol)) {
    if (!r.port_range_min || !r.port_range_max) return "port_range_min and port_range_max go together";
    if (*r.port_range_min == 0 || *r.port_range_max == 0) return "port_range_min/port_range_max: port 0";
    if (*r.port_range_min > *r.port_range_max) return "port_range_min is greater than port_range_max";
    span = {*r.port_range_min, *r.port_range_max};
    return {};
  }
  if (protocol_is_icmp(protocol)) {
    if (!r.port_range_min) return "port_range_max (ICMP code) needs port_range_min (ICMP type)";
    if (*r.port_range_min > 255) return "port_range_min (ICMP type) is above 255";
    const uint16_t type = *r.port_range_min;
    if (!r.port_range_max) {
      span = {static_cast<uint16_t>(type << 8), static_cast<uint16_t>(type << 8 | 0xff)};
      return {};
    }
    if (*r.port_range_max > 255) return "port_range_max (ICMP code) is above 255";
    span.low = span.high = static_cast<uint16_t>(type << 8 | *r.port_range_max);
    return {};
  }
  return "protocol " + std::to_string(protocol) + " has no ports (port_range_min/port_range_max)";
}

conntrack::IpBytes masked(conntrack::IpBytes a, uint8_t length) {
  for (size_t i = 0; i < a.size(); ++i) {
    const int keep = std::min(8, std::max(0, int{length} - int(i) * 8));
    a[i] &= static_cast<uint8_t>(0xff00u >> keep);
  }
  return a;
}

}  // namespace

CompiledPolicy::Result CompiledPolicy::compile(const std::vector<SgRule>& rules, GroupRegistry& groups) {
  auto policy = std::make_shared<CompiledPolicy>();
  for (size_t i = 0; i < rules.size(); ++i) {
    const SgRule& r = rules[i];
    const std::string where = "rule " + std::to_string(i) + ": ";
    if (r.family != 4 && r.family != 6) return {nullptr, where + "ethertype must be IPv4 or IPv6"};
    if (r.protocol < -1 || r.protocol > 255) return {nullptr, where + "protocol must be 0-255 or any"};
    if (r.remote_prefix && r.remote_group_id)
      return {nullptr, where + "remote_ip_prefix and remote_group_id are mutually exclusive"};
    const uint8_t bits = r.family == 4 ? 32 : 128;
    if (r.remote_prefix && r.remote_prefix_length > bits)
      return {nullptr, where + "remote_ip_prefix length is longer than the address"};
    const int protocol = r.family == 6 && r.protocol == 1 ? 58 : r.protocol;
    PortSpan span;
    if (std::string e = rule_span(r, protocol, span); !e.empty()) return {nullptr, where + e};

    DirectionTable& dt = policy->tables_[table_index(r.direction, r.family)];
    int16_t& index = protocol == -1 ? dt.any : dt.by_protocol[static_cast<size_t>(protocol)];
    if (index == -1) {
      index = static_cast<int16_t>(dt.tables.size());
      dt.tables.emplace_back();
    }
    ProtocolTable& table = dt.tables[static_cast<size_t>(index)];
    if (r.remote_group_id) {
      const GroupIndex g = groups.intern(*r.remote_group_id);
      auto it = std::find_if(table.groups.begin(), table.groups.end(), [&](const auto& e) { return e.group == g; });
      if (it == table.groups.end()) it = table.groups.insert(table.groups.end(), GroupRanges{g, {}});
      it->ports.add(span.low, span.high);
    } else {
      const uint8_t length = r.remote_prefix ? r.remote_prefix_length : 0;
      int32_t& payload = table.trie.payload(masked(r.remote_prefix.value_or(conntrack::IpBytes{}), length), length);
      if (payload == PrefixTrie::kNone) {
        payload = static_cast<int32_t>(table.prefix_ports.size());
        table.prefix_ports.emplace_back();
      }
      table.prefix_ports[static_cast<size_t>(payload)].add(span.low, span.high);
    }
  }
  for (auto& dt : policy->tables_) {
    for (auto& t : dt.tables) {
      t.trie.seal();
      for (auto& s : t.prefix_ports) s.seal();
      // Every prefix's ranges include those of the prefixes containing it, so a lookup
      // checks only the longest prefix on its path: one binary search.
      t.trie.push_down([&](int32_t below, int32_t above) {
        t.prefix_ports[static_cast<size_t>(below)].merge(t.prefix_ports[static_cast<size_t>(above)]);
      });
      for (auto& g : t.groups) g.ports.seal();
    }
  }
  policy->rule_count_ = rules.size();
  return {std::move(policy), {}};
}

bool CompiledPolicy::ProtocolTable::matches(const FirewallQuery& q, const RemoteGroupMembers& members) const {
  const uint8_t bits = q.family == 4 ? 32 : 128;
  const int32_t longest = trie.deepest(q.remote, bits);
  if (longest != PrefixTrie::kNone && prefix_ports[static_cast<size_t>(longest)].contains(q.port_key)) return true;
  for (const auto& g : groups)
    if (g.ports.contains(q.port_key) && members.contains(g.group, q.family, q.remote)) return true;
  return false;
}

bool CompiledPolicy::allows(const FirewallQuery& q, const RemoteGroupMembers& members) const {
  const DirectionTable& dt = tables_[table_index(q.direction, q.family)];
  if (dt.any != -1 && dt.tables[static_cast<size_t>(dt.any)].matches(q, members)) return true;
  const int16_t index = dt.by_protocol[q.protocol];
  return index != -1 && dt.tables[static_cast<size_t>(index)].matches(q, members);
}

}  // namespace overcast::dataplane::firewall

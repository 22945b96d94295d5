#include "agent/view/security_group_policies.h"

#include <algorithm>

#include "common/ip_address.h"

namespace overcast::agent {
namespace {

namespace fw = dataplane::firewall;
using Reason = std::optional<std::string>;

std::string rule_name(const std::string& key, int index, const sb::SecurityGroupRule& rule) {
  return key + ": rule " + (rule.rule_id().empty() ? "#" + std::to_string(index) : "'" + rule.rule_id() + "'");
}

dataplane::conntrack::IpBytes bytes_of(const IpAddress& ip) {
  if (ip.is_v4()) return dataplane::conntrack::ipv4_bytes(ip.v4().value);
  return ip.v6().bytes;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// The group's entry serialized (deterministic: the same rules give the same bytes).
std::string content_of(const sb::ViewEntry& entry) {
  std::string out;
  entry.SerializeToString(&out);
  return out;
}

}  // namespace

Reason to_sg_rule(const sb::SecurityGroupRule& rule, fw::SgRule& out) {
  out = fw::SgRule{};
  if (rule.direction() == "ingress") {
    out.direction = fw::Direction::kIngress;
  } else if (rule.direction() == "egress") {
    out.direction = fw::Direction::kEgress;
  } else {
    return "direction " + quoted(rule.direction()) + " is not ingress or egress";
  }
  if (rule.ethertype() == "IPv4") {
    out.family = 4;
  } else if (rule.ethertype() == "IPv6") {
    out.family = 6;
  } else {
    return "ethertype " + quoted(rule.ethertype()) + " is not IPv4 or IPv6";
  }
  auto protocol = fw::protocol_number(rule.protocol());
  if (!protocol) return "protocol " + quoted(rule.protocol()) + " is not a protocol name or a number 0-255";
  out.protocol = *protocol;
  for (auto [has, value, field, target] :
       {std::tuple{rule.has_port_range_min(), rule.port_range_min(), "port_range_min", &out.port_range_min},
        std::tuple{rule.has_port_range_max(), rule.port_range_max(), "port_range_max", &out.port_range_max}}) {
    if (!has) continue;
    if (value < 0 || value > 65535) return std::string(field) + " " + std::to_string(value) + " is out of range";
    *target = static_cast<uint16_t>(value);
  }
  if (!rule.remote_ip_prefix().empty()) {
    std::optional<IpPrefix> prefix = IpPrefix::parse(rule.remote_ip_prefix());
    if (!prefix) {
      if (auto ip = IpAddress::parse(rule.remote_ip_prefix())) prefix = IpPrefix{*ip, ip->is_v4() ? 32 : 128};
    }
    if (!prefix) return "remote_ip_prefix " + quoted(rule.remote_ip_prefix()) + " is not an IP prefix";
    if ((prefix->address.is_v4() ? 4 : 6) != out.family) {
      return "remote_ip_prefix " + quoted(rule.remote_ip_prefix()) + " is not of ethertype " + rule.ethertype();
    }
    out.remote_prefix = bytes_of(prefix->address);
    out.remote_prefix_length = static_cast<uint8_t>(prefix->length);
  }
  if (!rule.remote_group_id().empty()) out.remote_group_id = rule.remote_group_id();
  return std::nullopt;
}

Reason validate_security_group_entry(const std::string& key, const sb::SecurityGroupEntry& group) {
  if (group.security_group_id().empty()) return key + ": security_group_id is empty";
  if (key != "sg/" + group.security_group_id()) {
    return key + ": key does not match security_group_id " + quoted(group.security_group_id());
  }
  std::vector<fw::SgRule> rules;
  for (int i = 0; i < group.rules_size(); ++i) {
    fw::SgRule rule;
    if (auto r = to_sg_rule(group.rules(i), rule)) return rule_name(key, i, group.rules(i)) + ": " + *r;
    // Compiled alone so the reason names the rule (compile() names the field).
    fw::GroupRegistry scratch;
    auto compiled = fw::CompiledPolicy::compile({rule}, scratch);
    if (!compiled.policy) {
      std::string why = compiled.error;
      if (why.rfind("rule 0: ", 0) == 0) why.erase(0, 8);  // it was compiled alone: its index says nothing
      return rule_name(key, i, group.rules(i)) + ": " + why;
    }
  }
  return std::nullopt;
}

Reason validate_security_group_members_entry(const std::string& key, const sb::SecurityGroupMembersEntry& members) {
  if (members.security_group_id().empty()) return key + ": security_group_id is empty";
  if (key != "sgm/" + members.security_group_id()) {
    return key + ": key does not match security_group_id " + quoted(members.security_group_id());
  }
  for (const auto& address : members.addresses()) {
    if (!IpAddress::parse(address) && !IpPrefix::parse(address)) {
      return key + ": address " + quoted(address) + " is not an IP address";
    }
  }
  return std::nullopt;
}

std::shared_ptr<const fw::CompiledPolicy> SecurityGroupPolicies::policy_for(const ViewMap& view,
                                                                             const std::vector<std::string>& groups) {
  std::string cache_key, content;
  for (const auto& group : groups) {
    cache_key += group + ",";
    auto it = view.find("sg/" + group);
    content += group + "=" + (it == view.end() ? std::string() : content_of(it->second)) + ";";
  }
  Cached& cached = policies_[cache_key];
  cached.used = true;
  if (cached.policy && cached.rules == content) return cached.policy;
  std::vector<fw::SgRule> rules;
  for (const auto& group : groups) {
    auto it = view.find("sg/" + group);
    if (it == view.end() || !it->second.has_security_group()) continue;
    for (const auto& r : it->second.security_group().rules()) {
      fw::SgRule rule;
      if (!to_sg_rule(r, rule)) rules.push_back(std::move(rule));  // validated: always converts
    }
  }
  auto compiled = fw::CompiledPolicy::compile(rules, registry_);
  if (!compiled.policy) {
    // Validation compiled each rule alone; should the whole still fail, deny everything
    // (an empty policy) rather than let the port's traffic through unfiltered.
    compiled = fw::CompiledPolicy::compile({}, registry_);
  }
  cached.rules = std::move(content);
  cached.policy = compiled.policy;
  return cached.policy;
}

void SecurityGroupPolicies::apply(const ViewMap& view, dataplane::ForwardingTable& table) {
  for (auto& [k, cached] : policies_) cached.used = false;
  for (auto& port : table.ports) {
    if (!port.port_security_enabled || port.port_id.empty()) continue;
    auto entry = view.find("lport/" + port.port_id);
    if (entry == view.end() || !entry->second.has_local_port()) continue;
    const auto& ids = entry->second.local_port().security_groups();
    std::vector<std::string> groups(ids.begin(), ids.end());
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    port.firewall = policy_for(view, groups);
  }
  std::erase_if(policies_, [](const auto& item) { return !item.second.used; });

  std::string content;
  for (auto it = view.lower_bound("sgm/"); it != view.end() && it->first.rfind("sgm/", 0) == 0; ++it) {
    content += content_of(it->second);
  }
  if (!members_ || content != members_content_) {
    fw::RemoteGroupMembers::Builder builder;
    for (auto it = view.lower_bound("sgm/"); it != view.end() && it->first.rfind("sgm/", 0) == 0; ++it) {
      if (!it->second.has_security_group_members()) continue;
      const auto& m = it->second.security_group_members();
      const fw::GroupIndex group = registry_.intern(m.security_group_id());
      for (const auto& text : m.addresses()) {
        // A pair's CIDR stands for its address: members are matched address by address.
        std::optional<IpAddress> ip = IpAddress::parse(text);
        if (!ip) {
          if (auto prefix = IpPrefix::parse(text)) ip = prefix->address;
        }
        if (ip) builder.add(group, ip->is_v4() ? 4 : 6, bytes_of(*ip));
      }
    }
    members_ = std::make_shared<const fw::RemoteGroupMembers>(std::move(builder).build());
    members_content_ = std::move(content);
  }
  table.security_group_members = members_;
}

}  // namespace overcast::agent

#include "controller/topology/security_group_index.h"

#include <algorithm>

#include "controller/topology/security_group_entries.h"

namespace overcast::controller {
namespace {

void add_count(std::map<std::string, size_t>& counts, const std::string& key) { ++counts[key]; }
void sub_count(std::map<std::string, size_t>& counts, const std::string& key) {
  auto it = counts.find(key);
  if (it != counts.end() && --it->second == 0) counts.erase(it);
}

std::set<std::string> groups_of(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> out(a.begin(), a.end());
  out.insert(b.begin(), b.end());
  return out;
}

}  // namespace

bool SecurityGroupIndex::upsert_group(const SecurityGroupFacts& group) {
  auto it = groups_.find(group.id);
  if (it != groups_.end()) {
    if (it->second == group) return false;
    unlink_rules(it->second);
    it->second = group;
  } else {
    it = groups_.emplace(group.id, group).first;
  }
  link_rules(it->second);
  return true;
}

bool SecurityGroupIndex::remove_group(const std::string& id) {
  auto it = groups_.find(id);
  if (it == groups_.end()) return false;
  unlink_rules(it->second);
  groups_.erase(it);
  return true;
}

void SecurityGroupIndex::link_rules(const SecurityGroupFacts& group) {
  for (const auto& rule : group.rules) {
    if (!rule.remote_group_id.empty()) add_count(referrers_[rule.remote_group_id], group.id);
  }
}

void SecurityGroupIndex::unlink_rules(const SecurityGroupFacts& group) {
  for (const auto& rule : group.rules) {
    if (rule.remote_group_id.empty()) continue;
    auto it = referrers_.find(rule.remote_group_id);
    if (it == referrers_.end()) continue;
    sub_count(it->second, group.id);
    if (it->second.empty()) referrers_.erase(it);
  }
}

std::set<std::string> SecurityGroupIndex::upsert_port(const PortFacts& port) {
  Member member;
  member.host = port.host;
  if (port.port_security_enabled) member.groups = port.security_groups;
  if (!member.groups.empty()) {
    member.addresses = port.ips;
    for (const auto& pair : port.allowed_address_pairs) member.addresses.push_back(pair.ip_address);
  }
  auto it = ports_.find(port.id);
  if (it == ports_.end()) {
    if (member.groups.empty()) return {};
    link(port.id, member);
    ports_.emplace(port.id, std::move(member));
    return groups_of(ports_.at(port.id).groups, {});
  }
  if (it->second == member) return {};
  std::set<std::string> touched = groups_of(it->second.groups, member.groups);
  unlink(port.id, it->second);
  if (member.groups.empty()) {
    ports_.erase(it);
  } else {
    link(port.id, member);
    it->second = std::move(member);
  }
  return touched;
}

std::set<std::string> SecurityGroupIndex::remove_port(const std::string& id) {
  auto it = ports_.find(id);
  if (it == ports_.end()) return {};
  std::set<std::string> touched = groups_of(it->second.groups, {});
  unlink(id, it->second);
  ports_.erase(it);
  return touched;
}

void SecurityGroupIndex::link(const std::string& port_id, const Member& member) {
  for (const auto& group : member.groups) {
    group_ports_[group].insert(port_id);
    if (member.host.empty()) continue;
    add_count(group_hosts_[group], member.host);
    add_count(host_groups_[member.host], group);
  }
}

void SecurityGroupIndex::unlink(const std::string& port_id, const Member& member) {
  for (const auto& group : member.groups) {
    if (auto it = group_ports_.find(group); it != group_ports_.end()) {
      it->second.erase(port_id);
      if (it->second.empty()) group_ports_.erase(it);
    }
    if (member.host.empty()) continue;
    if (auto it = group_hosts_.find(group); it != group_hosts_.end()) {
      sub_count(it->second, member.host);
      if (it->second.empty()) group_hosts_.erase(it);
    }
    if (auto it = host_groups_.find(member.host); it != host_groups_.end()) {
      sub_count(it->second, group);
      if (it->second.empty()) host_groups_.erase(it);
    }
  }
}

std::set<std::string> SecurityGroupIndex::hosts_concerned(const std::set<std::string>& groups) const {
  std::set<std::string> hosts;
  auto add_hosts_of = [&](const std::string& group) {
    auto it = group_hosts_.find(group);
    if (it == group_hosts_.end()) return;
    for (const auto& [host, count] : it->second) hosts.insert(host);
  };
  for (const auto& group : groups) {
    add_hosts_of(group);
    auto refs = referrers_.find(group);
    if (refs == referrers_.end()) continue;
    for (const auto& [referrer, count] : refs->second) add_hosts_of(referrer);
  }
  return hosts;
}

EntryRef SecurityGroupIndex::members_entry(const std::string& group_id, Built& built) const {
  const std::string key = security_group_members_key(group_id);
  if (auto it = built.find(key); it != built.end()) return it->second;
  std::vector<std::string> addresses;
  if (auto it = group_ports_.find(group_id); it != group_ports_.end()) {
    for (const auto& port_id : it->second) {
      const auto& member = ports_.at(port_id);
      addresses.insert(addresses.end(), member.addresses.begin(), member.addresses.end());
    }
  }
  auto entry = std::make_shared<const sb::ViewEntry>(make_security_group_members_entry(group_id, std::move(addresses)));
  built[key] = entry;
  return entry;
}

HostView::Slice SecurityGroupIndex::desired_slice(const std::string& host, Built& built) const {
  HostView::Slice slice;
  auto own = host_groups_.find(host);
  if (own == host_groups_.end()) return slice;
  for (const auto& [group_id, count] : own->second) {
    auto group = groups_.find(group_id);
    if (group == groups_.end()) continue;  // not known yet: the port's other groups still apply
    const std::string key = security_group_key(group_id);
    auto cached = built.find(key);
    if (cached == built.end()) {
      cached = built.emplace(key, std::make_shared<const sb::ViewEntry>(make_security_group_entry(group->second))).first;
    }
    slice[key] = cached->second;
    for (const auto& rule : group->second.rules) {
      if (rule.remote_group_id.empty()) continue;
      slice[security_group_members_key(rule.remote_group_id)] = members_entry(rule.remote_group_id, built);
    }
  }
  return slice;
}

}  // namespace overcast::controller

// remote_group_id support: group ids become small indexes (GroupRegistry, control thread),
// and the member addresses of every group live in one immutable snapshot
// (RemoteGroupMembers) that the control thread rebuilds and publishes when ports come
// and go. Compiled policies hold only indexes, so a membership change recompiles no
// port's rules: the next packet simply sees the new snapshot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::firewall {

using GroupIndex = uint32_t;

class GroupRegistry {
 public:
  GroupIndex intern(const std::string& group_id) {
    auto [it, added] = index_.try_emplace(group_id, static_cast<GroupIndex>(index_.size()));
    return it->second;
  }
  // The index of a group already interned, or -1.
  int64_t find(const std::string& group_id) const {
    auto it = index_.find(group_id);
    return it == index_.end() ? -1 : int64_t{it->second};
  }
  size_t size() const { return index_.size(); }

 private:
  std::unordered_map<std::string, GroupIndex> index_;
};

class RemoteGroupMembers {
 public:
  class Builder {
   public:
    void add(GroupIndex group, uint8_t family, const conntrack::IpBytes& address) {
      if (group >= v4_.size()) {
        v4_.resize(group + 1);
        v6_.resize(group + 1);
      }
      if (family == 4) v4_[group].push_back(conntrack::ipv4_of(address));
      else v6_[group].push_back(address);
    }
    RemoteGroupMembers build() && {
      RemoteGroupMembers m;
      for (auto& v : v4_) std::sort(v.begin(), v.end());
      for (auto& v : v6_) std::sort(v.begin(), v.end());
      m.v4_ = std::move(v4_);
      m.v6_ = std::move(v6_);
      return m;
    }

   private:
    std::vector<std::vector<uint32_t>> v4_;
    std::vector<std::vector<conntrack::IpBytes>> v6_;
  };

  bool contains(GroupIndex group, uint8_t family, const conntrack::IpBytes& address) const {
    if (group >= v4_.size()) return false;
    if (family == 4) return std::binary_search(v4_[group].begin(), v4_[group].end(), conntrack::ipv4_of(address));
    return std::binary_search(v6_[group].begin(), v6_[group].end(), address);
  }

 private:
  std::vector<std::vector<uint32_t>> v4_;
  std::vector<std::vector<conntrack::IpBytes>> v6_;
};

}  // namespace overcast::dataplane::firewall

// A set of 16-bit values as sorted, disjoint, merged ranges: membership is one binary
// search however many rules contributed ranges to it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace overcast::dataplane::firewall {

class PortRangeSet {
 public:
  void add(uint16_t low, uint16_t high) { pending_.emplace_back(low, high); }

  // Sorts and merges what add() collected; call once before contains().
  void seal() {
    std::sort(pending_.begin(), pending_.end());
    ranges_.clear();
    for (const auto& [lo, hi] : pending_) {
      if (!ranges_.empty() && uint32_t{lo} <= uint32_t{ranges_.back().second} + 1)
        ranges_.back().second = std::max(ranges_.back().second, hi);
      else
        ranges_.emplace_back(lo, hi);
    }
    pending_.clear();
    pending_.shrink_to_fit();
    all_ = ranges_.size() == 1 && ranges_[0] == std::pair<uint16_t, uint16_t>{0, 65535};
  }

  // Adds another sealed set's ranges (this one sealed too) and seals again.
  void merge(const PortRangeSet& other) {
    pending_ = ranges_;
    pending_.insert(pending_.end(), other.ranges_.begin(), other.ranges_.end());
    seal();
  }

  bool contains(uint16_t value) const {
    if (all_) return true;
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), value,
                               [](uint16_t v, const std::pair<uint16_t, uint16_t>& r) { return v < r.first; });
    return it != ranges_.begin() && value <= std::prev(it)->second;
  }
  bool empty() const { return ranges_.empty(); }
  size_t range_count() const { return ranges_.size(); }

 private:
  std::vector<std::pair<uint16_t, uint16_t>> pending_;
  std::vector<std::pair<uint16_t, uint16_t>> ranges_;
  bool all_ = false;
};

}  // namespace overcast::dataplane::firewall

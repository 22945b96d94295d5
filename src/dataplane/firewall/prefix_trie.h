// A binary trie of address prefixes, each node optionally holding a payload index.
// visit() walks one address from the root and offers every payload on its path, i.e.
// every stored prefix that contains the address: at most 33 (IPv4) or 129 (IPv6) nodes
// however many prefixes are stored.
//
// A large trie (thousands of prefixes) is dense near the root, where every level is
// one more dependent load. seal() then builds a jump table indexed by the first
// kJumpBits bits: where the walk stands at that depth, and the payloads it passed on
// the way, so a lookup starts kJumpBits levels down.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::firewall {

class PrefixTrie {
 public:
  static constexpr int32_t kNone = -1;

  static constexpr uint8_t kJumpBits = 12;

  // `jump_threshold`: node count from which seal() builds the jump table.
  explicit PrefixTrie(size_t jump_threshold = 2048) : nodes_(1), jump_threshold_(jump_threshold) {}

  // The payload slot of `prefix/length` (created as kNone if new), to be filled by the caller.
  int32_t& payload(const conntrack::IpBytes& prefix, uint8_t length) {
    uint32_t node = 0;
    for (uint8_t bit = 0; bit < length; ++bit) {
      const int b = (prefix[bit >> 3] >> (7 - (bit & 7))) & 1;
      if (nodes_[node].child[b] == 0) {
        nodes_[node].child[b] = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].child[b];
    }
    return nodes_[node].payload;
  }

  // Calls f(payload) for each prefix containing `address` (`bits` = 32 or 128), most
  // general first; stops early when f returns true, and returns whether it did.
  // Call after the last payload(): builds the jump table when the trie is large.
  void seal() {
    jump_.clear();
    jump_payloads_.clear();
    if (nodes_.size() < jump_threshold_) return;
    jump_.resize(size_t{1} << kJumpBits);
    for (uint32_t index = 0; index < jump_.size(); ++index) {
      Jump& j = jump_[index];
      j.first = static_cast<uint32_t>(jump_payloads_.size());
      uint32_t node = 0;
      for (uint8_t bit = 0; bit < kJumpBits; ++bit) {
        if (nodes_[node].payload != kNone) jump_payloads_.push_back(nodes_[node].payload);
        node = nodes_[node].child[(index >> (kJumpBits - 1 - bit)) & 1];
        if (node == 0) break;
      }
      j.node = node == 0 ? kNoNode : node;
      j.count = static_cast<uint32_t>(jump_payloads_.size()) - j.first;
    }
  }

  template <class F>
  bool visit(const conntrack::IpBytes& address, uint8_t bits, F&& f) const {
    uint32_t node = 0;
    uint8_t start = 0;
    if (!jump_.empty() && bits >= kJumpBits) {
      const Jump& j = jump_[((uint32_t{address[0]} << 8) | address[1]) >> (16 - kJumpBits)];
      for (uint32_t k = 0; k < j.count; ++k)
        if (f(jump_payloads_[j.first + k])) return true;
      if (j.node == kNoNode) return false;
      node = j.node;
      start = kJumpBits;
    }
    for (uint8_t bit = start;; ++bit) {
      const Node& n = nodes_[node];
      if (n.payload != kNone && f(n.payload)) return true;
      if (bit == bits) return false;
      const uint32_t next = n.child[(address[bit >> 3] >> (7 - (bit & 7))) & 1];
      if (next == 0) return false;
      node = next;
    }
  }
  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t child[2] = {0, 0};  // 0 is "none": the root is never anyone's child
    int32_t payload = kNone;
  };
  struct Jump {
    uint32_t node = 0;   // where the walk stands after kJumpBits bits, or kNoNode
    uint32_t first = 0;  // its payloads passed on the way: jump_payloads_[first, first + count)
    uint32_t count = 0;
  };
  static constexpr uint32_t kNoNode = UINT32_MAX;

  std::vector<Node> nodes_;
  size_t jump_threshold_;
  std::vector<Jump> jump_;
  std::vector<int32_t> jump_payloads_;
};

}  // namespace overcast::dataplane::firewall

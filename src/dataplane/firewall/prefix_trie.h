// A binary trie of address prefixes, each node optionally holding a payload index.
// visit() walks one address from the root and offers every payload on its path, i.e.
// every stored prefix that contains the address: at most 33 (IPv4) or 129 (IPv6) nodes
// however many prefixes are stored.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::firewall {

class PrefixTrie {
 public:
  static constexpr int32_t kNone = -1;

  PrefixTrie() : nodes_(1) {}

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
  template <class F>
  bool visit(const conntrack::IpBytes& address, uint8_t bits, F&& f) const {
    uint32_t node = 0;
    for (uint8_t bit = 0;; ++bit) {
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
  std::vector<Node> nodes_;
};

}  // namespace overcast::dataplane::firewall

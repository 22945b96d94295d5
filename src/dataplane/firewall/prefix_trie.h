// A binary trie of address prefixes, each node optionally holding a payload index.
// visit() walks one address from the root and offers every payload on its path, i.e.
// every stored prefix that contains the address, most general first.
//
// Two shortcuts, built by seal() once the last prefix is in:
//  - path compression: a chain of nodes with one child and no payload (an IPv6 /64 is
//    a chain of up to 64 of them) is jumped in one step, checking the skipped bits
//    against the target node's prefix;
//  - a jump table for large tries (thousands of prefixes are dense near the top, one
//    dependent load per level): below the prefix all stored prefixes share (a tenant's
//    IPv6 /48, say), indexed by the next kJumpBits bits, it gives where the walk stands
//    at that depth and the payloads it passed on the way.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::firewall {

class PrefixTrie {
 public:
  static constexpr int32_t kNone = -1;
  static constexpr uint8_t kJumpBits = 12;

  // `jump_threshold`: node count from which seal() builds the jump table.
  explicit PrefixTrie(size_t jump_threshold = 2048) : nodes_(1), jump_threshold_(jump_threshold) {}

  // The payload slot of `prefix/length` (created as kNone if new), to be filled by the
  // caller. Call seal() after the last one.
  int32_t& payload(const conntrack::IpBytes& prefix, uint8_t length) {
    uint32_t node = 0;
    for (uint8_t bit = 0; bit < length; ++bit) {
      const int b = bit_of(prefix, bit);
      if (nodes_[node].child[b] == 0) {
        const auto index = static_cast<uint32_t>(nodes_.size());
        nodes_[node].child[b] = nodes_[node].far[b] = index;
        nodes_.emplace_back();
        nodes_.back().depth = static_cast<uint8_t>(bit + 1);
      }
      node = nodes_[node].child[b];
    }
    return nodes_[node].payload;
  }

  // Builds the shortcuts and compacts the trie to the nodes a walk can stop at (root,
  // payload holders, branch points: about two per prefix), so even a large IPv6 policy
  // stays in cache. Final: no payload() after it.
  void seal() {
    // Each node's own prefix (parents come before children in nodes_).
    prefixes_.assign(nodes_.size(), conntrack::IpBytes{});
    for (uint32_t n = 0; n < nodes_.size(); ++n) {
      for (int b = 0; b < 2; ++b) {
        const uint32_t c = nodes_[n].child[b];
        if (c == 0) continue;
        prefixes_[c] = prefixes_[n];
        if (b) prefixes_[c][nodes_[n].depth >> 3] |= static_cast<uint8_t>(0x80 >> (nodes_[n].depth & 7));
      }
    }
    // Path compression.
    for (Node& n : nodes_) {
      for (int b = 0; b < 2; ++b) {
        uint32_t c = n.child[b];
        while (c != 0 && is_chain(nodes_[c])) c = nodes_[c].child[0] ? nodes_[c].child[0] : nodes_[c].child[1];
        n.far[b] = c;
      }
    }
    build_jump_table();
    compact();
  }

  // Calls f(payload) for each prefix containing `address` (`bits` = 32 or 128), most
  // general first; stops early when f returns true, and returns whether it did.
  template <class F>
  bool visit(const conntrack::IpBytes& address, uint8_t bits, F&& f) const {
    uint32_t node = 0;
    if (!jump_.empty() && bits >= base_depth_ + kJumpBits && matches(address, prefixes_[base_], base_depth_)) {
      for (int32_t p : base_payloads_)
        if (f(p)) return true;
      const Jump& j = jump_[bits_at(address, base_depth_)];
      for (uint32_t k = 0; k < j.count; ++k)
        if (f(jump_payloads_[j.first + k])) return true;
      if (j.node == kNoNode) return false;
      node = j.node;
      // The jump may land below the table's depth, past a chain: check the bits skipped.
      if (nodes_[node].depth > base_depth_ + kJumpBits && !matches(address, prefixes_[node], nodes_[node].depth))
        return false;
    }
    for (;;) {
      const Node& n = nodes_[node];
      if (n.payload != kNone && f(n.payload)) return true;
      if (n.depth >= bits) return false;
      const uint32_t next = n.far[bit_of(address, n.depth)];
      if (next == 0) return false;
      // A jump over a chain: the skipped bits must match too, or nothing below does.
      if (nodes_[next].depth > n.depth + 1 && !matches(address, prefixes_[next], nodes_[next].depth)) return false;
      node = next;
    }
  }
  // The payload of the longest stored prefix containing `address`, or kNone.
  int32_t deepest(const conntrack::IpBytes& address, uint8_t bits) const {
    int32_t last = kNone;
    visit(address, bits, [&](int32_t p) {
      last = p;
      return false;
    });
    return last;
  }

  // Calls merge(payload, ancestor) for every payload and the nearest payload above it,
  // ancestors before descendants: merging each into the next makes every payload hold
  // what all the prefixes containing it hold (leaf pushing).
  template <class F>
  void push_down(F&& merge) const {
    std::vector<int32_t> above(nodes_.size(), kNone);
    for (uint32_t n = 0; n < nodes_.size(); ++n) {  // parents come before children
      const int32_t payload = nodes_[n].payload;
      if (payload != kNone && above[n] != kNone) merge(payload, above[n]);
      for (uint32_t c : nodes_[n].child)
        if (c) above[c] = payload != kNone ? payload : above[n];
    }
  }

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t child[2] = {0, 0};  // 0 is "none": the root is never anyone's child
    uint32_t far[2] = {0, 0};    // child[] with one-child chains skipped (seal())
    int32_t payload = kNone;
    uint8_t depth = 0;           // prefix length of this node
  };
  struct Jump {
    uint32_t node = 0;   // where the walk stands after kJumpBits bits, or kNoNode
    uint32_t first = 0;  // its payloads passed on the way: jump_payloads_[first, first + count)
    uint32_t count = 0;
  };
  static constexpr uint32_t kNoNode = UINT32_MAX;

  static int bit_of(const conntrack::IpBytes& a, uint8_t bit) { return (a[bit >> 3] >> (7 - (bit & 7))) & 1; }
  static bool matches(const conntrack::IpBytes& a, const conntrack::IpBytes& prefix, uint8_t length) {
    const size_t whole = length >> 3;
    if (std::memcmp(a.data(), prefix.data(), whole) != 0) return false;
    if ((length & 7) == 0) return true;
    const auto mask = static_cast<uint8_t>(0xff00u >> (length & 7));
    return (a[whole] & mask) == (prefix[whole] & mask);
  }

  // One child and no payload: a walk passes through without stopping.
  static bool is_chain(const Node& n) {
    return n.payload == kNone && ((n.child[0] == 0) != (n.child[1] == 0));
  }

  // Keeps the root and the nodes far[] reaches; renumbers links, the base and the jump
  // table (whose targets move down their chain to the first node kept).
  void compact() {
    std::vector<uint32_t> renumber(nodes_.size(), kNoNode);
    std::vector<uint32_t> order{0};
    renumber[0] = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      for (uint32_t f : nodes_[order[i]].far) {
        if (f == 0 || renumber[f] != kNoNode) continue;
        renumber[f] = static_cast<uint32_t>(order.size());
        order.push_back(f);
      }
    }
    auto kept = [&](uint32_t n) {
      while (renumber[n] == kNoNode) n = nodes_[n].child[0] ? nodes_[n].child[0] : nodes_[n].child[1];
      return renumber[n];
    };
    for (Jump& j : jump_)
      if (j.node != kNoNode) j.node = kept(j.node);
    base_ = kept(base_);
    std::vector<Node> nodes(order.size());
    std::vector<conntrack::IpBytes> prefixes(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      nodes[i] = nodes_[order[i]];
      for (int b = 0; b < 2; ++b) {
        const uint32_t f = nodes[i].far[b];
        nodes[i].far[b] = nodes[i].child[b] = f == 0 ? 0 : renumber[f];
      }
      prefixes[i] = prefixes_[order[i]];
    }
    nodes_ = std::move(nodes);
    prefixes_ = std::move(prefixes);
  }

  // kJumpBits bits of `a` from bit `from` (from <= 104, so three bytes are in range).
  static uint32_t bits_at(const conntrack::IpBytes& a, uint8_t from) {
    const size_t byte = from >> 3;
    const uint32_t window = (uint32_t{a[byte]} << 16) | (uint32_t{a[byte + 1]} << 8) | a[byte + 2];
    return (window >> (24 - kJumpBits - (from & 7))) & ((1u << kJumpBits) - 1);
  }

  void build_jump_table() {
    jump_.clear();
    jump_payloads_.clear();
    base_payloads_.clear();
    if (nodes_.size() < jump_threshold_) return;
    // The base: the end of the root's one-child chain (the prefix every entry shares).
    uint32_t base = 0;
    while ((nodes_[base].child[0] == 0) != (nodes_[base].child[1] == 0)) {  // one child
      if (nodes_[base].payload != kNone) base_payloads_.push_back(nodes_[base].payload);
      base = nodes_[base].child[0] ? nodes_[base].child[0] : nodes_[base].child[1];
    }
    if (nodes_[base].depth > 104) return;
    base_ = base;
    base_depth_ = nodes_[base].depth;
    jump_.resize(size_t{1} << kJumpBits);
    for (uint32_t index = 0; index < jump_.size(); ++index) {
      Jump& j = jump_[index];
      j.first = static_cast<uint32_t>(jump_payloads_.size());
      uint32_t node = base;
      for (uint8_t bit = 0; bit < kJumpBits; ++bit) {
        if (nodes_[node].payload != kNone) jump_payloads_.push_back(nodes_[node].payload);
        node = nodes_[node].child[(index >> (kJumpBits - 1 - bit)) & 1];
        if (node == 0) break;
      }
      j.node = node == 0 ? kNoNode : node;
      j.count = static_cast<uint32_t>(jump_payloads_.size()) - j.first;
    }
  }

  std::vector<Node> nodes_;
  std::vector<conntrack::IpBytes> prefixes_;  // per node, for the compressed jumps
  size_t jump_threshold_;
  std::vector<Jump> jump_;
  std::vector<int32_t> jump_payloads_;
  uint32_t base_ = 0;                   // where the jump table starts
  uint8_t base_depth_ = 0;
  std::vector<int32_t> base_payloads_;  // payloads on the root's chain above the base
};

}  // namespace overcast::dataplane::firewall

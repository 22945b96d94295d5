// Longest-prefix match for a router's routes (connected subnets and static routes),
// IPv4 and IPv6.
//
// One hash map per prefix length in use, probed from the longest length down: the first
// hit is the longest match. A router has a handful of distinct lengths (its /24s, a /0,
// a few static routes), so a lookup is a few hash probes, and memory is proportional to
// the routes — unlike DIR-24-8, whose 32 MB per table is too much for a table per
// tenant router. Built by the control thread; lookups only read (publish it whole).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace overcast::dataplane::route {

using Uint128 = unsigned __int128;

template <class Address>
struct AddressHash {
  size_t operator()(Address a) const {
    uint64_t h = static_cast<uint64_t>(a) * 0x9e3779b97f4a7c15ull;
    if constexpr (sizeof(Address) > 8) h ^= static_cast<uint64_t>(a >> 64) * 0xc2b2ae3d27d4eb4full;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

// Address is uint32_t (IPv4, host order) or Uint128 (IPv6, big-endian value).
template <class Address, int Bits, class Value>
class LpmTable {
 public:
  static Address mask(Address a, int length) {
    if (length <= 0) return 0;
    if (length >= Bits) return a;
    return a & static_cast<Address>(~Address{0} << (Bits - length));
  }

  // Adds or replaces the route for prefix/length (host bits ignored). False if length is out of range.
  bool insert(Address prefix, int length, const Value& value) {
    if (length < 0 || length > Bits) return false;
    auto& map = by_length_[static_cast<size_t>(length)];
    if (map.empty()) {
      lengths_.push_back(static_cast<uint8_t>(length));
      std::sort(lengths_.rbegin(), lengths_.rend());
    }
    const bool added = map.insert_or_assign(mask(prefix, length), value).second;
    size_ += added;
    return true;
  }

  bool erase(Address prefix, int length) {
    if (length < 0 || length > Bits) return false;
    auto& map = by_length_[static_cast<size_t>(length)];
    if (!map.erase(mask(prefix, length))) return false;
    --size_;
    if (map.empty()) lengths_.erase(std::find(lengths_.begin(), lengths_.end(), static_cast<uint8_t>(length)));
    return true;
  }

  // The value of the longest prefix containing `address`, or nullptr.
  const Value* lookup(Address address) const {
    for (uint8_t length : lengths_) {
      const auto& map = by_length_[length];
      auto it = map.find(mask(address, length));
      if (it != map.end()) return &it->second;
    }
    return nullptr;
  }
  // The length of that prefix too (for tests and `route show`).
  std::optional<int> matched_length(Address address) const {
    for (uint8_t length : lengths_)
      if (by_length_[length].count(mask(address, length))) return length;
    return std::nullopt;
  }

  size_t size() const { return size_; }

 private:
  std::unordered_map<Address, Value, AddressHash<Address>> by_length_[Bits + 1];
  std::vector<uint8_t> lengths_;  // lengths in use, longest first
  size_t size_ = 0;
};

// A router's next step for a destination: deliver on a connected subnet, or forward to
// a next hop (static route).
struct RouteTarget {
  uint32_t interface = 0;   // the router port (subnet) to leave by
  bool connected = false;   // true: the destination itself is the next hop
  Uint128 next_hop = 0;     // static routes: the gateway (IPv4 in the low 32 bits)
  bool external = false;    // the default route of a router with an external gateway: leave by it
};

using Ipv4RouteTable = LpmTable<uint32_t, 32, RouteTarget>;
using Ipv6RouteTable = LpmTable<Uint128, 128, RouteTarget>;

}  // namespace overcast::dataplane::route

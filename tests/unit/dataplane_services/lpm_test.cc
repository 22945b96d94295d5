#include <gtest/gtest.h>

#include <map>
#include <random>

#include "dataplane/route/lpm_table.h"

namespace overcast::dataplane::route {
namespace {

// The reference: every route, the longest containing one wins.
template <class Address, int Bits>
std::optional<std::pair<int, int>> reference(const std::map<std::pair<Address, int>, int>& routes, Address a) {
  std::optional<std::pair<int, int>> best;
  for (const auto& [key, value] : routes) {
    const auto& [prefix, length] = key;
    if (LpmTable<Address, Bits, int>::mask(a, length) == prefix && (!best || length > best->first))
      best = std::make_pair(length, value);
  }
  return best;
}

template <class Address, int Bits>
void random_against_reference(std::mt19937_64& rng, Address (*random_address)(std::mt19937_64&)) {
  for (int round = 0; round < 20; ++round) {
    LpmTable<Address, Bits, int> table;
    std::map<std::pair<Address, int>, int> routes;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      // Lengths cluster the way routes do (0, 8, 16, 24, 32 for IPv4) with some in between.
      const int length = rng() % 2 ? static_cast<int>(rng() % (Bits + 1)) : static_cast<int>(rng() % 5) * Bits / 4;
      const Address prefix = LpmTable<Address, Bits, int>::mask(random_address(rng), length);
      ASSERT_TRUE(table.insert(prefix, length, i));
      routes[{prefix, length}] = i;
    }
    // Remove a few again.
    for (int i = 0; i < n / 5 && !routes.empty(); ++i) {
      auto it = routes.begin();
      std::advance(it, static_cast<long>(rng() % routes.size()));
      ASSERT_TRUE(table.erase(it->first.first, it->first.second));
      routes.erase(it);
    }
    ASSERT_EQ(table.size(), routes.size());
    int hits = 0;
    for (int q = 0; q < 3000; ++q) {
      const Address a = random_address(rng);
      const auto expected = reference<Address, Bits>(routes, a);
      const int* got = table.lookup(a);
      ASSERT_EQ(got != nullptr, expected.has_value());
      if (got) {
        ++hits;
        ASSERT_EQ(*got, expected->second);
        ASSERT_EQ(table.matched_length(a), expected->first);
      }
    }
    EXPECT_GT(hits, 0);
  }
}

// Addresses from a small space, so prefixes overlap and nest.
uint32_t random_v4(std::mt19937_64& rng) {
  return static_cast<uint32_t>(0x0a000000u | (rng() % 4) << 16 | (rng() % 4) << 8 | (rng() % 16) | (rng() % 2) << 31);
}
Uint128 random_v6(std::mt19937_64& rng) {
  return (Uint128{0x20010db8} << 96) | (Uint128{rng() % 4} << 64) | (rng() % 16) | (Uint128{rng() % 2} << 127);
}

TEST(LpmTable, Ipv4AgreesWithNaiveReference) {
  std::mt19937_64 rng(1);
  random_against_reference<uint32_t, 32>(rng, random_v4);
}

TEST(LpmTable, Ipv6AgreesWithNaiveReference) {
  std::mt19937_64 rng(2);
  random_against_reference<Uint128, 128>(rng, random_v6);
}

TEST(LpmTable, ConnectedBeatsDefaultAndHostBitsAreIgnored) {
  Ipv4RouteTable t;
  t.insert(0, 0, RouteTarget{9, false, 0xcb007101});
  t.insert(0x0a000001, 24, RouteTarget{1, true, 0});  // host bits set: still 10.0.0.0/24
  t.insert(0x0a000100, 24, RouteTarget{2, true, 0});
  EXPECT_EQ(t.lookup(0x0a000063)->interface, 1u);
  EXPECT_EQ(t.lookup(0x0a0001fe)->interface, 2u);
  EXPECT_EQ(t.lookup(0x08080808)->interface, 9u);
  EXPECT_FALSE(t.insert(0, 33, RouteTarget{}));
  EXPECT_TRUE(t.erase(0, 0));
  EXPECT_EQ(t.lookup(0x08080808), nullptr);
  EXPECT_FALSE(t.erase(0, 0));
}

}  // namespace
}  // namespace overcast::dataplane::route

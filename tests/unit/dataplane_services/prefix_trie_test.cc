#include <gtest/gtest.h>

#include <random>

#include "dataplane/firewall/prefix_trie.h"

namespace overcast::dataplane::firewall {
namespace {

using conntrack::IpBytes;

bool inside(const IpBytes& a, const IpBytes& prefix, int length) {
  for (int bit = 0; bit < length; ++bit)
    if (((a[bit / 8] >> (7 - bit % 8)) & 1) != ((prefix[bit / 8] >> (7 - bit % 8)) & 1)) return false;
  return true;
}

// With and without the jump table, visit() offers exactly the prefixes containing the
// address, most general first.
TEST(PrefixTrie, VisitOffersEveryContainingPrefixInOrder) {
  for (size_t threshold : {size_t{1}, size_t{1} << 30}) {
    std::mt19937 rng(static_cast<unsigned>(threshold));
    PrefixTrie trie(threshold);
    std::vector<std::pair<IpBytes, int>> prefixes;
    for (int i = 0; i < 3000; ++i) {
      IpBytes p{};
      const uint32_t v = static_cast<uint32_t>(rng()) & 0xf0ff0f0f;  // clustered: prefixes nest
      p = conntrack::ipv4_bytes(v);
      const int length = static_cast<int>(rng() % 33);
      for (int bit = length; bit < 32; ++bit) p[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
      int32_t& payload = trie.payload(p, static_cast<uint8_t>(length));
      if (payload == PrefixTrie::kNone) {
        payload = static_cast<int32_t>(prefixes.size());
        prefixes.emplace_back(p, length);
      }
    }
    trie.seal();
    for (int q = 0; q < 5000; ++q) {
      const IpBytes a = conntrack::ipv4_bytes(static_cast<uint32_t>(rng()) & 0xf0ff0f0f);
      std::vector<int32_t> expected;
      for (size_t i = 0; i < prefixes.size(); ++i)
        if (inside(a, prefixes[i].first, prefixes[i].second)) expected.push_back(static_cast<int32_t>(i));
      std::sort(expected.begin(), expected.end(),
                [&](int32_t x, int32_t y) { return prefixes[x].second < prefixes[y].second; });
      std::vector<int32_t> got;
      EXPECT_FALSE(trie.visit(a, 32, [&](int32_t p) {
        got.push_back(p);
        return false;
      }));
      ASSERT_EQ(got, expected) << "threshold " << threshold << " query " << q;
      if (!expected.empty()) {
        int calls = 0;
        EXPECT_TRUE(trie.visit(a, 32, [&](int32_t) { return ++calls == 1; })) << "stops at the first true";
        EXPECT_EQ(calls, 1);
      }
    }
  }
}

// IPv6: long prefixes make long one-child chains, which seal() compresses.
TEST(PrefixTrie, Ipv6ChainsCompressedWithoutLosingOrFindingTooMuch) {
  std::mt19937 rng(6);
  for (size_t threshold : {size_t{1}, size_t{1} << 30}) {
    PrefixTrie trie(threshold);
    std::vector<std::pair<IpBytes, int>> prefixes;
    auto address = [&] {
      IpBytes a{};
      a[0] = 0x20; a[1] = 0x01;
      for (int i = 2; i < 16; ++i) a[i] = static_cast<uint8_t>(rng() % (i % 3 == 0 ? 2 : 1) + (i == 15 ? rng() % 4 : 0));
      return a;
    };
    for (int i = 0; i < 400; ++i) {
      IpBytes p = address();
      const int length = static_cast<int>(rng() % 129);
      for (int bit = length; bit < 128; ++bit) p[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
      int32_t& payload = trie.payload(p, static_cast<uint8_t>(length));
      if (payload == PrefixTrie::kNone) {
        payload = static_cast<int32_t>(prefixes.size());
        prefixes.emplace_back(p, length);
      }
    }
    trie.seal();
    size_t deep_matches = 0;  // the test means something only if long prefixes match
    for (int q = 0; q < 5000; ++q) {
      const IpBytes a = address();
      std::vector<int32_t> expected;
      for (size_t i = 0; i < prefixes.size(); ++i)
        if (inside(a, prefixes[i].first, prefixes[i].second)) expected.push_back(static_cast<int32_t>(i));
      std::sort(expected.begin(), expected.end(),
                [&](int32_t x, int32_t y) { return prefixes[x].second < prefixes[y].second; });
      std::vector<int32_t> got;
      trie.visit(a, 128, [&](int32_t p) {
        got.push_back(p);
        return false;
      });
      ASSERT_EQ(got, expected) << "threshold " << threshold << " query " << q;
      for (int32_t e : expected) deep_matches += prefixes[static_cast<size_t>(e)].second > 64;
    }
    EXPECT_GT(deep_matches, 1000u);
  }
}

}  // namespace
}  // namespace overcast::dataplane::firewall

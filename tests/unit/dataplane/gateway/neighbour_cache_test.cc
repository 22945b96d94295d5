// The gateway's neighbour cache on the external segment: learns only what it asked
// for (or already holds), asks once per retry interval, follows a moved neighbour,
// stays bounded.
#include "dataplane/gateway/neighbour_cache.h"

#include <gtest/gtest.h>

namespace overcast::dataplane::gateway {
namespace {

constexpr uint32_t kOutside = 0xcb007101;  // 203.0.113.1
constexpr uint32_t kOther = 0xcb007163;    // 203.0.113.99
const MacAddress kMacA{{0x02, 0, 0, 0, 0, 0x0a}};
const MacAddress kMacB{{0x02, 0, 0, 0, 0, 0x0b}};

uint64_t count(const NeighbourCache& cache, NeighbourCache::Count c) { return cache.counters().value(c); }

TEST(NeighbourCacheTest, AsksOnceThenLearnsTheReply) {
  NeighbourCache cache;
  EXPECT_FALSE(cache.find(kOutside, 100).has_value());
  EXPECT_TRUE(cache.should_request(kOutside, 100));
  EXPECT_FALSE(cache.should_request(kOutside, 500));   // a burst sends one request
  EXPECT_TRUE(cache.should_request(kOutside, 1100));   // unanswered: asked again after retry_ms
  EXPECT_TRUE(cache.learn(kOutside, kMacA, 1200));
  EXPECT_EQ(cache.find(kOutside, 1300), kMacA);
  EXPECT_FALSE(cache.should_request(kOutside, 1300));  // fresh
  EXPECT_EQ(count(cache, NeighbourCache::kRequests), 2u);
  EXPECT_EQ(count(cache, NeighbourCache::kLearned), 1u);
  EXPECT_EQ(count(cache, NeighbourCache::kHits), 1u);
  EXPECT_EQ(count(cache, NeighbourCache::kMisses), 1u);
}

TEST(NeighbourCacheTest, UnsolicitedArpPlantsNothing) {
  NeighbourCache cache;
  EXPECT_FALSE(cache.learn(kOther, kMacB, 10));
  EXPECT_FALSE(cache.find(kOther, 10).has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(count(cache, NeighbourCache::kUnsolicited), 1u);
  // A broadcast or zero sender MAC is never a neighbour, even when asked for.
  ASSERT_TRUE(cache.should_request(kOther, 10));
  EXPECT_FALSE(cache.learn(kOther, MacAddress::broadcast(), 11));
  EXPECT_FALSE(cache.learn(kOther, MacAddress{}, 11));
  EXPECT_FALSE(cache.find(kOther, 12).has_value());
}

TEST(NeighbourCacheTest, AHeldNeighbourThatMovesIsFollowed) {
  NeighbourCache cache;
  ASSERT_TRUE(cache.should_request(kOutside, 1));
  ASSERT_TRUE(cache.learn(kOutside, kMacA, 2));
  EXPECT_TRUE(cache.learn(kOutside, kMacB, 3));  // its gratuitous ARP from a new MAC
  EXPECT_EQ(cache.find(kOutside, 4), kMacB);
  EXPECT_EQ(count(cache, NeighbourCache::kRefreshed), 1u);
}

TEST(NeighbourCacheTest, StaleEntriesStillAnswerWhileRenewed) {
  NeighbourCache cache(NeighbourCacheConfig{16, 1000, 100});
  ASSERT_TRUE(cache.should_request(kOutside, 1));
  ASSERT_TRUE(cache.learn(kOutside, kMacA, 2));
  EXPECT_FALSE(cache.should_request(kOutside, 900));
  EXPECT_TRUE(cache.should_request(kOutside, 1100));  // stale: asked again
  EXPECT_EQ(cache.find(kOutside, 1100), kMacA);      // and still used meanwhile
}

TEST(NeighbourCacheTest, BoundedExpiredMakeRoomTheRestIsRefused) {
  NeighbourCache cache(NeighbourCacheConfig{2, 1000, 100});
  ASSERT_TRUE(cache.should_request(1, 1));
  ASSERT_TRUE(cache.learn(1, kMacA, 1));
  ASSERT_TRUE(cache.should_request(2, 1500));
  EXPECT_FALSE(cache.should_request(3, 1600));  // full, nothing expired
  EXPECT_EQ(count(cache, NeighbourCache::kFull), 1u);
  EXPECT_EQ(cache.find(1, 1600), kMacA);  // existing neighbours keep working
  EXPECT_TRUE(cache.should_request(3, 2100));  // entry 1 is past 2 * reachable: purged
  EXPECT_EQ(count(cache, NeighbourCache::kExpired), 1u);
  EXPECT_EQ(cache.size(), 2u);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
}

// learn_asker: the sender of a request for one of our addresses, about to be answered.
TEST(NeighbourCacheTest, AnAskerWeAnswerIsLearnedWithoutARequestOfOurs) {
  NeighbourCache cache;
  EXPECT_TRUE(cache.learn_asker(kOther, kMacA, 10));
  EXPECT_EQ(cache.find(kOther, 11), kMacA);
  EXPECT_FALSE(cache.should_request(kOther, 12));  // fresh: nothing to ask
  EXPECT_EQ(count(cache, NeighbourCache::kLearned), 1u);
  EXPECT_EQ(count(cache, NeighbourCache::kRequests), 0u);
  EXPECT_TRUE(cache.learn_asker(kOther, kMacB, 20));  // asks again from a new MAC
  EXPECT_EQ(cache.find(kOther, 21), kMacB);
  EXPECT_EQ(count(cache, NeighbourCache::kRefreshed), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(NeighbourCacheTest, AnAskerWithAMulticastOrZeroAddressIsRefused) {
  NeighbourCache cache;
  EXPECT_FALSE(cache.learn_asker(kOther, MacAddress::broadcast(), 10));
  EXPECT_FALSE(cache.learn_asker(kOther, MacAddress{{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}}, 10));
  EXPECT_FALSE(cache.learn_asker(kOther, MacAddress{}, 10));
  EXPECT_FALSE(cache.learn_asker(0, kMacA, 10));  // an ARP probe's sender (RFC 5227)
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.find(kOther, 11).has_value());
  EXPECT_EQ(count(cache, NeighbourCache::kUnsolicited), 4u);
  // Nor does a refused asker overwrite a neighbour already held.
  ASSERT_TRUE(cache.learn_asker(kOutside, kMacA, 12));
  EXPECT_FALSE(cache.learn_asker(kOutside, MacAddress::broadcast(), 13));
  EXPECT_EQ(cache.find(kOutside, 14), kMacA);
}

TEST(NeighbourCacheTest, AskersRespectTheCapacity) {
  NeighbourCache cache(NeighbourCacheConfig{2, 1000, 100});
  ASSERT_TRUE(cache.learn_asker(1, kMacA, 1));
  ASSERT_TRUE(cache.learn_asker(2, kMacB, 500));
  EXPECT_FALSE(cache.learn_asker(3, kMacA, 600));  // full, nothing expired
  EXPECT_EQ(count(cache, NeighbourCache::kFull), 1u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.find(3, 600).has_value());
  EXPECT_EQ(cache.find(1, 600), kMacA);      // existing neighbours keep working
  EXPECT_TRUE(cache.learn_asker(1, kMacB, 700));  // and a held one is still refreshed
  EXPECT_EQ(cache.find(1, 700), kMacB);
  EXPECT_TRUE(cache.learn_asker(3, kMacA, 2500));  // entry 2 is past 2 * reachable: purged
  EXPECT_EQ(count(cache, NeighbourCache::kExpired), 1u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find(3, 2500), kMacA);
  EXPECT_FALSE(cache.find(2, 2500).has_value());
}

}  // namespace
}  // namespace overcast::dataplane::gateway

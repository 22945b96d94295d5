// The gateway's queue of packets waiting for their next hop's ARP answer: bounded per next
// hop and in all, released in arrival order, overdue ones handed back, nothing leaked.
#include "dataplane/gateway/unresolved_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace overcast::dataplane::gateway {
namespace {

class UnresolvedQueueTest : public ::testing::Test {
 protected:
  Packet* packet() {
    Packet* p = pool_.alloc();
    EXPECT_NE(p, nullptr);
    return p;
  }
  PacketPool pool_{512, 256};
  UnresolvedQueue queue_;
};

TEST_F(UnresolvedQueueTest, ReleasesWhatWaitedForThatNextHopInArrivalOrder) {
  std::vector<Packet*> a = {packet(), packet()};
  Packet* b = packet();
  ASSERT_TRUE(queue_.hold(a[0], 1, 10));
  ASSERT_TRUE(queue_.hold(b, 2, 10));
  ASSERT_TRUE(queue_.hold(a[1], 1, 11));
  EXPECT_EQ(queue_.size(), 3u);
  std::vector<Packet*> out;
  EXPECT_EQ(queue_.release(1, [&](Packet* p) { out.push_back(p); }), 2u);
  EXPECT_EQ(out, a);
  EXPECT_EQ(queue_.size(), 1u);
  EXPECT_EQ(queue_.release(1, [&](Packet* p) { out.push_back(p); }), 0u);  // already gone
  for (Packet* p : out) pool_.free(p);
  queue_.clear(pool_);
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

TEST_F(UnresolvedQueueTest, BoundedPerNextHopAndInAll) {
  for (size_t i = 0; i < UnresolvedQueue::kPerNextHop; ++i) ASSERT_TRUE(queue_.hold(packet(), 7, 0));
  Packet* extra = packet();
  EXPECT_FALSE(queue_.hold(extra, 7, 0));  // not taken: the caller still owns it
  pool_.free(extra);
  // Fill the rest of the total with other next hops.
  uint32_t next_hop = 100;
  while (queue_.size() < UnresolvedQueue::kTotal) {
    for (size_t i = 0; i < UnresolvedQueue::kPerNextHop && queue_.size() < UnresolvedQueue::kTotal; ++i)
      ASSERT_TRUE(queue_.hold(packet(), next_hop, 0));
    ++next_hop;
  }
  Packet* another = packet();
  EXPECT_FALSE(queue_.hold(another, 99999, 0));  // a fresh next hop, but the total is reached
  pool_.free(another);
  queue_.clear(pool_);
  EXPECT_EQ(queue_.size(), 0u);
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

TEST_F(UnresolvedQueueTest, OverduePacketsAreHandedBackOthersStay) {
  Packet* old = packet();
  Packet* young = packet();
  ASSERT_TRUE(queue_.hold(old, 1, 1000));
  ASSERT_TRUE(queue_.hold(young, 1, 2500));
  std::vector<Packet*> overdue;
  EXPECT_EQ(queue_.expire(1000 + UnresolvedQueue::kHoldMs - 1, [&](Packet* p) { overdue.push_back(p); }), 0u);
  EXPECT_EQ(queue_.expire(1000 + UnresolvedQueue::kHoldMs, [&](Packet* p) { overdue.push_back(p); }), 1u);
  EXPECT_EQ(overdue, std::vector<Packet*>{old});
  EXPECT_EQ(queue_.size(), 1u);
  std::vector<Packet*> released;
  EXPECT_EQ(queue_.release(1, [&](Packet* p) { released.push_back(p); }), 1u);
  EXPECT_EQ(released, std::vector<Packet*>{young});
  pool_.free(old);
  pool_.free(young);
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

}  // namespace
}  // namespace overcast::dataplane::gateway

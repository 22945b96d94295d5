#include "dataplane/core/packet_pool.h"

#include <gtest/gtest.h>

#include "dataplane/core/batch_queue.h"

namespace overcast::dataplane {
namespace {

TEST(PacketPool, ExhaustsAndRecycles) {
  PacketPool pool(2, 256);
  Packet* a = pool.alloc();
  Packet* b = pool.alloc();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(pool.alloc(), nullptr);
  a->meta.vni = 7;
  pool.free(a);
  Packet* again = pool.alloc();
  EXPECT_EQ(again, a);
  EXPECT_EQ(again->meta.vni, 0u);  // metadata cleared on reuse
  EXPECT_EQ(again->headroom(), Packet::kHeadroom);
}

TEST(BatchQueue, DrainsIntoTheNextStepWhenFull) {
  PacketPool pool(Batch::kCapacity * 2 + 1, 256);
  struct Sink {
    PacketPool* pool;
    size_t drained_batches = 0;
    size_t packets = 0;
  } sink{&pool};
  BatchQueue q([](void* owner, Batch& b) {
                 auto* s = static_cast<Sink*>(owner);
                 ++s->drained_batches;
                 s->packets += b.size();
                 s->pool->free_batch(b);
               }, &sink);
  for (size_t i = 0; i < Batch::kCapacity * 2 + 1; ++i) q.push(pool.alloc());
  EXPECT_EQ(sink.drained_batches, 2u);
  EXPECT_EQ(q.size(), 1u);
  q.drain();
  EXPECT_EQ(sink.packets, Batch::kCapacity * 2 + 1);
  EXPECT_EQ(pool.available(), pool.capacity());
}

}  // namespace
}  // namespace overcast::dataplane

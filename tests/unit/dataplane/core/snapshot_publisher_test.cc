// Quiescent-state-based reclamation of published snapshots.
//
// Snapshots live in an arena that is never really freed; the shared_ptr deleter
// only marks an entry "released". A reader that ever sees a released snapshot
// while it may still hold it has caught a premature reclamation — without
// reading freed memory, so the test itself has no undefined behaviour.
#include "dataplane/core/snapshot_publisher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace overcast::dataplane {
namespace {

struct Snapshot {
  uint64_t version = 0;
  uint64_t payload[8] = {};  // every word == version: a torn or recycled read shows
  std::atomic<bool> released{false};
};

class Arena {
 public:
  explicit Arena(size_t n) : entries_(n) {}
  std::shared_ptr<const Snapshot> make(size_t i) {
    Snapshot& s = entries_[i];
    s.version = i;
    for (auto& w : s.payload) w = i;
    return std::shared_ptr<const Snapshot>(&s, [](const Snapshot* p) {
      const_cast<Snapshot*>(p)->released.store(true, std::memory_order_seq_cst);
    });
  }
  const Snapshot& at(size_t i) const { return entries_[i]; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Snapshot> entries_;
};

TEST(SnapshotPublisher, OnlineReaderHoldsRetiredSnapshotUntilQuiescent) {
  Arena arena(3);  // outlives the publisher, whose last snapshot it holds
  QsbrDomain domain(1);
  SnapshotPublisher<Snapshot> publisher(domain);
  const auto reader = domain.register_reader();
  publisher.publish(arena.make(0));

  domain.online(reader);
  const Snapshot* held = publisher.load();
  ASSERT_EQ(held, &arena.at(0));
  publisher.publish(arena.make(1));
  EXPECT_EQ(publisher.retired_count(), 1u);
  EXPECT_FALSE(arena.at(0).released.load());  // the reader may still use it

  domain.quiescent(reader);
  EXPECT_EQ(publisher.load(), &arena.at(1));
  EXPECT_EQ(publisher.reclaim(), 0u);
  EXPECT_TRUE(arena.at(0).released.load());
  EXPECT_FALSE(arena.at(1).released.load());
}

TEST(SnapshotPublisher, OfflineReaderDoesNotHoldReclamation) {
  Arena arena(2);
  QsbrDomain domain(2);
  SnapshotPublisher<Snapshot> publisher(domain);
  const auto sleeping = domain.register_reader();
  domain.online(sleeping);
  domain.offline(sleeping);  // e.g. blocked in epoll_wait
  publisher.publish(arena.make(0));
  publisher.publish(arena.make(1));
  EXPECT_TRUE(arena.at(0).released.load());
  EXPECT_EQ(publisher.retired_count(), 0u);
}

TEST(SnapshotPublisher, ReadersHammeringWhileTablesSwapNeverSeeAReleasedSnapshot) {
  constexpr size_t kTables = 500;
  constexpr size_t kReaders = 2;
  Arena arena(kTables);
  QsbrDomain domain(kReaders);
  SnapshotPublisher<Snapshot> publisher(domain);
  publisher.publish(arena.make(0));

  std::atomic<bool> done{false};
  std::atomic<uint64_t> violations{0};
  std::atomic<uint64_t> reads{0};
  std::vector<std::thread> readers;
  for (size_t r = 0; r < kReaders; ++r) {
    const auto id = domain.register_reader();
    readers.emplace_back([&, id] {
      uint64_t last_version = 0;
      while (!done.load(std::memory_order_relaxed)) {
        domain.quiescent(id);
        const Snapshot* s = publisher.load();
        // Hold it for a while, as a worker holds a table for a batch.
        for (int k = 0; k < 50; ++k) {
          if (s->released.load(std::memory_order_seq_cst)) violations.fetch_add(1);
          for (uint64_t w : s->payload) {
            if (w != s->version) violations.fetch_add(1);
          }
        }
        if (s->version < last_version) violations.fetch_add(1);  // never goes back in time
        last_version = s->version;
        reads.fetch_add(1, std::memory_order_relaxed);
        if ((last_version & 7) == 0) {
          domain.offline(id);  // sometimes "sleep", as a worker in epoll_wait does
          std::this_thread::yield();
        }
      }
      domain.offline(id);
    });
  }
  // Swap only while readers are mid-read: wait for some reads between swaps, so
  // every swap races with a reader holding the previous table.
  while (reads.load() < kReaders) std::this_thread::yield();
  for (size_t i = 1; i < kTables; ++i) {
    const uint64_t before = reads.load();
    publisher.publish(arena.make(i));
    while (reads.load() < before + 2) std::this_thread::yield();
  }
  done.store(true);
  for (auto& t : readers) t.join();

  EXPECT_EQ(violations.load(), 0u);
  EXPECT_EQ(publisher.reclaim(), 0u);  // all readers offline: everything retired is released
  for (size_t i = 0; i + 1 < kTables; ++i) ASSERT_TRUE(arena.at(i).released.load()) << i;
  EXPECT_FALSE(arena.at(kTables - 1).released.load());  // the current one stays
}

}  // namespace
}  // namespace overcast::dataplane

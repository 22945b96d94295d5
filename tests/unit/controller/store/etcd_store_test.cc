// EtcdStore against a real single-member etcd: durability of commits, the stale-commit
// rule that keeps two controllers from overwriting each other, and the watch that
// tells a controller what the others wrote.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "controller/store/etcd_store.h"
#include "etcd_member.h"

namespace overcast::controller::testing {
namespace {

class RecordingFollower : public StoreFollower {
 public:
  explicit RecordingFollower(Store& store) : store_(store) {}
  // Like the model: commits and remote changes under one lock.
  CommitOutcome commit(const WriteBatch& batch, std::string& error) {
    std::lock_guard lock(mutex_);
    return store_.commit_checked(batch, error);
  }
  void apply_remote(const RemoteChange& change) override {
    std::lock_guard lock(mutex_);
    if (!store_.take_remote(change)) return;
    changes_.push_back(change);
    changed_.notify_all();
  }
  std::vector<RemoteChange> wait_for(size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return changes_.size() >= count; });
    return changes_;
  }

 private:
  Store& store_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<RemoteChange> changes_;
};

class EtcdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdMember::available()) GTEST_SKIP() << "etcd is not installed (scripts/install-deps.sh)";
    member_ = std::make_unique<EtcdMember>();
  }

  std::unique_ptr<EtcdStore> open_store() {
    EtcdStoreConfig config;
    config.endpoints = {member_->endpoint()};
    config.prefix = "/test";
    std::string error;
    auto store = EtcdStore::open(config, error);
    EXPECT_TRUE(store) << error;
    std::vector<StoredRecord> ignored;
    if (store) {
      EXPECT_TRUE(store->load_all(ignored, error)) << error;
    }
    return store;
  }

  static WriteBatch put(const std::string& kind, const std::string& id, const std::string& body) {
    WriteBatch batch;
    batch.puts.push_back({kind, id, body});
    return batch;
  }

  std::unique_ptr<EtcdMember> member_;
};

TEST_F(EtcdStoreTest, EmptyClusterLoadsNothing) {
  auto store = open_store();
  ASSERT_TRUE(store);
  std::vector<StoredRecord> records{{"x", "y", "z"}};
  std::string error;
  ASSERT_TRUE(store->load_all(records, error)) << error;
  EXPECT_TRUE(records.empty());
}

TEST_F(EtcdStoreTest, CommittedBatchIsWhatAnotherControllerLoads) {
  auto a = open_store();
  ASSERT_TRUE(a);
  WriteBatch batch;
  batch.puts = {{"network", "n1", "{\"a\":1}"}, {"port", "p/1", "{\"b\":2}"}};
  std::string error;
  ASSERT_EQ(a->commit_checked(batch, error), CommitOutcome::kCommitted) << error;
  WriteBatch removal;
  removal.deletes = {{"network", "n1"}, {"network", "never-there"}};
  removal.puts = {{"subnet", "s1", "{}"}};
  ASSERT_EQ(a->commit_checked(removal, error), CommitOutcome::kCommitted) << error;

  auto b = open_store();
  ASSERT_TRUE(b);
  std::vector<StoredRecord> records;
  ASSERT_TRUE(b->load_all(records, error)) << error;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, "port");
  EXPECT_EQ(records[0].id, "p/1");
  EXPECT_EQ(records[0].body, "{\"b\":2}");
  EXPECT_EQ(records[1].kind, "subnet");
  EXPECT_GT(b->applied_revision(), 0);
}

TEST_F(EtcdStoreTest, CommitOnAStaleModelIsRefusedUntilCaughtUp) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_TRUE(a && b);
  std::string error;
  ASSERT_EQ(a->commit_checked(put("network", "n1", "{}"), error), CommitOutcome::kCommitted) << error;
  // b has not seen n1: whatever it validated and allocated may collide with it.
  EXPECT_EQ(b->commit_checked(put("network", "n2", "{}"), error), CommitOutcome::kStale);

  RecordingFollower follower(*b);
  ASSERT_TRUE(b->start_following(follower, error));
  ASSERT_TRUE(b->catch_up(std::chrono::seconds(10)));
  auto changes = follower.wait_for(1);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].puts.size(), 1u);
  EXPECT_EQ(changes[0].puts[0].id, "n1");
  EXPECT_EQ(b->commit_checked(put("network", "n2", "{}"), error), CommitOutcome::kCommitted) << error;
  b->stop_following();

  std::vector<StoredRecord> records;
  ASSERT_TRUE(open_store()->load_all(records, error));
  EXPECT_EQ(records.size(), 2u);
}

TEST_F(EtcdStoreTest, FollowerGetsOtherWritersTransactionsInOrderButNotItsOwn) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_TRUE(a && b);
  RecordingFollower follower(*a);
  std::string error;
  ASSERT_TRUE(a->start_following(follower, error));
  WriteBatch two;
  two.puts = {{"network", "n1", "1"}, {"subnet", "s1", "2"}};
  ASSERT_EQ(b->commit_checked(two, error), CommitOutcome::kCommitted) << error;
  WriteBatch removal;
  removal.deletes = {{"subnet", "s1"}};
  ASSERT_EQ(b->commit_checked(removal, error), CommitOutcome::kCommitted) << error;
  auto changes = follower.wait_for(2);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].puts.size(), 2u) << "one transaction is one change";
  EXPECT_LT(changes[0].revision, changes[1].revision);
  ASSERT_EQ(changes[1].deletes.size(), 1u);
  EXPECT_EQ(changes[1].deletes[0].id, "s1");

  ASSERT_TRUE(a->catch_up(std::chrono::seconds(10)));
  while (follower.commit(put("port", "own", "3"), error) == CommitOutcome::kStale) {
    ASSERT_TRUE(a->catch_up(std::chrono::seconds(10)));
  }
  ASSERT_EQ(b->commit_checked(put("port", "theirs", "4"), error), CommitOutcome::kStale)
      << "b has not seen a's write";
  // A later remote write proves the watch went past a's own commit without reporting it.
  RecordingFollower b_follower(*b);
  ASSERT_TRUE(b->start_following(b_follower, error));
  ASSERT_TRUE(b->catch_up(std::chrono::seconds(10)));
  ASSERT_EQ(b->commit_checked(put("port", "theirs", "4"), error), CommitOutcome::kCommitted) << error;
  changes = follower.wait_for(3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[2].puts.at(0).id, "theirs");
  a->stop_following();
  b->stop_following();
}

TEST(EtcdStoreOpen, NoMemberAnsweringIsAClearError) {
  EtcdStoreConfig config;
  config.endpoints = {"127.0.0.1:" + std::to_string(free_loopback_port())};
  config.call_timeout = std::chrono::milliseconds(200);
  config.retry_budget = std::chrono::milliseconds(600);
  std::string error;
  EXPECT_FALSE(EtcdStore::open(config, error));
  EXPECT_NE(error.find("cannot reach the etcd cluster"), std::string::npos) << error;
}

}  // namespace
}  // namespace overcast::controller::testing

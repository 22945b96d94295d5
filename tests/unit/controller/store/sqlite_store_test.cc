#include "controller/store/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace overcast::controller {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("oc-store-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "controller.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> open(SyncMode mode = SyncMode::kNormal) {
    std::string error;
    auto store = SqliteStore::open(path_, mode, error);
    EXPECT_TRUE(store) << error;
    return store;
  }

  std::vector<StoredRecord> load(Store& store) {
    std::vector<StoredRecord> records;
    std::string error;
    EXPECT_TRUE(store.load_all(records, error)) << error;
    return records;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, CommitThenReopenKeepsContent) {
  {
    auto store = open();
    std::string error;
    WriteBatch batch;
    batch.puts = {{"network", "n1", R"({"a":1})"}, {"port", "p1", R"({"b":2})"}, {"port", "p2", "{}"}};
    ASSERT_TRUE(store->commit(batch, error)) << error;
    WriteBatch second;
    second.puts = {{"network", "n1", R"({"a":3})"}};
    second.deletes = {{"port", "p2"}, {"port", "absent"}};
    ASSERT_TRUE(store->commit(second, error)) << error;
  }
  auto store = open(SyncMode::kFull);
  auto records = load(*store);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, "network");
  EXPECT_EQ(records[0].id, "n1");
  EXPECT_EQ(records[0].body, R"({"a":3})");
  EXPECT_EQ(records[1].kind, "port");
  EXPECT_EQ(records[1].id, "p1");
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  {
    std::ofstream out(path_);
    out << "this is not a database, and it must not be overwritten\n";
  }
  std::string error;
  EXPECT_FALSE(SqliteStore::open(path_, SyncMode::kNormal, error));
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
  std::ifstream in(path_);
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "this is not a database, and it must not be overwritten");
}

TEST_F(SqliteStoreTest, RefusesARandomBinaryFile) {
  {
    std::ofstream out(path_, std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>((i * 131 + 7) & 0xff));
  }
  std::string error;
  EXPECT_FALSE(SqliteStore::open(path_, SyncMode::kNormal, error));
  EXPECT_FALSE(error.empty());
}

// A child commits, tells the parent it got the acknowledgement, and is SIGKILLed at
// once: the parent must find the committed records when it opens the file.
TEST_F(SqliteStoreTest, AcknowledgedCommitSurvivesSigkill) {
  int ack[2];
  ASSERT_EQ(pipe(ack), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ack[0]);
    std::string error;
    auto store = SqliteStore::open(path_, SyncMode::kNormal, error);
    if (!store) _exit(3);
    WriteBatch batch;
    for (int i = 0; i < 50; ++i) batch.puts.push_back({"port", "p" + std::to_string(i), "{}"});
    if (!store->commit(batch, error)) _exit(4);
    const char done = 'y';
    if (write(ack[1], &done, 1) != 1) _exit(5);
    // Wait to be killed, holding the database open (no clean close, no checkpoint).
    for (;;) pause();
  }
  close(ack[1]);
  char done = 0;
  ASSERT_EQ(read(ack[0], &done, 1), 1);
  close(ack[0]);
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto store = open();
  EXPECT_EQ(load(*store).size(), 50u);
}

TEST_F(SqliteStoreTest, LastPutOfAKeyInABatchWins) {
  auto store = open();
  std::string error;
  WriteBatch good;
  good.puts = {{"network", "n1", "{}"}};
  ASSERT_TRUE(store->commit(good, error));
  WriteBatch batch;
  batch.puts = {{"network", "n2", "{}"}, {"network", "n2", R"({"x":1})"}};
  ASSERT_TRUE(store->commit(batch, error)) << error;
  auto records = load(*store);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].body, R"({"x":1})");
}

}  // namespace
}  // namespace overcast::controller

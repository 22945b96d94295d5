// SqliteStore: the embedded store, one SQLite file in WAL mode.
//
// Durability: every commit is one SQLite transaction. With synchronous=NORMAL (the
// default) a commit returns once its frames are written to the WAL file, i.e. handed to
// the operating system: the transaction survives the controller being killed (even
// kill -9) at any moment after it was acknowledged, but a power loss or kernel crash may
// lose the last few transactions (never corrupts the file). With synchronous=FULL the
// WAL is fsync'ed before each commit returns, so an acknowledged transaction also
// survives power loss, at the cost of one fsync per API write.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "controller/store/store.h"

namespace SQLite {
class Database;
}

namespace overcast::controller {

enum class SyncMode { kNormal, kFull };

class SqliteStore : public Store {
 public:
  // Opens (creating when absent) the database at `path` and checks that it is a
  // readable Overcast store. Returns nullptr with `error` set otherwise.
  static std::unique_ptr<SqliteStore> open(const std::string& path, SyncMode sync,
                                           std::string& error);
  ~SqliteStore() override;

  bool load_all(std::vector<StoredRecord>& records, std::string& error) override;
  bool commit(const WriteBatch& batch, std::string& error) override;

 private:
  explicit SqliteStore(std::unique_ptr<SQLite::Database> db);

  std::mutex mutex_;  // one writer at a time on the connection
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace overcast::controller

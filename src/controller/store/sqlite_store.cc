#include "controller/store/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <exception>
#include <fstream>

namespace overcast::controller {

namespace {
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS records ("
    "  kind TEXT NOT NULL,"
    "  id TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (kind, id)) WITHOUT ROWID";
}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, SyncMode sync,
                                               std::string& error) {
  // SQLite silently rewrites a non-empty file too short to hold a header; a file that is
  // not a database must be refused, never overwritten.
  if (std::ifstream existing(path, std::ios::binary); existing) {
    char header[16] = {};
    existing.read(header, sizeof header);
    if (existing.gcount() > 0 && std::string(header, static_cast<size_t>(existing.gcount())) !=
                                     std::string("SQLite format 3\0", 16)) {
      error = "cannot open database '" + path + "': file is not a database";
      return nullptr;
    }
  }
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->setBusyTimeout(5000);
    // journal_mode answers with the mode in force; anything but "wal" means the file
    // could not be switched (e.g. it is not a database at all).
    const std::string mode = db->execAndGet("PRAGMA journal_mode=WAL").getString();
    if (mode != "wal") {
      error = "cannot put database '" + path + "' in WAL mode (got '" + mode + "')";
      return nullptr;
    }
    db->exec(sync == SyncMode::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec(kSchema);
    // A cheap structural check so a damaged file is refused at start-up, not on the
    // first write an operator makes.
    const std::string check = db->execAndGet("PRAGMA quick_check").getString();
    if (check != "ok") {
      error = "database '" + path + "' failed its integrity check: " + check;
      return nullptr;
    }
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
  } catch (const std::exception& e) {
    error = "cannot open database '" + path + "': " + e.what();
    return nullptr;
  }
}

bool SqliteStore::load_all(std::vector<StoredRecord>& records, std::string& error) {
  std::lock_guard lock(mutex_);
  try {
    records.clear();
    SQLite::Statement query(*db_, "SELECT kind, id, body FROM records ORDER BY kind, id");
    while (query.executeStep()) {
      records.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                         query.getColumn(2).getString()});
    }
    return true;
  } catch (const std::exception& e) {
    error = std::string("cannot read records: ") + e.what();
    return false;
  }
}

bool SqliteStore::commit(const WriteBatch& batch, std::string& error) {
  if (batch.empty()) return true;
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement put(*db_,
                          "INSERT INTO records (kind, id, body) VALUES (?, ?, ?) "
                          "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body");
    for (const auto& record : batch.puts) {
      put.bind(1, record.kind);
      put.bind(2, record.id);
      put.bind(3, record.body);
      put.exec();
      put.reset();
    }
    SQLite::Statement remove(*db_, "DELETE FROM records WHERE kind = ? AND id = ?");
    for (const auto& key : batch.deletes) {
      remove.bind(1, key.kind);
      remove.bind(2, key.id);
      remove.exec();
      remove.reset();
    }
    transaction.commit();
    return true;
  } catch (const std::exception& e) {
    error = std::string("store commit failed: ") + e.what();
    return false;
  }
}

}  // namespace overcast::controller

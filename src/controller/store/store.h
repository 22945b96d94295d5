// The controller's durable record store: what the logical model is made of on disk.
//
// The model is small enough to live in memory; the store only has to give it back at
// start-up (load_all) and make each API transaction durable before the API answers
// (commit). Records are opaque JSON bodies keyed by (kind, id); the store never looks
// inside them. Implementations: SqliteStore (one file, the embedded default); an etcd
// store comes later behind the same interface.
#pragma once

#include <string>
#include <vector>

namespace overcast::controller {

struct StoredRecord {
  std::string kind;  // "network", "subnet", "port", "agent"
  std::string id;
  std::string body;  // JSON text, as the model wrote it
};

struct RecordKey {
  std::string kind;
  std::string id;
};

// One transaction: all puts and deletes become durable together, or none do.
struct WriteBatch {
  std::vector<StoredRecord> puts;
  std::vector<RecordKey> deletes;

  bool empty() const { return puts.empty() && deletes.empty(); }
};

class Store {
 public:
  virtual ~Store() = default;
  // Every record, in (kind, id) order. False with `error` set when the store cannot
  // be read (corrupt file, I/O error).
  virtual bool load_all(std::vector<StoredRecord>& records, std::string& error) = 0;
  // Applies the batch atomically. Deletes of absent keys are not errors. When this
  // returns true the batch survives a crash of the process (see each implementation
  // for what it promises about power loss).
  virtual bool commit(const WriteBatch& batch, std::string& error) = 0;
};

}  // namespace overcast::controller

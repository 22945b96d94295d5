// The controller's durable record store: what the logical model is made of on disk.
//
// The model is small enough to live in memory; the store only has to give it back at
// start-up (load_all) and make each API transaction durable before the API answers
// (commit). Records are opaque JSON bodies keyed by (kind, id); the store never looks
// inside them. Implementations: SqliteStore (one file, the embedded default, one
// controller) and EtcdStore (an etcd cluster shared by several controllers).
//
// A shared store adds two things a single-writer one does without: a commit may be
// refused as stale (another controller wrote first; the model catches up and runs its
// transaction again), and the store tells a StoreFollower what the others wrote.
#pragma once

#include <chrono>
#include <cstdint>
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

// The records another writer changed in one of its transactions (or, when `full`, the
// whole content of the store after the follower lost track: everything absent from
// `puts` is gone).
struct RemoteChange {
  int64_t revision = 0;
  bool full = false;
  std::vector<StoredRecord> puts;
  std::vector<RecordKey> deletes;
};

class StoreFollower {
 public:
  virtual ~StoreFollower() = default;
  // Called from the store's own thread, one change at a time, in commit order. The
  // follower must call Store::take_remote() under the same lock as its commits and drop
  // the change when that says no (it is the follower's own commit, seen already).
  virtual void apply_remote(const RemoteChange& change) = 0;
};

enum class CommitOutcome {
  kCommitted,
  kFailed,  // `error` says why; nothing was written (or, after a lost reply, it may
            // show up later as a RemoteChange)
  kStale,   // another writer committed first: catch_up(), then run the transaction again
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

  // commit() that can tell a stale commit from a failed one. A single-writer store is
  // never stale.
  virtual CommitOutcome commit_checked(const WriteBatch& batch, std::string& error) {
    return commit(batch, error) ? CommitOutcome::kCommitted : CommitOutcome::kFailed;
  }
  // After kStale: waits until the follower was given every change the refusing writer
  // had made. False after `timeout`.
  virtual bool catch_up(std::chrono::milliseconds /*timeout*/) { return true; }
  // Starts telling `follower` the changes other writers make after the last load_all().
  // A single-writer store has nothing to tell.
  virtual bool start_following(StoreFollower& /*follower*/, std::string& /*error*/) { return true; }
  // For a StoreFollower, under the lock its commits take: true when `change` is new to
  // it (and from now on counts as applied), false when it is its own commit or was
  // applied already. Checking here, under that lock, closes the race between a commit's
  // reply and the watch event of the same commit.
  virtual bool take_remote(const RemoteChange& /*change*/) { return true; }
  virtual void stop_following() {}
};

}  // namespace overcast::controller

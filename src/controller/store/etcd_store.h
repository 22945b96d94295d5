// EtcdStore: the model's records in an etcd cluster that several controllers share.
//
// Every model transaction is one etcd Txn:
//   if  mod_revision(<prefix>/model/!sequence) < applied + 1
//   then put/delete the records, put !sequence = <this commit's unique id>
//   else range !sequence
// where `applied` is the etcd revision up to which this controller's model already
// holds every model write. So a commit succeeds only if no other controller wrote the
// model since this one last looked: validation and allocation (VNIs, MACs, IPs) were
// done against the whole current model, and two controllers can never hand out the
// same thing. A refused commit is kStale: the model waits until the watch has brought
// it the other writes (catch_up) and runs its transaction again.
//
// A commit whose reply was lost (member killed, leader lost) is retried on another
// member; if the first attempt had in fact been applied, the retry finds its own id in
// !sequence and reports success instead of writing twice.
//
// A watch on the model prefix, from the revision loaded on, hands the other
// controllers' writes to the StoreFollower, one etcd revision (= one transaction) at a
// time; this controller's own commits are recognised by revision and skipped. If the
// watch fell behind etcd's compaction, the follower is given the whole store instead.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "controller/store/etcd_client.h"
#include "controller/store/etcd_keys.h"
#include "controller/store/store.h"

namespace overcast::controller {

struct EtcdStoreConfig {
  std::vector<std::string> endpoints;  // "host:port" of the members
  std::string prefix = "/overcast";
  std::chrono::milliseconds call_timeout{2000};
  std::chrono::milliseconds retry_budget{15000};
};

class EtcdStore : public Store {
 public:
  // Connects and checks that the cluster answers (a Range of the model). nullptr with
  // `error` set when it does not within the retry budget.
  static std::unique_ptr<EtcdStore> open(EtcdStoreConfig config, std::string& error);
  ~EtcdStore() override;

  bool load_all(std::vector<StoredRecord>& records, std::string& error) override;
  bool commit(const WriteBatch& batch, std::string& error) override;
  CommitOutcome commit_checked(const WriteBatch& batch, std::string& error) override;
  bool catch_up(std::chrono::milliseconds timeout) override;
  bool start_following(StoreFollower& follower, std::string& error) override;
  void stop_following() override;
  bool take_remote(const RemoteChange& change) override;

  // The etcd revision the model holds everything up to.
  int64_t applied_revision() const;
  // Records seen on the watch that could not be understood (bad key), never applied.
  uint64_t dropped_events() const { return dropped_events_.load(); }

 private:
  explicit EtcdStore(EtcdStoreConfig config);

  bool read_all(std::vector<StoredRecord>& records, int64_t& revision, std::string& error);
  void advance_applied(int64_t revision);
  void watch_loop();
  // One watch stream until it breaks; false when stopping.
  bool watch_once();
  void deliver(RemoteChange change);
  void resync();

  const EtcdStoreConfig config_;
  const etcd::KeyLayout keys_;
  etcd::EtcdClient client_;
  const std::string writer_id_;  // this process, in !sequence values
  uint64_t commits_ = 0;         // with writer_id_, names each commit

  mutable std::mutex mutex_;  // applied_, stale_until_, stopping_, watch_context_
  std::condition_variable applied_changed_;
  int64_t applied_ = 0;
  int64_t stale_until_ = 0;  // the !sequence revision that refused the last commit
  bool stopping_ = false;
  grpc::ClientContext* watch_context_ = nullptr;
  StoreFollower* follower_ = nullptr;
  std::thread watcher_;
  std::atomic<uint64_t> dropped_events_{0};
};

}  // namespace overcast::controller

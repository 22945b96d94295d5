#include "controller/store/etcd_store.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

namespace overcast::controller {

namespace {
constexpr std::chrono::milliseconds kWatchRetryPause{200};

std::string make_writer_id() {
  std::random_device random;
  std::uniform_int_distribution<uint64_t> any;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d-%016llx", static_cast<int>(getpid()),
                static_cast<unsigned long long>(any(random)));
  return buf;
}

std::string describe(const grpc::Status& status) {
  return "etcd: " + status.error_message() + " (gRPC code " + std::to_string(static_cast<int>(status.error_code())) + ")";
}
}  // namespace

EtcdStore::EtcdStore(EtcdStoreConfig config)
    : config_(std::move(config)),
      keys_(config_.prefix),
      client_(etcd::ClientConfig{config_.endpoints, config_.call_timeout, config_.retry_budget}),
      writer_id_(make_writer_id()) {}

EtcdStore::~EtcdStore() { stop_following(); }

std::unique_ptr<EtcdStore> EtcdStore::open(EtcdStoreConfig config, std::string& error) {
  if (config.endpoints.empty()) {
    error = "no etcd endpoint given";
    return nullptr;
  }
  std::unique_ptr<EtcdStore> store(new EtcdStore(std::move(config)));
  etcdserverpb::RangeRequest probe;
  probe.set_key(store->keys_.sequence_key());
  probe.set_count_only(true);
  etcdserverpb::RangeResponse answer;
  if (grpc::Status status = store->client_.range(probe, answer); !status.ok()) {
    error = "cannot reach the etcd cluster: " + describe(status);
    return nullptr;
  }
  return store;
}

bool EtcdStore::read_all(std::vector<StoredRecord>& records, int64_t& revision, std::string& error) {
  etcdserverpb::RangeRequest request;
  request.set_key(keys_.model_prefix());
  request.set_range_end(keys_.model_range_end());
  etcdserverpb::RangeResponse response;
  if (grpc::Status status = client_.range(request, response); !status.ok()) {
    error = "cannot read the model from etcd: " + describe(status);
    return false;
  }
  records.clear();
  for (const auto& kv : response.kvs()) {
    if (kv.key() == keys_.sequence_key()) continue;
    auto key = keys_.parse_record_key(kv.key());
    if (!key) {
      error = "etcd holds a model key that is not <kind>/<id>: '" + kv.key() + "'";
      return false;
    }
    records.push_back({key->kind, key->id, kv.value()});
  }
  revision = response.header().revision();
  return true;
}

bool EtcdStore::load_all(std::vector<StoredRecord>& records, std::string& error) {
  int64_t revision = 0;
  if (!read_all(records, revision, error)) return false;
  std::lock_guard lock(mutex_);
  applied_ = revision;
  return true;
}

int64_t EtcdStore::applied_revision() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

void EtcdStore::advance_applied(int64_t revision) {
  {
    std::lock_guard lock(mutex_);
    if (revision <= applied_) return;
    applied_ = revision;
  }
  applied_changed_.notify_all();
}

bool EtcdStore::commit(const WriteBatch& batch, std::string& error) {
  const CommitOutcome outcome = commit_checked(batch, error);
  if (outcome == CommitOutcome::kStale && error.empty()) error = "another controller wrote first";
  return outcome == CommitOutcome::kCommitted;
}

CommitOutcome EtcdStore::commit_checked(const WriteBatch& batch, std::string& error) {
  if (batch.empty()) return CommitOutcome::kCommitted;
  const std::string commit_id = writer_id_ + "-" + std::to_string(++commits_);
  etcdserverpb::TxnRequest request;
  auto* compare = request.add_compare();
  compare->set_key(keys_.sequence_key());
  compare->set_target(etcdserverpb::Compare::MOD);
  compare->set_result(etcdserverpb::Compare::LESS);
  compare->set_mod_revision(applied_revision() + 1);
  for (const auto& record : batch.puts) {
    auto* put = request.add_success()->mutable_request_put();
    put->set_key(keys_.record_key(record.kind, record.id));
    put->set_value(record.body);
  }
  for (const auto& key : batch.deletes) {
    request.add_success()->mutable_request_delete_range()->set_key(keys_.record_key(key.kind, key.id));
  }
  auto* sequence = request.add_success()->mutable_request_put();
  sequence->set_key(keys_.sequence_key());
  sequence->set_value(commit_id);
  request.add_failure()->mutable_request_range()->set_key(keys_.sequence_key());

  etcdserverpb::TxnResponse response;
  if (grpc::Status status = client_.txn(request, response); !status.ok()) {
    error = "store commit failed: " + describe(status);
    return CommitOutcome::kFailed;
  }
  if (response.succeeded()) {
    advance_applied(response.header().revision());
    return CommitOutcome::kCommitted;
  }
  // Refused: either another controller wrote since we looked, or this very commit was
  // applied by an earlier attempt whose reply was lost.
  int64_t sequence_revision = 0;
  if (response.responses_size() == 1 && response.responses(0).response_range().kvs_size() == 1) {
    const auto& kv = response.responses(0).response_range().kvs(0);
    if (kv.value() == commit_id) {
      advance_applied(kv.mod_revision());
      return CommitOutcome::kCommitted;
    }
    sequence_revision = kv.mod_revision();
  }
  std::lock_guard lock(mutex_);
  stale_until_ = sequence_revision;
  return CommitOutcome::kStale;
}

bool EtcdStore::catch_up(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return applied_changed_.wait_for(lock, timeout, [this] { return applied_ >= stale_until_ || stopping_; }) &&
         !stopping_;
}

bool EtcdStore::start_following(StoreFollower& follower, std::string&) {
  std::lock_guard lock(mutex_);
  if (watcher_.joinable()) return true;
  follower_ = &follower;
  stopping_ = false;
  watcher_ = std::thread([this] { watch_loop(); });
  return true;
}

void EtcdStore::stop_following() {
  {
    std::lock_guard lock(mutex_);
    if (!watcher_.joinable()) return;
    stopping_ = true;
    if (watch_context_) watch_context_->TryCancel();
  }
  applied_changed_.notify_all();
  watcher_.join();
}

void EtcdStore::watch_loop() {
  while (watch_once()) {
    std::unique_lock lock(mutex_);
    if (applied_changed_.wait_for(lock, kWatchRetryPause, [this] { return stopping_; })) return;
  }
}

void EtcdStore::deliver(RemoteChange change) {
  {
    std::lock_guard lock(mutex_);
    if (!change.full && change.revision <= applied_) return;  // our own commit, or seen
  }
  // The follower decides for good with take_remote(), under its own lock.
  follower_->apply_remote(change);
  advance_applied(change.revision);
}

bool EtcdStore::take_remote(const RemoteChange& change) {
  {
    std::lock_guard lock(mutex_);
    if (!change.full && change.revision <= applied_) return false;
    applied_ = std::max(applied_, change.revision);
  }
  applied_changed_.notify_all();
  return true;
}

void EtcdStore::resync() {
  RemoteChange everything;
  everything.full = true;
  std::string error;
  if (!read_all(everything.puts, everything.revision, error)) {
    spdlog::error("etcd: cannot resync the model: {}", error);
    return;
  }
  spdlog::warn("etcd: the watch fell behind compaction; reloaded the model at revision {}", everything.revision);
  deliver(std::move(everything));
}

bool EtcdStore::watch_once() {
  auto channel = client_.current_channel();
  auto stub = etcdserverpb::Watch::NewStub(channel);
  grpc::ClientContext context;
  etcd::EtcdClient::require_leader(context);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    watch_context_ = &context;
  }
  auto stream = stub->Watch(&context);
  etcdserverpb::WatchRequest request;
  auto* create = request.mutable_create_request();
  create->set_key(keys_.model_prefix());
  create->set_range_end(keys_.model_range_end());
  create->set_start_revision(applied_revision() + 1);
  bool broke = !stream->Write(request);
  etcdserverpb::WatchResponse response;
  while (!broke && stream->Read(&response)) {
    if (response.compact_revision() != 0) {
      resync();
      break;  // a new watch starts after the reloaded revision
    }
    if (response.canceled()) {
      spdlog::warn("etcd: watch canceled: {}", response.cancel_reason());
      break;
    }
    // Events come in revision order; one revision is one transaction of one controller.
    RemoteChange change;
    for (const auto& event : response.events()) {
      const int64_t revision = event.kv().mod_revision();
      if (revision != change.revision && change.revision != 0) {
        deliver(std::move(change));
        change = RemoteChange{};
      }
      change.revision = revision;
      if (event.kv().key() == keys_.sequence_key()) continue;
      auto key = keys_.parse_record_key(event.kv().key());
      if (!key) {
        ++dropped_events_;
        spdlog::warn("etcd: ignoring a change of '{}', not a <kind>/<id> key", event.kv().key());
        continue;
      }
      if (event.type() == mvccpb::Event::PUT) {
        change.puts.push_back({key->kind, key->id, event.kv().value()});
      } else {
        change.deletes.push_back(*key);
      }
    }
    if (change.revision != 0) deliver(std::move(change));
  }
  context.TryCancel();
  grpc::Status status = stream->Finish();
  std::lock_guard lock(mutex_);
  watch_context_ = nullptr;
  if (stopping_) return false;
  spdlog::info("etcd: watch ended ({}), reopening on the next member", status.error_message());
  client_.member_failed(channel);
  return true;
}

}  // namespace overcast::controller

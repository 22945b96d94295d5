#include "agent/sync/southbound_client.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <thread>

#include "agent/sync/sync_session.h"

namespace overcast::agent {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
}  // namespace

// Owns the background thread: connect, run a SyncSession, back off, repeat.
class SouthboundClient::Core {
 public:
  Core(SouthboundClientConfig config, ViewSink& sink) : config_(std::move(config)), sink_(sink) {
    size_t start = 0;
    while (true) {
      const size_t comma = config_.controller.find(',', start);
      endpoints_.push_back(config_.controller.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }

  void start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      if (!thread_.joinable()) return;
      stopping_ = true;
      if (context_ != nullptr) context_->TryCancel();
    }
    cv_.notify_all();
    thread_.join();
  }

  SouthboundStatus status() const {
    std::lock_guard lock(shared_.mu);
    return shared_.status;
  }

 private:
  void run() {
    auto backoff = kFirstBackoff;
    bool first = true;
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      if (!first) {
        std::lock_guard lock(shared_.mu);
        ++shared_.status.reconnects;
      }
      first = false;
      if (run_once()) backoff = kFirstBackoff;
      // The controller in use went away or never answered: the next one of the cluster.
      current_ = (current_ + 1) % endpoints_.size();
      std::unique_lock lock(mu_);
      if (stopping_) return;
      spdlog::info("southbound: reconnecting to {} in {} ms", endpoints_[current_], backoff.count());
      cv_.wait_for(lock, backoff, [this] { return stopping_; });
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

  // One stream on a fresh channel (a fresh channel does not inherit gRPC's own,
  // much longer, reconnect backoff from the previous failure).
  bool run_once() {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);  // snapshots of big hosts exceed the 4 MB default
    // A connection of its own, as each real agent has: gRPC would otherwise share one
    // HTTP/2 connection among the clients of a process (the scale bench runs 1,000),
    // and a client that stops reading would hold back the others.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, static_cast<int>(kFirstBackoff.count()));
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, static_cast<int>(kFirstBackoff.count()));
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, static_cast<int>(kMaxBackoff.count()));
    const std::string& endpoint = endpoints_[current_];
    {
      std::lock_guard lock(shared_.mu);
      shared_.status.controller = endpoint;
    }
    auto channel = grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args);
    auto stub = sb::Southbound::NewStub(channel);
    grpc::ClientContext context;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return false;
      context_ = &context;
    }
    SyncSession session(config_, sink_, shared_);
    bool welcomed = session.run(*stub, context);
    std::lock_guard lock(mu_);
    context_ = nullptr;
    return welcomed;
  }

  const SouthboundClientConfig config_;
  std::vector<std::string> endpoints_;  // config_.controller, split
  size_t current_ = 0;                  // only the connection thread touches it
  ViewSink& sink_;
  ClientShared shared_;
  std::mutex mu_;  // stopping_, context_, thread_
  std::condition_variable cv_;
  bool stopping_ = false;
  grpc::ClientContext* context_ = nullptr;
  std::thread thread_;
};

SouthboundClient::SouthboundClient(SouthboundClientConfig config, ViewSink& sink)
    : core_(std::make_unique<Core>(std::move(config), sink)) {}

SouthboundClient::~SouthboundClient() { core_->stop(); }

void SouthboundClient::start() { core_->start(); }
void SouthboundClient::stop() { core_->stop(); }
SouthboundStatus SouthboundClient::status() const { return core_->status(); }

}  // namespace overcast::agent

#include "controller/southbound/southbound_service.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "controller/southbound/session_hub.h"

namespace overcast::controller {

namespace {

class SouthboundGrpcService final : public sb::Southbound::CallbackService {
 public:
  explicit SouthboundGrpcService(SessionHub& hub) : hub_(hub) {}

  grpc::ServerBidiReactor<sb::AgentMessage, sb::ControllerMessage>* Session(
      grpc::CallbackServerContext*) override {
    return hub_.open_session();
  }

 private:
  SessionHub& hub_;
};

SouthboundConfig sanitized(SouthboundConfig config) {
  if (config.heartbeat_interval_ms == 0) config.heartbeat_interval_ms = SouthboundConfig{}.heartbeat_interval_ms;
  return config;
}

// gRPC server + session hub + a ticker thread for heartbeats and liveness. The
// ticker is the only thread of ours; streams run on gRPC's callback threads.
class SouthboundServiceImpl final : public SouthboundService {
 public:
  SouthboundServiceImpl(AgentRegistry& registry, SouthboundConfig config, SouthboundLimits limits)
      : config_(sanitized(config)), hub_(registry, config_, limits), grpc_service_(hub_) {}

  ~SouthboundServiceImpl() override { stop(); }

  void apply(const ChangeSet& changes) override { hub_.apply(changes); }

  bool start(const std::string& listen_address, std::string& error) override {
    std::lock_guard lock(lifecycle_mu_);
    if (server_) {
      error = "southbound already listening on port " + std::to_string(port_);
      return false;
    }
    hub_.reopen();
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(listen_address, grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&grpc_service_);
    builder.SetMaxReceiveMessageSize(16 << 20);
    server_ = builder.BuildAndStart();
    if (!server_ || port == 0) {
      server_.reset();
      error = "cannot listen on '" + listen_address + "' (bad address or port in use)";
      return false;
    }
    port_ = port;
    {
      std::lock_guard ticker_lock(ticker_mu_);
      ticker_stop_ = false;
    }
    ticker_ = std::thread([this] { run_ticker(); });
    spdlog::info("southbound: listening on {} (port {}), epoch {}", listen_address, port_,
                 hub_.compiler().epoch());
    return true;
  }

  void stop() override {
    std::lock_guard lock(lifecycle_mu_);
    if (!server_) return;
    {
      std::lock_guard ticker_lock(ticker_mu_);
      ticker_stop_ = true;
    }
    ticker_cv_.notify_all();
    ticker_.join();
    hub_.close_all();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    hub_.wait_all_done();
    server_->Wait();
    server_.reset();
    port_ = 0;
    spdlog::info("southbound: stopped");
  }

  SouthboundCounters counters() const override { return hub_.counters(); }

  int listening_port() const override {
    std::lock_guard lock(lifecycle_mu_);
    return port_;
  }

 private:
  void run_ticker() {
    const auto period = std::chrono::milliseconds(std::clamp<uint32_t>(config_.heartbeat_interval_ms / 4, 10, 250));
    std::unique_lock lock(ticker_mu_);
    while (!ticker_stop_) {
      ticker_cv_.wait_for(lock, period, [this] { return ticker_stop_; });
      if (ticker_stop_) break;
      lock.unlock();
      hub_.tick();
      lock.lock();
    }
  }

  const SouthboundConfig config_;
  SessionHub hub_;
  SouthboundGrpcService grpc_service_;
  mutable std::mutex lifecycle_mu_;
  std::unique_ptr<grpc::Server> server_;  // declared after the service it serves
  int port_ = 0;
  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool ticker_stop_ = false;
  std::thread ticker_;
};

}  // namespace

std::unique_ptr<SouthboundService> make_southbound_service(AgentRegistry& registry, SouthboundConfig config) {
  return make_southbound_service(registry, config, SouthboundLimits{});
}

std::unique_ptr<SouthboundService> make_southbound_service(AgentRegistry& registry, SouthboundConfig config,
                                                           SouthboundLimits limits) {
  return std::make_unique<SouthboundServiceImpl>(registry, config, limits);
}

}  // namespace overcast::controller

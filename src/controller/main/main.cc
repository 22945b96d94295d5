// overcast-controller: opens the store, loads the logical model, starts the southbound
// service for agents and the Neutron API, and runs until SIGTERM or SIGINT.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "controller/api/api_server.h"
#include "controller/main/controller_flags.h"
#include "controller/model/logical_model.h"
#include "controller/store/etcd_keys.h"
#include "controller/store/etcd_liveness_board.h"
#include "controller/store/etcd_store.h"
#include "controller/store/sqlite_store.h"
#include "controller/southbound/southbound_service.h"

namespace oc = overcast::controller;

namespace {

// The model needs its listener at construction and the southbound service needs the
// model (as its AgentRegistry): this relay breaks the cycle.
class ListenerRelay : public oc::TopologyListener {
 public:
  void set_target(oc::TopologyListener* target) { target_ = target; }
  void apply(const oc::ChangeSet& changes) override {
    if (target_) target_->apply(changes);
  }

 private:
  oc::TopologyListener* target_ = nullptr;
};

bool prepare_db_directory(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    spdlog::critical("cannot create directory {} for the database: {}", parent.string(), ec.message());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  oc::ControllerFlags flags;
  if (int code = oc::parse_controller_flags(argc, argv, flags); code >= 0) return code;
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  // Signals are taken synchronously by sigwait below; every thread started from here
  // on inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::string error;
  std::unique_ptr<oc::Store> store;
  std::unique_ptr<oc::EtcdLivenessBoard> liveness_board;  // a cluster's only
  std::string store_name;
  if (!flags.store_url.empty()) {
    oc::EtcdStoreConfig etcd_config;
    etcd_config.endpoints = *oc::etcd::parse_store_url(flags.store_url, error);
    etcd_config.prefix = flags.store_prefix;
    store = oc::EtcdStore::open(etcd_config, error);
    liveness_board = std::make_unique<oc::EtcdLivenessBoard>(
        oc::EtcdLivenessConfig{etcd_config.endpoints, etcd_config.prefix});
    store_name = flags.store_url + " (prefix " + flags.store_prefix + ")";
  } else {
    if (!prepare_db_directory(flags.db_path)) return 1;
    store = oc::SqliteStore::open(flags.db_path, flags.db_sync, error);
    store_name = flags.db_path;
  }
  if (!store) {
    spdlog::critical("{}", error);
    return 1;
  }

  ListenerRelay relay;
  oc::ModelConfig model_config;
  model_config.underlay_mtu = flags.underlay_mtu;
  model_config.liveness_board = liveness_board.get();
  oc::LogicalModel model(*store, &relay, model_config);
  auto southbound = oc::make_southbound_service(model, oc::SouthboundConfig{});
  relay.set_target(southbound.get());
  if (oc::Status load_error = model.load()) {
    spdlog::critical("cannot load the model from {}: {}", store_name, load_error->message);
    return 1;
  }
  // Other controllers' writes (a shared store only); stopped before the model goes.
  if (!store->start_following(model, error)) {
    spdlog::critical("cannot follow the store {}: {}", store_name, error);
    return 1;
  }
  struct StopFollowing {
    oc::Store& store;
    ~StopFollowing() { store.stop_following(); }
  } stop_following{*store};
  // The board reads the model: it stops before the model goes.
  if (liveness_board) liveness_board->start([&model] { return model.local_liveness(); });
  struct StopBoard {
    oc::EtcdLivenessBoard* board;
    ~StopBoard() {
      if (board) board->stop();
    }
  } stop_board{liveness_board.get()};
  const std::string southbound_address = flags.southbound.host.find(':') != std::string::npos
                                             ? "[" + flags.southbound.host + "]:" + std::to_string(flags.southbound.port)
                                             : flags.southbound.host + ":" + std::to_string(flags.southbound.port);
  if (!southbound->start(southbound_address, error)) {
    spdlog::critical("cannot start the southbound service on {}: {}", southbound_address, error);
    return 1;
  }
  oc::api::ApiServer api(model, oc::api::ApiConfig{});
  if (!api.start(flags.api.host, flags.api.port, error)) {
    spdlog::critical("{}", error);
    southbound->stop();
    return 1;
  }
  // Gateway failover: a gateway host's liveness is re-checked twice a second, so a dead
  // active host's routers move to the standby within that (plus the time the stream
  // takes to break, or the agent timeout when it does not).
  std::jthread gateway_liveness([&model](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, stop, std::chrono::milliseconds(500), [&stop] { return stop.stop_requested(); })) {
      model.refresh_gateway_liveness();
    }
  });
  spdlog::info("overcast-controller ready (store {}, network MTU {})", store_name, model.max_network_mtu());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("signal {} received, stopping", signal_number);
  gateway_liveness.request_stop();
  gateway_liveness.join();
  api.stop();
  southbound->stop();
  spdlog::info("overcast-controller stopped");
  return 0;
}

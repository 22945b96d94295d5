// EtcdLivenessBoard: the cluster's LivenessBoard in etcd.
//
// Each controller keeps one key, <prefix>/live/<controller id>, holding the hosts it
// serves and their up ports (JSON), attached to a lease of `ttl` that it keeps alive.
// A controller that dies stops renewing: etcd deletes its key when the lease expires,
// and the others stop counting its agents as alive (they reconnect elsewhere, and the
// controller that takes them publishes them again). Every `period` it publishes what
// changed and reads the others' keys: one small Put and one Range per controller and
// period, however many agents send heartbeats.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "controller/model/liveness_board.h"
#include "controller/store/etcd_client.h"

namespace overcast::controller {

struct EtcdLivenessConfig {
  std::vector<std::string> endpoints;
  std::string prefix = "/overcast";
  std::chrono::milliseconds period{1000};
  std::chrono::seconds ttl{6};
};

class EtcdLivenessBoard : public LivenessBoard {
 public:
  explicit EtcdLivenessBoard(EtcdLivenessConfig config);
  ~EtcdLivenessBoard() override;  // stops

  // `source` says what this controller serves; called from the board's thread.
  void start(std::function<LocalLiveness()> source);
  // Revokes the lease, so the others learn at once that this controller is gone.
  void stop();

  bool served_elsewhere(const std::string& host) const override;
  bool port_up_elsewhere(const std::string& port_id) const override;

 private:
  void run();
  void tick();
  bool keep_alive();
  void read_others();

  const EtcdLivenessConfig config_;
  etcd::EtcdClient client_;
  const std::string key_;  // this controller's
  std::function<LocalLiveness()> source_;

  // Only the board's thread touches these.
  int64_t lease_ = 0;
  std::chrono::steady_clock::time_point renewed_{};
  bool published_valid_ = false;
  LocalLiveness published_;

  mutable std::mutex mutex_;  // others_hosts_, others_ports_, stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<std::string> others_hosts_;
  std::set<std::string> others_ports_;
  std::thread thread_;
};

}  // namespace overcast::controller

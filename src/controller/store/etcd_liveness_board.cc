#include "controller/store/etcd_liveness_board.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <random>

#include "controller/store/etcd_keys.h"

namespace overcast::controller {

namespace {
std::string make_controller_key(const std::string& prefix) {
  std::random_device entropy;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%d-%08x", static_cast<int>(getpid()), static_cast<unsigned>(entropy()));
  return prefix + "/live/" + buf;
}
}  // namespace

EtcdLivenessBoard::EtcdLivenessBoard(EtcdLivenessConfig config)
    : config_(std::move(config)),
      client_(etcd::ClientConfig{config_.endpoints, std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)}),
      key_(make_controller_key(config_.prefix)) {}

EtcdLivenessBoard::~EtcdLivenessBoard() { stop(); }

void EtcdLivenessBoard::start(std::function<LocalLiveness()> source) {
  source_ = std::move(source);
  thread_ = std::thread([this] { run(); });
}

void EtcdLivenessBoard::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (lease_ != 0) {
    etcdserverpb::LeaseRevokeRequest request;
    request.set_id(lease_);
    etcdserverpb::LeaseRevokeResponse response;
    client_.lease_revoke(request, response);
  }
}

bool EtcdLivenessBoard::served_elsewhere(const std::string& host) const {
  std::lock_guard lock(mutex_);
  return others_hosts_.contains(host);
}

bool EtcdLivenessBoard::port_up_elsewhere(const std::string& port_id) const {
  std::lock_guard lock(mutex_);
  return others_ports_.contains(port_id);
}

void EtcdLivenessBoard::run() {
  while (true) {
    tick();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, config_.period, [this] { return stopping_; })) return;
  }
}

bool EtcdLivenessBoard::keep_alive() {
  auto channel = client_.current_channel();
  grpc::ClientContext context;
  etcd::EtcdClient::require_leader(context);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  auto stream = etcdserverpb::Lease::NewStub(channel)->LeaseKeepAlive(&context);
  etcdserverpb::LeaseKeepAliveRequest request;
  request.set_id(lease_);
  etcdserverpb::LeaseKeepAliveResponse response;
  const bool answered = stream->Write(request) && stream->Read(&response);
  context.TryCancel();
  stream->Finish();
  if (!answered) {
    client_.member_failed(channel);
    return true;  // unknown: try again next period; the lease may still be valid
  }
  return response.ttl() > 0;  // 0: the lease expired (etcd was away too long)
}

void EtcdLivenessBoard::tick() {
  const auto now = std::chrono::steady_clock::now();
  if (lease_ != 0 && now - renewed_ >= config_.ttl / 3) {
    if (!keep_alive()) {
      spdlog::warn("etcd: this controller's liveness lease expired; publishing again");
      lease_ = 0;
    } else {
      renewed_ = now;
    }
  }
  if (lease_ == 0) {
    etcdserverpb::LeaseGrantRequest request;
    request.set_ttl(config_.ttl.count());
    etcdserverpb::LeaseGrantResponse response;
    if (!client_.lease_grant(request, response).ok() || response.id() == 0) return;
    lease_ = response.id();
    renewed_ = now;
    published_valid_ = false;
  }
  const LocalLiveness local = source_();
  if (!published_valid_ || !(local == published_)) {
    nlohmann::json body = {{"hosts", local.hosts}, {"ports_up", local.ports_up}};
    etcdserverpb::PutRequest request;
    request.set_key(key_);
    request.set_value(body.dump());
    request.set_lease(lease_);
    etcdserverpb::PutResponse response;
    if (client_.put(request, response).ok()) {
      published_ = local;
      published_valid_ = true;
    }
  }
  read_others();
}

void EtcdLivenessBoard::read_others() {
  const std::string prefix = config_.prefix + "/live/";
  etcdserverpb::RangeRequest request;
  request.set_key(prefix);
  request.set_range_end(etcd::prefix_range_end(prefix));
  etcdserverpb::RangeResponse response;
  if (!client_.range(request, response).ok()) return;  // keep the last known board
  std::set<std::string> hosts, ports;
  for (const auto& kv : response.kvs()) {
    if (kv.key() == key_) continue;
    try {
      const auto body = nlohmann::json::parse(kv.value());
      for (const auto& host : body.at("hosts")) hosts.insert(host.get<std::string>());
      for (const auto& port : body.at("ports_up")) ports.insert(port.get<std::string>());
    } catch (const std::exception& e) {
      spdlog::warn("etcd: liveness entry {} is unreadable, ignored: {}", kv.key(), e.what());
    }
  }
  std::lock_guard lock(mutex_);
  others_hosts_ = std::move(hosts);
  others_ports_ = std::move(ports);
}

}  // namespace overcast::controller

#include "controller/store/etcd_client.h"

#include <spdlog/spdlog.h>

#include <thread>

namespace overcast::controller::etcd {

namespace {
constexpr std::chrono::milliseconds kPauseBetweenRounds{200};
}

bool retryable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:        // member down, "no leader", "leader changed"
    case grpc::StatusCode::DEADLINE_EXCEEDED:  // member partitioned or election in progress
    case grpc::StatusCode::UNKNOWN:            // etcd's "request timed out" family
    case grpc::StatusCode::CANCELLED:
      return true;
    default:
      return false;
  }
}

EtcdClient::EtcdClient(ClientConfig config) : config_(std::move(config)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // a full load of a big cloud exceeds 4 MB
  // A member that comes back should be tried again soon, not after gRPC's 2-minute cap.
  // (Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC also takes it as the connect timeout,
  // and 100 ms cuts every handshake short on a busy machine.)
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  for (const auto& endpoint : config_.endpoints) {
    channels_.push_back(grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args));
  }
}

void EtcdClient::require_leader(grpc::ClientContext& context) { context.AddMetadata("hasleader", "true"); }

std::shared_ptr<grpc::Channel> EtcdClient::current_channel() {
  std::lock_guard lock(mutex_);
  return channels_[current_];
}

void EtcdClient::member_failed(const std::shared_ptr<grpc::Channel>& channel) {
  std::lock_guard lock(mutex_);
  if (channels_[current_] == channel) current_ = (current_ + 1) % channels_.size();
}

grpc::Status EtcdClient::call(const std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext&)>& attempt) {
  const auto give_up = std::chrono::steady_clock::now() + config_.retry_budget;
  grpc::Status status;
  size_t failures = 0;
  while (true) {
    auto channel = current_channel();
    grpc::ClientContext context;
    require_leader(context);
    context.set_deadline(std::chrono::system_clock::now() + config_.call_timeout);
    status = attempt(channel, context);
    if (status.ok() || !retryable(status)) return status;
    spdlog::debug("etcd: call failed ({}: {}), trying the next member", static_cast<int>(status.error_code()),
                  status.error_message());
    member_failed(channel);
    if (std::chrono::steady_clock::now() >= give_up) return status;
    // After a full round of members, pause: an election takes a moment.
    if (++failures % channels_.size() == 0) std::this_thread::sleep_for(kPauseBetweenRounds);
  }
}

grpc::Status EtcdClient::range(const etcdserverpb::RangeRequest& request, etcdserverpb::RangeResponse& response) {
  return call([&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context) {
    auto stub = etcdserverpb::KV::NewStub(channel);
    return stub->Range(&context, request, &response);
  });
}

grpc::Status EtcdClient::txn(const etcdserverpb::TxnRequest& request, etcdserverpb::TxnResponse& response) {
  return call([&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context) {
    auto stub = etcdserverpb::KV::NewStub(channel);
    return stub->Txn(&context, request, &response);
  });
}

grpc::Status EtcdClient::put(const etcdserverpb::PutRequest& request, etcdserverpb::PutResponse& response) {
  return call([&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context) {
    return etcdserverpb::KV::NewStub(channel)->Put(&context, request, &response);
  });
}

grpc::Status EtcdClient::lease_grant(const etcdserverpb::LeaseGrantRequest& request,
                                     etcdserverpb::LeaseGrantResponse& response) {
  return call([&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context) {
    return etcdserverpb::Lease::NewStub(channel)->LeaseGrant(&context, request, &response);
  });
}

grpc::Status EtcdClient::lease_revoke(const etcdserverpb::LeaseRevokeRequest& request,
                                      etcdserverpb::LeaseRevokeResponse& response) {
  return call([&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context) {
    return etcdserverpb::Lease::NewStub(channel)->LeaseRevoke(&context, request, &response);
  });
}

}  // namespace overcast::controller::etcd

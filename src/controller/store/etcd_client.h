// A thin client for etcd's v3 gRPC API over a list of cluster members: unary KV calls
// go to one member at a time and move on to the next when it does not answer, so the
// loss of a member (or of the leader, while a new one is elected) is ridden over
// inside one call's retry budget.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "etcd/rpc.grpc.pb.h"

namespace overcast::controller::etcd {

struct ClientConfig {
  std::vector<std::string> endpoints;               // "host:port", at least one
  std::chrono::milliseconds call_timeout{2000};     // one attempt on one member
  std::chrono::milliseconds retry_budget{15000};    // all attempts of one call
};

class EtcdClient {
 public:
  explicit EtcdClient(ClientConfig config);

  // Retried on members that are down, have no leader or time out. A Txn that timed out
  // may have been applied: callers make their transactions safe to repeat.
  grpc::Status range(const etcdserverpb::RangeRequest& request, etcdserverpb::RangeResponse& response);
  grpc::Status txn(const etcdserverpb::TxnRequest& request, etcdserverpb::TxnResponse& response);
  grpc::Status put(const etcdserverpb::PutRequest& request, etcdserverpb::PutResponse& response);
  grpc::Status lease_grant(const etcdserverpb::LeaseGrantRequest& request, etcdserverpb::LeaseGrantResponse& response);
  grpc::Status lease_revoke(const etcdserverpb::LeaseRevokeRequest& request,
                            etcdserverpb::LeaseRevokeResponse& response);

  // The member to open a stream on now, and a way to say it failed (the next stream
  // goes to the next member).
  std::shared_ptr<grpc::Channel> current_channel();
  void member_failed(const std::shared_ptr<grpc::Channel>& channel);
  // Marks a context so that a member cut off from the cluster's leader refuses it
  // instead of serving stale data or stalling (etcd's "require leader").
  static void require_leader(grpc::ClientContext& context);

  const ClientConfig& config() const { return config_; }

 private:
  grpc::Status call(const std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext&)>& attempt);

  const ClientConfig config_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  size_t current_ = 0;
};

// Whether a failed call may succeed on another member or a moment later.
bool retryable(const grpc::Status& status);

}  // namespace overcast::controller::etcd

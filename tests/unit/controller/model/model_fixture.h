// Test doubles for the model: an in-memory Store that can be told to fail its next
// commit, and a TopologyListener that records every ChangeSet.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <vector>

#include "controller/model/logical_model.h"

namespace overcast::controller::testing {

class MemoryStore : public Store {
 public:
  bool load_all(std::vector<StoredRecord>& records, std::string&) override {
    records.clear();
    for (const auto& [key, body] : records_) records.push_back({key.first, key.second, body});
    return true;
  }
  bool commit(const WriteBatch& batch, std::string& error) override {
    if (fail_next_commit) {
      fail_next_commit = false;
      error = "injected failure";
      return false;
    }
    for (const auto& put : batch.puts) records_[{put.kind, put.id}] = put.body;
    for (const auto& key : batch.deletes) records_.erase({key.kind, key.id});
    ++commits;
    return true;
  }
  std::map<std::pair<std::string, std::string>, std::string> records_;
  bool fail_next_commit = false;
  int commits = 0;
};

class RecordingListener : public TopologyListener {
 public:
  void apply(const ChangeSet& changes) override {
    std::lock_guard lock(mutex);
    received.push_back(changes);
  }
  std::mutex mutex;
  std::vector<ChangeSet> received;
};

class ModelTest : public ::testing::Test {
 protected:
  explicit ModelTest(uint32_t underlay_mtu = 1500) {
    config.underlay_mtu = underlay_mtu;
    config.now = [this] { return now; };
  }
  void SetUp() override {
    model = std::make_unique<LogicalModel>(store, &listener, config);
    ASSERT_FALSE(model->load());
  }
  // Starts over from what the store holds, as a restarted controller would.
  void restart() {
    model = std::make_unique<LogicalModel>(store, &listener, config);
    listener.received.clear();
    ASSERT_FALSE(model->load());
  }

  std::string make_network(std::optional<int64_t> vni = std::nullopt) {
    NetworkCreate request;
    request.project_id = "p";
    request.segmentation_id = vni;
    auto created = model->create_networks({request});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created ? created.value().front().network.id : "";
  }
  std::string make_subnet(const std::string& network_id, const std::string& cidr) {
    SubnetCreate request;
    request.project_id = "p";
    request.network_id = network_id;
    request.cidr = cidr;
    request.ip_version = cidr.find(':') == std::string::npos ? 4 : 6;
    auto created = model->create_subnets({request});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created ? created.value().front().id : "";
  }
  Result<std::vector<PortView>> make_port(const std::string& network_id,
                                          std::optional<std::vector<FixedIpRequest>> fixed_ips = std::nullopt,
                                          std::optional<std::string> mac = std::nullopt, std::string host = "") {
    PortCreate request;
    request.project_id = "p";
    request.network_id = network_id;
    request.fixed_ips = std::move(fixed_ips);
    request.mac_address = std::move(mac);
    request.binding_host_id = std::move(host);
    return model->create_ports({request});
  }

  MemoryStore store;
  RecordingListener listener;
  ModelConfig config;
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  std::unique_ptr<LogicalModel> model;
};

}  // namespace overcast::controller::testing

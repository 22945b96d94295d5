// Two controllers' LogicalModels on one etcd: concurrent writes never allocate the same
// VNI or IP twice, each model learns the other's writes and tells its listener (so the
// view compiler pushes them to its agents).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "../model/model_fixture.h"
#include "controller/store/etcd_store.h"
#include "etcd_member.h"

namespace overcast::controller::testing {
namespace {

struct Controller {
  std::unique_ptr<EtcdStore> store;
  RecordingListener listener;
  std::unique_ptr<LogicalModel> model;

  Controller(const std::string& endpoint) {
    EtcdStoreConfig config;
    config.endpoints = {endpoint};
    std::string error;
    store = EtcdStore::open(config, error);
    EXPECT_TRUE(store) << error;
    if (!store) return;
    model = std::make_unique<LogicalModel>(*store, &listener, ModelConfig{});
    EXPECT_FALSE(model->load());
    EXPECT_TRUE(store->start_following(*model, error));
  }
  ~Controller() {
    if (store) store->stop_following();
  }
};

class EtcdModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!EtcdMember::available()) GTEST_SKIP() << "etcd is not installed (scripts/install-deps.sh)";
    member_ = std::make_unique<EtcdMember>();
    a_ = std::make_unique<Controller>(member_->endpoint());
    b_ = std::make_unique<Controller>(member_->endpoint());
    ASSERT_TRUE(a_->model && b_->model);
  }

  template <class Predicate>
  static bool eventually(Predicate predicate) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < give_up) {
      if (predicate()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return predicate();
  }

  std::unique_ptr<EtcdMember> member_;
  std::unique_ptr<Controller> a_, b_;
};

TEST_F(EtcdModelTest, ConcurrentNetworkCreatesGetDistinctVnisAndBothModelsSeeAll) {
  constexpr int kEach = 15;
  auto create = [](LogicalModel& model, int count) {
    for (int i = 0; i < count; ++i) {
      NetworkCreate request;
      request.project_id = "p";
      auto created = model.create_networks({request});
      EXPECT_TRUE(created) << (created ? "" : created.error().message);
    }
  };
  std::thread on_a(create, std::ref(*a_->model), kEach);
  std::thread on_b(create, std::ref(*b_->model), kEach);
  on_a.join();
  on_b.join();

  ASSERT_TRUE(eventually([&] {
    return a_->model->list_networks().size() == 2 * kEach && b_->model->list_networks().size() == 2 * kEach;
  }));
  std::set<uint32_t> vnis;
  std::set<std::string> ids_a, ids_b;
  for (const auto& view : a_->model->list_networks()) {
    vnis.insert(view.network.vni);
    ids_a.insert(view.network.id);
  }
  for (const auto& view : b_->model->list_networks()) ids_b.insert(view.network.id);
  EXPECT_EQ(vnis.size(), static_cast<size_t>(2 * kEach)) << "a VNI was allocated twice";
  EXPECT_EQ(ids_a, ids_b);

  // b's listener heard about every network, including a's.
  std::set<std::string> heard;
  {
    std::lock_guard lock(b_->listener.mutex);
    for (const auto& changes : b_->listener.received) {
      for (const auto& network : changes.networks) heard.insert(network.id);
    }
  }
  EXPECT_EQ(heard, ids_a);
}

TEST_F(EtcdModelTest, ConcurrentPortCreatesGetDistinctAddressesAndRemoteDeletesPropagate) {
  NetworkCreate network;
  network.project_id = "p";
  auto net = a_->model->create_networks({network});
  ASSERT_TRUE(net);
  const std::string network_id = net.value().front().network.id;
  SubnetCreate subnet;
  subnet.project_id = "p";
  subnet.network_id = network_id;
  subnet.cidr = "10.9.0.0/24";
  auto created_subnet = a_->model->create_subnets({subnet});
  ASSERT_TRUE(created_subnet);
  // The subject is concurrent allocation, not read-your-writes across controllers: b
  // learns a's network and subnet through its watch, which a loaded machine delays.
  const std::string subnet_id = created_subnet.value().front().id;
  ASSERT_TRUE(eventually([&] { return b_->model->show_subnet(subnet_id).ok(); }));

  constexpr int kEach = 10;
  auto create = [&](LogicalModel& model) {
    for (int i = 0; i < kEach; ++i) {
      PortCreate request;
      request.project_id = "p";
      request.network_id = network_id;
      request.binding_host_id = "hv1";
      auto created = model.create_ports({request});
      EXPECT_TRUE(created) << (created ? "" : created.error().message);
    }
  };
  std::thread on_a(create, std::ref(*a_->model));
  std::thread on_b(create, std::ref(*b_->model));
  on_a.join();
  on_b.join();
  ASSERT_TRUE(eventually([&] {
    return a_->model->list_ports().size() == 2 * kEach && b_->model->list_ports().size() == 2 * kEach;
  }));
  std::set<std::string> ips, macs;
  for (const auto& view : b_->model->list_ports()) {
    macs.insert(view.port.mac_address);
    for (const auto& fixed : view.port.fixed_ips) ips.insert(fixed.ip_address);
  }
  EXPECT_EQ(ips.size(), static_cast<size_t>(2 * kEach)) << "an IP was allocated twice";
  EXPECT_EQ(macs.size(), static_cast<size_t>(2 * kEach));

  // A delete on one controller removes the port from the other's model and listener.
  const std::string victim = b_->model->list_ports().front().port.id;
  ASSERT_FALSE(a_->model->delete_port(victim));
  ASSERT_TRUE(eventually([&] { return !b_->model->show_port(victim).ok(); }));
  bool heard_removal = false;
  {
    std::lock_guard lock(b_->listener.mutex);
    for (const auto& changes : b_->listener.received) {
      for (const auto& id : changes.removed_ports) heard_removal |= id == victim;
    }
  }
  EXPECT_TRUE(heard_removal);
}

// A controller whose watch fell behind etcd's compaction cannot replay the changes it
// missed: it reloads the whole model and applies the difference, deletes included.
TEST_F(EtcdModelTest, WatchBehindCompactionResyncsTheWholeModel) {
  if (::access("/usr/bin/etcdctl", X_OK) != 0) GTEST_SKIP() << "etcdctl is not installed";
  NetworkCreate request;
  request.project_id = "p";
  auto first = a_->model->create_networks({request});
  ASSERT_TRUE(first);
  const std::string gone = first.value().front().network.id;
  ASSERT_TRUE(eventually([&] { return b_->model->list_networks().size() == 1; }));

  a_->store->stop_following();  // a misses what follows
  ASSERT_FALSE(b_->model->delete_network(gone));
  auto second = b_->model->create_networks({request});
  ASSERT_TRUE(second);
  const std::string kept = second.value().front().network.id;
  const std::string compact = "/usr/bin/etcdctl --endpoints " + member_->endpoint() + " compact " +
                              std::to_string(b_->store->applied_revision()) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(compact.c_str()), 0);

  std::string error;
  ASSERT_TRUE(a_->store->start_following(*a_->model, error));
  ASSERT_TRUE(eventually([&] {
    auto networks = a_->model->list_networks();
    return networks.size() == 1 && networks.front().network.id == kept;
  }));
  bool heard_removal = false;
  {
    std::lock_guard lock(a_->listener.mutex);
    for (const auto& changes : a_->listener.received) {
      for (const auto& id : changes.removed_networks) heard_removal |= id == gone;
    }
  }
  EXPECT_TRUE(heard_removal) << "the compiler must hear that the network went";
}

TEST_F(EtcdModelTest, UnreadableRemoteRecordsAreSkippedAndCountedNotApplied) {
  // Another writer (not a controller) puts garbage in the model's key space.
  EtcdStoreConfig config;
  config.endpoints = {member_->endpoint()};
  std::string error;
  auto rogue = EtcdStore::open(config, error);
  ASSERT_TRUE(rogue) << error;
  std::vector<StoredRecord> ignored;
  ASSERT_TRUE(rogue->load_all(ignored, error));
  WriteBatch garbage;
  garbage.puts = {{"port", "p1", "not json"},
                  {"network", "n1", "{\"id\": \"other\"}"},
                  {"widget", "w1", "{}"}};
  ASSERT_EQ(rogue->commit_checked(garbage, error), CommitOutcome::kCommitted) << error;

  ASSERT_TRUE(eventually([&] { return a_->model->remote_records_dropped() == 3; }))
      << a_->model->remote_records_dropped();
  EXPECT_TRUE(a_->model->list_ports().empty());
  EXPECT_TRUE(a_->model->list_networks().empty());
  // The model still works, and the other controller learns its next write.
  NetworkCreate request;
  request.project_id = "p";
  ASSERT_TRUE(a_->model->create_networks({request}));
  EXPECT_TRUE(eventually([&] { return b_->model->list_networks().size() == 1; }));
}

}  // namespace
}  // namespace overcast::controller::testing

// VNI, MAC and IP allocation, exhaustion, and that a failed request leaks nothing.
#include <set>
#include <thread>

#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using Allocation = ModelTest;

TEST_F(Allocation, VniIsTheLowestFreeOne) {
  const std::string a = make_network();
  make_network(3);
  const std::string c = make_network();
  EXPECT_EQ(model->show_network(a).value().network.vni, 1u);
  EXPECT_EQ(model->show_network(c).value().network.vni, 2u);
  EXPECT_EQ(model->show_network(make_network()).value().network.vni, 4u);
  ASSERT_FALSE(model->delete_network(a));
  EXPECT_EQ(model->show_network(make_network()).value().network.vni, 1u);
}

TEST_F(Allocation, VniInUseIsAConflict) {
  make_network(100);
  NetworkCreate request;
  request.project_id = "p";
  request.segmentation_id = 100;
  auto result = model->create_networks({request});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().http_status, 409);
  EXPECT_NE(result.error().message.find("100"), std::string::npos);
}

TEST_F(Allocation, VniRangeExhaustion) {
  // The real range has 16M VNIs; the same search over a 3-VNI range shows exhaustion.
  ModelState state;
  for (uint32_t vni = 1; vni <= 3; ++vni) {
    Network network;
    network.id = "n" + std::to_string(vni);
    network.vni = vni;
    state.put_network(network);
  }
  EXPECT_EQ(state.lowest_free_vni(1, 3), std::nullopt);
  EXPECT_EQ(state.lowest_free_vni(1, 4), 4u);
  state.erase_network("n2");
  EXPECT_EQ(state.lowest_free_vni(1, 3), 2u);
  make_network(kMaxVni);
  for (uint32_t vni = 1; vni <= 5; ++vni) make_network(vni);
  EXPECT_EQ(model->show_network(make_network()).value().network.vni, 6u);
}

TEST_F(Allocation, MacsAreOpenStackRangeAndUnique) {
  const std::string net = make_network();
  std::set<std::string> macs;
  for (int i = 0; i < 50; ++i) {
    auto port = make_port(net);
    ASSERT_TRUE(port);
    const std::string mac = port.value().front().port.mac_address;
    EXPECT_EQ(mac.substr(0, 9), "fa:16:3e:");
    EXPECT_TRUE(macs.insert(mac).second);
  }
}

TEST_F(Allocation, GivenMacInUseOnTheNetworkIsAConflictButFineElsewhere) {
  const std::string net = make_network();
  const std::string other = make_network();
  ASSERT_TRUE(make_port(net, std::nullopt, "FA:16:3E:00:00:01"));
  auto clash = make_port(net, std::nullopt, "fa:16:3e:00:00:01");
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().http_status, 409);
  EXPECT_EQ(clash.error().type, "MacAddressInUse");
  EXPECT_TRUE(make_port(other, std::nullopt, "fa:16:3e:00:00:01"));
}

TEST_F(Allocation, AddressesComeLowestFirstFromThePools) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/29");  // gateway .1, pool .2-.6
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) {
    auto port = make_port(net);
    ASSERT_TRUE(port) << port.error().message;
    got.push_back(port.value().front().port.fixed_ips.at(0).ip_address);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"}));
  auto exhausted = make_port(net);
  ASSERT_FALSE(exhausted);
  EXPECT_EQ(exhausted.error().http_status, 409);
  EXPECT_EQ(exhausted.error().type, "IpAddressGenerationFailure");
}

TEST_F(Allocation, RequestedAddressIsCheckedAndSkippedByTheAllocator) {
  const std::string net = make_network();
  const std::string subnet = make_subnet(net, "10.0.0.0/24");
  ASSERT_TRUE(make_port(net, std::vector<FixedIpRequest>{{std::nullopt, "10.0.0.2"}}));
  auto next = make_port(net);
  EXPECT_EQ(next.value().front().port.fixed_ips.at(0).ip_address, "10.0.0.3");

  auto taken = make_port(net, std::vector<FixedIpRequest>{{subnet, "10.0.0.2"}});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().type, "IpAddressAlreadyAllocated");
  EXPECT_EQ(taken.error().http_status, 409);

  auto gateway = make_port(net, std::vector<FixedIpRequest>{{std::nullopt, "10.0.0.1"}});
  ASSERT_FALSE(gateway);
  EXPECT_EQ(gateway.error().http_status, 409);

  auto outside = make_port(net, std::vector<FixedIpRequest>{{subnet, "10.9.0.5"}});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().http_status, 400);
  auto no_subnet = make_port(net, std::vector<FixedIpRequest>{{std::nullopt, "192.168.7.7"}});
  ASSERT_FALSE(no_subnet);
  EXPECT_EQ(no_subnet.error().http_status, 400);
  auto broadcast = make_port(net, std::vector<FixedIpRequest>{{std::nullopt, "10.0.0.255"}});
  ASSERT_FALSE(broadcast);
  EXPECT_EQ(broadcast.error().http_status, 400);
}

TEST_F(Allocation, AFailedBulkCreateLeaksNoAddressMacOrVni) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  const int commits_before = store.commits;
  PortCreate good;
  good.project_id = "p";
  good.network_id = net;
  good.mac_address = "fa:16:3e:aa:aa:aa";
  PortCreate bad = good;
  bad.mac_address = std::nullopt;
  bad.fixed_ips = std::vector<FixedIpRequest>{{std::nullopt, "10.1.0.1"}};
  auto result = model->create_ports({good, bad});
  ASSERT_FALSE(result);
  EXPECT_EQ(store.commits, commits_before);
  EXPECT_TRUE(model->list_ports().empty());
  // Everything the failed request touched is free again.
  auto again = make_port(net, std::nullopt, "fa:16:3e:aa:aa:aa");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value().front().port.fixed_ips.at(0).ip_address, "10.0.0.2");

  NetworkCreate n1, n2;
  n1.project_id = n2.project_id = "p";
  n2.mtu = 9000;  // too big: the whole bulk fails
  ASSERT_FALSE(model->create_networks({n1, n2}));
  EXPECT_EQ(model->list_networks().size(), 1u);
  EXPECT_EQ(model->show_network(make_network()).value().network.vni, 2u);
}

TEST_F(Allocation, AStoreFailureRollsBackEverything) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  store.fail_next_commit = true;
  auto failed = make_port(net, std::nullopt, "fa:16:3e:00:00:09");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().http_status, 500);
  EXPECT_TRUE(model->list_ports().empty());
  const size_t notifications = listener.received.size();
  auto ok = make_port(net, std::nullopt, "fa:16:3e:00:00:09");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok.value().front().port.fixed_ips.at(0).ip_address, "10.0.0.2");
  EXPECT_EQ(listener.received.size(), notifications + 1);

  store.fail_next_commit = true;
  EXPECT_TRUE(model->delete_port(ok.value().front().port.id));
  EXPECT_EQ(model->list_ports().size(), 1u);
}

TEST_F(Allocation, UpdatingFixedIpsReleasesTheOldAddress) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  auto port = make_port(net);
  const std::string id = port.value().front().port.id;
  PortUpdate update;
  update.fixed_ips = std::vector<FixedIpRequest>{{std::nullopt, "10.0.0.50"}};
  auto updated = model->update_port(id, update);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated.value().port.fixed_ips.at(0).ip_address, "10.0.0.50");
  EXPECT_EQ(make_port(net).value().front().port.fixed_ips.at(0).ip_address, "10.0.0.2");
}

TEST_F(Allocation, Ipv6SubnetsAllocateToo) {
  const std::string net = make_network();
  make_subnet(net, "2001:db8::/64");
  auto port = make_port(net);
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_EQ(port.value().front().port.fixed_ips.at(0).ip_address, "2001:db8::2");
}

TEST_F(Allocation, StateSurvivesARestart) {
  const std::string net = make_network(42);
  make_subnet(net, "10.0.0.0/24");
  auto port = make_port(net, std::nullopt, std::nullopt, "hv1");
  ASSERT_TRUE(port);
  model->set_port_status(port.value().front().port.id, true);
  EXPECT_EQ(model->show_port(port.value().front().port.id).value().status, "ACTIVE");
  restart();
  auto reloaded = model->show_port(port.value().front().port.id);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded.value().port.mac_address, port.value().front().port.mac_address);
  EXPECT_EQ(reloaded.value().status, "DOWN");  // until its agent reports it again
  EXPECT_EQ(model->show_network(net).value().network.vni, 42u);
  // The reloaded address is still taken.
  EXPECT_EQ(make_port(net).value().front().port.fixed_ips.at(0).ip_address, "10.0.0.3");
}

TEST_F(Allocation, ConcurrentCreatesNeverShareAnAddressOrMac) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) EXPECT_TRUE(make_port(net));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> addresses, macs;
  for (const auto& view : model->list_ports()) {
    addresses.insert(view.port.fixed_ips.at(0).ip_address);
    macs.insert(view.port.mac_address);
  }
  EXPECT_EQ(addresses.size(), 100u);
  EXPECT_EQ(macs.size(), 100u);
}

TEST_F(Allocation, AnUnparsableStoredRecordIsAnErrorNamingIt) {
  store.records_[{"port", "bad-port"}] = "{not json";
  LogicalModel fresh(store, nullptr, config);
  auto error = fresh.load();
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("bad-port"), std::string::npos) << error->message;
  EXPECT_NE(error->message.find("port"), std::string::npos);
}

}  // namespace
}  // namespace overcast::controller::testing

// The agent's southbound client against the real southbound service over loopback
// gRPC, with a fake AgentRegistry (controller side) and a fake ViewSink (agent side).
#include "agent/sync/southbound_client.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "agent_sync/fake_view_sink.h"
#include "controller/southbound/southbound_service.h"
#include "controller_southbound/fake_agent_registry.h"
#include "overcast/southbound.grpc.pb.h"

namespace overcast::agent {
namespace {

using controller::ChangeSet;
using controller::HostFacts;
using controller::NetworkFacts;
using controller::PortFacts;
using controller::SouthboundConfig;
using controller::SouthboundLimits;
using controller::testing::eventually;
using controller::testing::FakeAgentRegistry;
using testing::FakeViewSink;

PortFacts port(const std::string& id, const std::string& host, std::vector<std::string> ips = {"10.1.0.5"}) {
  return PortFacts{id, "A", host, "fa:16:3e:00:00:01", std::move(ips), true};
}

// What the model would hand a fresh controller: the network, the known hosts, the ports.
ChangeSet base_topology() {
  ChangeSet topology;
  topology.networks = {NetworkFacts{"A", 100, 1450, "vxlan"}};
  topology.hosts = {HostFacts{"hv1", "192.0.2.1"}, HostFacts{"hv2", "192.0.2.2"}, HostFacts{"hv3", "192.0.2.3"}};
  topology.ports = {port("a1", "hv1"), port("a2", "hv2")};
  return topology;
}

class SouthboundClientTest : public ::testing::Test {
 protected:
  void SetUp() override { start_controller("127.0.0.1:0"); }
  void TearDown() override {
    clients.clear();
    if (service) service->stop();
  }

  void start_controller(const std::string& address, SouthboundLimits limits = {}) {
    service = controller::make_southbound_service(registry, SouthboundConfig{}, limits);
    registry.set_listener(service.get());
    std::string error;
    ASSERT_TRUE(service->start(address, error)) << error;
    port_number = service->listening_port();
    service->apply(base_topology());
  }

  SouthboundClient& client_for(const std::string& host, const std::string& ip, FakeViewSink& view_sink) {
    SouthboundClientConfig config{"127.0.0.1:" + std::to_string(port_number), host, ip, {"vxlan"}, false, 0, {}};
    return start_client(config, view_sink);
  }
  SouthboundClient& start_client(const SouthboundClientConfig& config, FakeViewSink& view_sink) {
    clients.push_back(std::make_unique<SouthboundClient>(config, view_sink));
    clients.back()->start();
    return *clients.back();
  }

  void add_port(const std::string& id, const std::string& host) {
    ChangeSet change;
    change.ports = {port(id, host)};
    service->apply(change);
  }

  FakeAgentRegistry registry;
  std::unique_ptr<controller::SouthboundService> service;
  int port_number = 0;
  FakeViewSink sink, other_sink;  // declared before the clients: they outlive them
  std::vector<std::unique_ptr<SouthboundClient>> clients;
};

TEST_F(SouthboundClientTest, RegisterCarriesGatewayCapabilityAndBridgeMappings) {
  SouthboundClientConfig config{"127.0.0.1:" + std::to_string(port_number), "hv1", "192.0.2.1", {"vxlan"},
                                true, 20, {"physnet1:eth1", "physnet2:bond0"}};
  start_client(config, sink);
  ASSERT_TRUE(eventually([&] { return registry.registrations() == 1; }));
  const controller::AgentRegistration seen = registry.last_registration();
  EXPECT_EQ(seen.host, "hv1");
  EXPECT_TRUE(seen.gateway);
  EXPECT_EQ(seen.gateway_priority, 20u);
  EXPECT_EQ(seen.bridge_mappings, (std::vector<std::string>{"physnet1:eth1", "physnet2:bond0"}));
}

TEST_F(SouthboundClientTest, SnapshotThenDeltasAreAppliedAndAcked) {
  SouthboundClient& client = client_for("hv1", "192.0.2.1", sink);
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1; }));
  EXPECT_TRUE(sink.has("lport/a1"));
  EXPECT_TRUE(sink.has("net/A"));
  EXPECT_TRUE(sink.has("rport/a2"));
  uint64_t snapshot_version = client.status().version;
  EXPECT_TRUE(client.status().connected);

  add_port("a3", "hv2");
  ASSERT_TRUE(eventually([&] { return sink.has("rport/a3"); }));
  EXPECT_EQ(sink.snapshots(), 1);
  EXPECT_EQ(sink.deltas(), 1);
  ASSERT_TRUE(eventually([&] { return client.status().version == snapshot_version + 1; }));
  ASSERT_TRUE(eventually([&] { return service->counters().acks == 2; }));
  auto status = client.status();
  EXPECT_EQ(status.snapshots, 1u);
  EXPECT_EQ(status.deltas, 1u);
  EXPECT_EQ(status.nacks, 0u);
  EXPECT_FALSE(status.epoch.empty());
  EXPECT_EQ(service->counters().nacks, 0u);
  EXPECT_GT(service->counters().bytes_sent, 0u);
  EXPECT_GT(service->counters().bytes_received, 0u);
  EXPECT_EQ(service->counters().sessions_active, 1u);
}

TEST_F(SouthboundClientTest, RejectedDeltaIsNackedAndRepairedBySnapshot) {
  SouthboundClient& client = client_for("hv1", "192.0.2.1", sink);
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1; }));
  sink.fail_next(1);
  add_port("a3", "hv2");
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 2; }));
  EXPECT_TRUE(sink.has("rport/a3"));
  EXPECT_EQ(sink.deltas(), 0);
  EXPECT_EQ(client.status().nacks, 1u);
  ASSERT_TRUE(eventually([&] { return service->counters().nacks == 1; }));
  // After the repair, deltas flow again.
  add_port("a4", "hv2");
  ASSERT_TRUE(eventually([&] { return sink.has("rport/a4"); }));
  EXPECT_EQ(sink.deltas(), 1);
}

TEST_F(SouthboundClientTest, ControllerRestartIsFollowedByReconnectAndResync) {
  SouthboundClient& client = client_for("hv1", "192.0.2.1", sink);
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1; }));
  std::string first_epoch = client.status().epoch;

  service->stop();
  ASSERT_TRUE(eventually([&] { return !client.status().connected; }));
  EXPECT_TRUE(sink.has("rport/a2")) << "the view stays while the controller is away";
  EXPECT_FALSE(client.status().last_error.empty());

  service.reset();
  start_controller("127.0.0.1:" + std::to_string(port_number));
  add_port("a3", "hv2");
  ASSERT_TRUE(eventually([&] { return client.status().connected && sink.has("rport/a3"); }));
  EXPECT_EQ(sink.snapshots(), 2) << "a new epoch means a snapshot";
  EXPECT_NE(client.status().epoch, first_epoch);
  EXPECT_GE(client.status().reconnects, 1u);
}

// Two controllers of one cluster: the agent moves to the second when the first goes,
// keeps its view meanwhile, and takes the second's snapshot (another epoch).
TEST_F(SouthboundClientTest, MovesToTheNextControllerOfTheListWhenItsOwnGoes) {
  FakeAgentRegistry second_registry;
  auto second = controller::make_southbound_service(second_registry, SouthboundConfig{}, SouthboundLimits{});
  second_registry.set_listener(second.get());
  std::string error;
  ASSERT_TRUE(second->start("127.0.0.1:0", error)) << error;
  ChangeSet topology = base_topology();
  topology.ports.push_back(port("a3", "hv2"));
  second->apply(topology);
  const std::string first_endpoint = "127.0.0.1:" + std::to_string(port_number);
  const std::string second_endpoint = "127.0.0.1:" + std::to_string(second->listening_port());

  SouthboundClientConfig config{first_endpoint + "," + second_endpoint, "hv1", "192.0.2.1", {"vxlan"}, false, 0, {}};
  clients.push_back(std::make_unique<SouthboundClient>(config, sink));
  SouthboundClient& client = *clients.back();
  client.start();
  ASSERT_TRUE(eventually([&] { return client.status().connected && sink.has("rport/a2"); }));
  EXPECT_EQ(client.status().controller, first_endpoint);
  const std::string first_epoch = client.status().epoch;

  service->stop();
  service.reset();  // as in ControllerRestartIsFollowedByReconnectAndResync
  ASSERT_TRUE(eventually([&] { return client.status().connected && sink.has("rport/a3"); }));
  EXPECT_EQ(client.status().controller, second_endpoint);
  EXPECT_NE(client.status().epoch, first_epoch);
  EXPECT_EQ(sink.snapshots(), 2) << "another controller's epoch means a snapshot";
  EXPECT_TRUE(sink.has("rport/a2"));
  clients.clear();
  second->stop();
}

TEST(SouthboundClientListTest, SkipsAControllerThatDoesNotAnswer) {
  FakeAgentRegistry registry;
  auto service = controller::make_southbound_service(registry, SouthboundConfig{}, SouthboundLimits{});
  registry.set_listener(service.get());
  std::string error;
  ASSERT_TRUE(service->start("127.0.0.1:0", error)) << error;
  service->apply(base_topology());
  FakeViewSink sink;
  const std::string live = "127.0.0.1:" + std::to_string(service->listening_port());
  {
    SouthboundClient client({"127.0.0.1:1," + live, "hv1", "192.0.2.1", {"vxlan"}, false, 0, {}}, sink);
    client.start();
    ASSERT_TRUE(eventually([&] { return client.status().connected; }));
    EXPECT_EQ(client.status().controller, live);
  }
  service->stop();
}

TEST_F(SouthboundClientTest, ReconnectToALiveControllerResumesWithoutSnapshot) {
  SouthboundClient& client = client_for("hv1", "192.0.2.1", sink);
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1; }));
  client.stop();
  ASSERT_TRUE(eventually([&] { return service->counters().sessions_active == 0; }));
  add_port("a3", "hv2");
  add_port("a4", "hv2");
  client.start();
  ASSERT_TRUE(eventually([&] { return sink.has("rport/a3") && sink.has("rport/a4"); }));
  EXPECT_EQ(sink.snapshots(), 1);
  EXPECT_EQ(sink.deltas(), 2);
  EXPECT_EQ(service->counters().snapshots_sent, 1u);
}

TEST_F(SouthboundClientTest, SlowAgentDoesNotHoldUpAnother) {
  service->stop();
  service.reset();
  start_controller("127.0.0.1:0", SouthboundLimits{.max_queued_messages = 4, .max_queued_bytes = 1 << 20});
  FakeViewSink& slow_sink = sink;
  FakeViewSink& quick_sink = other_sink;
  SouthboundClient& slow = client_for("hv1", "192.0.2.1", slow_sink);
  client_for("hv2", "192.0.2.2", quick_sink);
  ASSERT_TRUE(eventually([&] { return slow_sink.snapshots() == 1 && quick_sink.snapshots() == 1; }));

  slow_sink.close_gate();  // hv1's data plane is stuck in its first delta from now on
  // One change at a time, each seen by hv2 before the next: hv2 is never behind, so
  // every change reaches it as a delta while hv1's queue overflows. Deltas are ~40 KB
  // so that gRPC's own buffering (flow-control windows, ~4 MB here) fills up and the
  // session's queue really backs up: 200 of them are ~8 MB.
  constexpr int kPorts = 200;
  std::vector<std::string> many_ips;
  for (int i = 0; i < 1024; ++i) many_ips.push_back("2001:db8:ffff:ffff:ffff:ffff:ffff:" + std::to_string(1000 + i));
  for (int i = 0; i < kPorts; ++i) {
    ChangeSet change;
    change.ports = {port("p" + std::to_string(i), "hv3", many_ips)};
    service->apply(change);
    ASSERT_TRUE(eventually([&] { return quick_sink.has("rport/p" + std::to_string(i)); }));
  }
  EXPECT_EQ(quick_sink.deltas(), kPorts);
  EXPECT_EQ(quick_sink.snapshots(), 1);
  EXPECT_EQ(slow_sink.deltas(), 0) << "hv1 is still stuck while hv2 got everything";
  EXPECT_GE(service->counters().queue_overflows, 1u);

  slow_sink.open_gate();
  ASSERT_TRUE(eventually([&] {
    auto view = slow_sink.view();
    for (int i = 0; i < kPorts; ++i) {
      if (!view.count("rport/p" + std::to_string(i))) return false;
    }
    return true;
  }));
  EXPECT_GE(slow_sink.snapshots(), 2) << "hv1 caught up through a snapshot, not 300 deltas";
  EXPECT_LT(slow_sink.deltas(), kPorts) << "buffered before the overflow: " << slow_sink.deltas();
  ASSERT_TRUE(eventually([&] { return slow.status().connected; }));
}

TEST_F(SouthboundClientTest, PortStatusIsReportedAndResentInFullAfterReconnect) {
  SouthboundClient& client = client_for("hv1", "192.0.2.1", sink);
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1; }));
  sink.report_port("a1", true);
  ASSERT_TRUE(eventually([&] { return registry.port_status("a1") == 1; }));

  registry.forget_port_statuses();
  client.stop();
  client.start();
  ASSERT_TRUE(eventually([&] { return registry.port_status("a1") == 1; }))
      << "the last known status is resent without the sink reporting it again";
  sink.report_port("a1", false);
  ASSERT_TRUE(eventually([&] { return registry.port_status("a1") == 0; }));
}

TEST_F(SouthboundClientTest, RefusedRegistrationIsReportedAndRetried) {
  registry.refuse_with("underlay IP 192.0.2.2 belongs to hv2");
  SouthboundClient& client = client_for("hv1", "192.0.2.2", sink);
  ASSERT_TRUE(eventually([&] {
    return client.status().last_error.find("belongs to hv2") != std::string::npos &&
           client.status().reconnects >= 1;
  }));
  EXPECT_FALSE(client.status().connected);
  EXPECT_EQ(sink.snapshots(), 0);
  registry.refuse_with("");
  ASSERT_TRUE(eventually([&] { return client.status().connected && sink.snapshots() == 1; }));
}

TEST(SouthboundClientUnreachableTest, KeepsRetryingAndStopsWhenAsked) {
  FakeViewSink sink;
  SouthboundClient client({"127.0.0.1:1", "hv1", "192.0.2.1", {"vxlan"}, false, 0, {}}, sink);
  client.start();
  ASSERT_TRUE(eventually([&] { return client.status().reconnects >= 3; }));
  EXPECT_FALSE(client.status().connected);
  EXPECT_FALSE(client.status().last_error.empty());
  client.stop();  // returns: the test would hang otherwise
  uint64_t after_stop = client.status().reconnects;
  client.stop();  // idempotent
  EXPECT_EQ(client.status().reconnects, after_stop);
}

// A data plane busy applying a big view for many heartbeat intervals is not a dead
// controller: the client keeps its stream (and keeps heartbeating, so the controller
// keeps it too).
TEST(SouthboundClientBusySinkTest, SlowApplyIsNotMistakenForASilentController) {
  FakeAgentRegistry registry;
  auto service = controller::make_southbound_service(registry, SouthboundConfig{.heartbeat_interval_ms = 20});
  registry.set_listener(service.get());
  std::string error;
  ASSERT_TRUE(service->start("127.0.0.1:0", error)) << error;
  service->apply(base_topology());
  FakeViewSink sink;
  sink.close_gate();
  SouthboundClient client({"127.0.0.1:" + std::to_string(service->listening_port()), "hv1", "192.0.2.1", {"vxlan"},
                           false, 0, {}},
                          sink);
  client.start();
  ASSERT_TRUE(eventually([&] { return sink.snapshot_calls() == 1; }));
  // Stuck for 20 heartbeat intervals; meanwhile the controller's heartbeats pile up unread.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  sink.open_gate();
  ASSERT_TRUE(eventually([&] { return sink.snapshots() == 1 && service->counters().acks >= 1; }));
  EXPECT_EQ(client.status().reconnects, 0u) << client.status().last_error;
  EXPECT_EQ(service->counters().sessions_total, 1u);
  EXPECT_EQ(service->counters().sessions_timed_out, 0u);
  client.stop();
  service->stop();
}

// A controller that welcomes the agent and then never says anything again.
class MuteController final : public sb::Southbound::Service {
 public:
  grpc::Status Session(grpc::ServerContext*,
                       grpc::ServerReaderWriter<sb::ControllerMessage, sb::AgentMessage>* stream) override {
    sb::AgentMessage message;
    if (!stream->Read(&message)) return grpc::Status::OK;
    sb::ControllerMessage welcome;
    welcome.mutable_welcome()->set_heartbeat_interval_ms(50);
    stream->Write(welcome);
    ++sessions;
    while (stream->Read(&message)) {
    }
    return grpc::Status::OK;
  }
  std::atomic<int> sessions{0};
};

TEST(SouthboundClientWatchdogTest, SilentControllerIsDetectedAndReconnected) {
  MuteController mute;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&mute);
  auto server = builder.BuildAndStart();
  ASSERT_TRUE(server);
  FakeViewSink sink;
  SouthboundClient client({"127.0.0.1:" + std::to_string(port), "hv1", "192.0.2.1", {"vxlan"}, false, 0, {}}, sink);
  client.start();
  ASSERT_TRUE(eventually([&] { return mute.sessions >= 2; }));
  EXPECT_NE(client.status().last_error.find("silent"), std::string::npos) << client.status().last_error;
  EXPECT_GE(client.status().reconnects, 1u);
  client.stop();
  server->Shutdown();
}

}  // namespace
}  // namespace overcast::agent

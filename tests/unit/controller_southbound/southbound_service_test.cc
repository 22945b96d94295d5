// The southbound service over a real gRPC channel on loopback, driven by a raw
// stub (the agent's client is tested in tests/unit/agent_sync/).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "controller/southbound/southbound_service.h"
#include "controller_southbound/fake_agent_registry.h"
#include "controller_southbound/view_test_support.h"
#include "overcast/southbound.grpc.pb.h"

namespace overcast::controller {
namespace {

using namespace testing;

struct RawAgent {
  explicit RawAgent(int port) {
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    stub = sb::Southbound::NewStub(channel);
    stream = stub->Session(&context);
  }
  bool send_register(const std::string& host, const std::string& ip, const std::string& epoch = "",
                     uint64_t version = 0) {
    sb::AgentMessage message;
    message.mutable_register_()->set_host(host);
    message.mutable_register_()->set_underlay_ip(ip);
    message.mutable_register_()->set_resume_epoch(epoch);
    message.mutable_register_()->set_resume_version(version);
    return stream->Write(message);
  }
  // Next message that is not a heartbeat.
  bool read(sb::ControllerMessage& message) {
    while (stream->Read(&message)) {
      if (message.kind_case() != sb::ControllerMessage::kHeartbeat) return true;
    }
    return false;
  }
  grpc::Status finish() {
    sb::ControllerMessage ignored;
    while (stream->Read(&ignored)) {
    }
    return stream->Finish();
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<sb::Southbound::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<sb::AgentMessage, sb::ControllerMessage>> stream;
};

class SouthboundServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { start(SouthboundConfig{}); }
  void TearDown() override { service->stop(); }

  void start(SouthboundConfig config) {
    service = make_southbound_service(registry, config);
    registry.set_listener(service.get());
    std::string error;
    ASSERT_TRUE(service->start("127.0.0.1:0", error)) << error;
    listen_port = service->listening_port();
    ASSERT_GT(listen_port, 0);
    ChangeSet topology;
    topology.networks = {net("A", 100)};
    topology.hosts = {host("hv2", "192.0.2.2")};
    topology.ports = {port_facts("a1", "hv1"), port_facts("a2", "hv2")};
    service->apply(topology);
  }
  static PortFacts port_facts(const std::string& id, const std::string& h) { return port(id, "A", h); }

  FakeAgentRegistry registry;
  std::unique_ptr<SouthboundService> service;
  int listen_port = 0;
};

TEST_F(SouthboundServiceTest, FirstMessageMustBeRegister) {
  RawAgent agent(listen_port);
  sb::AgentMessage ack;
  ack.mutable_ack()->set_version(1);
  agent.stream->Write(ack);
  grpc::Status status = agent.finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(service->counters().protocol_errors, 1u);
  EXPECT_EQ(registry.registrations(), 0);
}

TEST_F(SouthboundServiceTest, RefusedRegistrationEndsTheStreamWithTheReason) {
  registry.refuse_with("underlay IP 192.0.2.2 already registered by hv2");
  RawAgent agent(listen_port);
  agent.send_register("hv1", "192.0.2.2");
  grpc::Status status = agent.finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("already registered by hv2"), std::string::npos);
  EXPECT_EQ(service->counters().registrations_refused, 1u);
}

TEST_F(SouthboundServiceTest, WelcomeSnapshotThenLiveDeltas) {
  RawAgent agent(listen_port);
  ASSERT_TRUE(agent.send_register("hv1", "192.0.2.1"));
  sb::ControllerMessage message;
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_welcome());
  EXPECT_EQ(message.welcome().heartbeat_interval_ms(), 2000u);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_snapshot());
  View view = view_of(message.snapshot());
  EXPECT_EQ(keys_of(view), (std::vector<std::string>{"lport/a1", "net/A", "rport/a2"}));
  uint64_t version = message.snapshot().version();

  ChangeSet change;
  change.ports = {port_facts("a3", "hv2")};
  service->apply(change);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_delta());
  EXPECT_EQ(message.delta().from_version(), version);
  EXPECT_EQ(message.delta().upserts(0).key(), "rport/a3");

  // A change elsewhere sends nothing to hv1: the next thing hv1 sees is its own change.
  ChangeSet elsewhere;
  elsewhere.networks = {net("B", 200)};
  elsewhere.ports = {port("b9", "B", "hv9")};
  service->apply(elsewhere);
  ChangeSet mine;
  mine.removed_ports = {"a3"};
  service->apply(mine);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_delta());
  EXPECT_EQ(message.delta().removals(0), "rport/a3");
  EXPECT_EQ(message.delta().from_version(), version + 1);
  EXPECT_TRUE(eventually([&] { return service->counters().deltas_sent >= 2; }));
  EXPECT_EQ(service->counters().sessions_active, 1u);
}

TEST_F(SouthboundServiceTest, NackIsAnsweredWithASnapshot) {
  RawAgent agent(listen_port);
  agent.send_register("hv1", "192.0.2.1");
  sb::ControllerMessage message;
  ASSERT_TRUE(agent.read(message) && agent.read(message) && message.has_snapshot());
  ChangeSet change;
  change.ports = {port_facts("a3", "hv2")};
  service->apply(change);
  ASSERT_TRUE(agent.read(message) && message.has_delta());
  sb::AgentMessage nack;
  nack.mutable_nack()->set_version(message.delta().version());
  nack.mutable_nack()->set_reason("tap creation failed");
  agent.stream->Write(nack);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_snapshot());
  EXPECT_EQ(view_of(message.snapshot()).count("rport/a3"), 1u);
  EXPECT_EQ(service->counters().nacks, 1u);
}

// NACKs of deltas that a snapshot already replaced (they were in flight) do not
// cause another snapshot; a NACKed snapshot is resent.
TEST_F(SouthboundServiceTest, StaleNacksAreIgnoredAndNackedSnapshotsResent) {
  RawAgent agent(listen_port);
  agent.send_register("hv1", "192.0.2.1");
  sb::ControllerMessage message;
  ASSERT_TRUE(agent.read(message) && agent.read(message) && message.has_snapshot());
  ChangeSet change;
  change.ports = {port_facts("a3", "hv2")};
  service->apply(change);
  ASSERT_TRUE(agent.read(message) && message.has_delta());
  uint64_t failed = message.delta().version();
  sb::AgentMessage nack;
  nack.mutable_nack()->set_version(failed);
  nack.mutable_nack()->set_reason("first failure");
  agent.stream->Write(nack);
  ASSERT_TRUE(agent.read(message) && message.has_snapshot());
  uint64_t snapshot_version = message.snapshot().version();

  nack.mutable_nack()->set_version(snapshot_version - 1);  // an older delta, already superseded
  nack.mutable_nack()->set_reason("stale");
  agent.stream->Write(nack);
  ChangeSet next;
  next.ports = {port_facts("a4", "hv2")};
  service->apply(next);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_delta()) << "no snapshot for a stale NACK";
  EXPECT_EQ(message.delta().from_version(), snapshot_version);

  nack.mutable_nack()->set_version(message.delta().version());
  nack.mutable_nack()->set_reason("second failure");
  agent.stream->Write(nack);
  ASSERT_TRUE(agent.read(message) && message.has_snapshot());
  nack.mutable_nack()->set_version(message.snapshot().version());
  nack.mutable_nack()->set_reason("the snapshot failed too");
  agent.stream->Write(nack);
  ASSERT_TRUE(agent.read(message));
  ASSERT_TRUE(message.has_snapshot()) << "a failed snapshot is retried (after a backoff)";
  EXPECT_EQ(service->counters().nacks, 4u);
}

TEST_F(SouthboundServiceTest, ResumeSendsOnlyTheMissingDeltas) {
  std::string epoch;
  uint64_t version = 0;
  {
    RawAgent first(listen_port);
    first.send_register("hv1", "192.0.2.1");
    sb::ControllerMessage message;
    ASSERT_TRUE(first.read(message) && first.read(message) && message.has_snapshot());
    epoch = message.snapshot().epoch();
    version = message.snapshot().version();
    first.context.TryCancel();
  }
  ChangeSet change;
  change.ports = {port_facts("a3", "hv2")};
  service->apply(change);
  RawAgent again(listen_port);
  again.send_register("hv1", "192.0.2.1", epoch, version);
  sb::ControllerMessage message;
  ASSERT_TRUE(again.read(message) && message.has_welcome());
  ASSERT_TRUE(again.read(message));
  ASSERT_TRUE(message.has_delta()) << "resumed, not a snapshot";
  EXPECT_EQ(message.delta().from_version(), version);
  EXPECT_EQ(message.delta().upserts(0).key(), "rport/a3");
}

TEST_F(SouthboundServiceTest, ASecondSessionOfTheSameHostReplacesTheFirst) {
  RawAgent first(listen_port);
  first.send_register("hv1", "192.0.2.1");
  sb::ControllerMessage message;
  ASSERT_TRUE(first.read(message) && first.read(message));
  RawAgent second(listen_port);
  second.send_register("hv1", "192.0.2.1");
  ASSERT_TRUE(second.read(message) && message.has_welcome());
  EXPECT_EQ(first.finish().error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(service->counters().sessions_replaced, 1u);
  EXPECT_EQ(registry.disconnects("hv1"), 0) << "the host is still connected through the second session";
  ChangeSet change;
  change.ports = {port_facts("a3", "hv2")};
  service->apply(change);
  ASSERT_TRUE(second.read(message) && message.has_snapshot());
  ASSERT_TRUE(second.read(message) && message.has_delta());
}

TEST_F(SouthboundServiceTest, PortStatusOnlyForTheReportersOwnPorts) {
  RawAgent agent(listen_port);
  agent.send_register("hv1", "192.0.2.1");
  sb::AgentMessage report;
  auto* own = report.mutable_port_status()->add_ports();
  own->set_port_id("a1");
  own->set_up(true);
  auto* foreign = report.mutable_port_status()->add_ports();
  foreign->set_port_id("a2");
  foreign->set_up(true);
  agent.stream->Write(report);
  ASSERT_TRUE(eventually([&] { return registry.port_status("a1") == 1; }));
  EXPECT_TRUE(eventually([&] { return service->counters().port_status_rejected == 1; }));
  EXPECT_EQ(registry.port_status("a2"), -1);
}

TEST_F(SouthboundServiceTest, HeartbeatsReachTheRegistry) {
  RawAgent agent(listen_port);
  agent.send_register("hv1", "192.0.2.1");
  int before_beats = 0;
  ASSERT_TRUE(eventually([&] { return (before_beats = registry.heartbeats("hv1")) >= 1; }));
  sb::AgentMessage beat;
  beat.mutable_heartbeat()->set_sent_unix_ms(1);
  agent.stream->Write(beat);
  EXPECT_TRUE(eventually([&] { return registry.heartbeats("hv1") > before_beats; }));
}

TEST(SouthboundLivenessTest, SilentAgentIsDisconnected) {
  FakeAgentRegistry registry;
  auto service = make_southbound_service(registry, SouthboundConfig{.heartbeat_interval_ms = 50});
  registry.set_listener(service.get());
  std::string error;
  ASSERT_TRUE(service->start("127.0.0.1:0", error)) << error;
  RawAgent agent(service->listening_port());
  agent.send_register("hv1", "192.0.2.1");
  // The agent never speaks again; the controller's own heartbeats keep coming until it gives up.
  grpc::Status status = agent.finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(eventually([&] { return registry.disconnects("hv1") == 1; }));
  EXPECT_EQ(service->counters().sessions_timed_out, 1u);
  EXPECT_GE(service->counters().heartbeats_sent, 1u);
  service->stop();
}

TEST(SouthboundLifecycleTest, StartFailsClearlyOnABadAddress) {
  FakeAgentRegistry registry;
  auto service = make_southbound_service(registry, SouthboundConfig{});
  std::string error;
  EXPECT_FALSE(service->start("not an address", error));
  EXPECT_NE(error.find("cannot listen"), std::string::npos);
  EXPECT_EQ(service->listening_port(), 0);
}

}  // namespace
}  // namespace overcast::controller

// Two Datapaths in one process, VTEPs on 127.0.0.11 and 127.0.0.12 (same UDP
// port), each with one fake VM port in VNI 5000: frames cross the real kernel
// UDP tunnel in VXLAN; ARP for the peer VM is answered locally.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "dataplane/datapath.h"
#include "dataplane/fake_port.h"
#include "dataplane/test_frames.h"

namespace overcast::dataplane::testing {
namespace {

constexpr uint32_t kVtepA = 0x7f00000b;  // 127.0.0.11
constexpr uint32_t kVtepB = 0x7f00000c;  // 127.0.0.12
constexpr uint32_t kStranger = 0x7f00000d;
constexpr uint32_t kVni = 5000;
constexpr uint32_t kIpA = 0x0a000001;
constexpr uint32_t kIpB = 0x0a000002;

int udp_socket_bound(uint32_t ip, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip);
  a.sin_port = htons(port);
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A port free on both addresses (probed by binding; released just before use).
uint16_t free_port_on_both() {
  for (uint16_t port = static_cast<uint16_t>(20000 + ::getpid() % 9000); port < 40000; ++port) {
    int a = udp_socket_bound(kVtepA, port);
    int b = udp_socket_bound(kVtepB, port);
    const bool ok = a >= 0 && b >= 0;
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
    if (ok) return port;
  }
  return 0;
}

// Waits for `condition` to become true, up to a generous bound; the assertion is
// on the condition, never on how long it took.
bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

std::shared_ptr<const ForwardingTable> vtep_table(const std::shared_ptr<FakePort>& port, const MacAddress& local_mac,
                                                  const MacAddress& remote_mac, uint32_t remote_vtep,
                                                  uint32_t local_ip, uint32_t remote_ip) {
  auto t = std::make_shared<ForwardingTable>();
  t->version = 1;
  PortEntry e;
  e.port_id = port->name();
  e.vni = kVni;
  e.mac = local_mac;
  e.io = port;
  t->ports.push_back(e);
  Segment& s = t->segments[kVni];
  s.vni = kVni;
  s.local_ports = {0};
  s.flood_vteps = {remote_vtep};
  s.macs[local_mac] = {L2Destination::Kind::kLocalPort, 0, 0};
  s.macs[remote_mac] = {L2Destination::Kind::kRemoteVtep, kNoPort, remote_vtep};
  s.arp[local_ip] = local_mac;
  s.arp[remote_ip] = remote_mac;
  s.vteps = {remote_vtep};
  t->known_vteps = {remote_vtep};
  return t;
}

// Parameter: workers per Datapath (with 2, the tunnel socket is a SO_REUSEPORT
// group and port tx is shared between workers).
class DatapathLoopbackTest : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override {
    port_ = free_port_on_both();
    ASSERT_NE(port_, 0);
    a_ = make_datapath({"127.0.0.11", port_, 1024, 2048 + Packet::kHeadroom, GetParam()});
    b_ = make_datapath({"127.0.0.12", port_, 1024, 2048 + Packet::kHeadroom, GetParam()});
    a_->publish(vtep_table(vm_a_, mac(1), mac(2), kVtepB, kIpA, kIpB));
    b_->publish(vtep_table(vm_b_, mac(2), mac(1), kVtepA, kIpB, kIpA));
    std::string error;
    ASSERT_TRUE(a_->start(error)) << error;
    ASSERT_TRUE(b_->start(error)) << error;
  }
  void TearDown() override {
    if (a_) a_->stop();
    if (b_) b_->stop();
  }

  uint16_t port_ = 0;
  std::shared_ptr<FakePort> vm_a_ = std::make_shared<FakePort>("vm-a");
  std::shared_ptr<FakePort> vm_b_ = std::make_shared<FakePort>("vm-b");
  std::unique_ptr<Datapath> a_, b_;
};

TEST_P(DatapathLoopbackTest, UnicastFrameCrossesTheTunnel) {
  auto frame = udp_frame(mac(2), mac(1), 5555, 200);
  vm_a_->inject(frame);
  ASSERT_TRUE(eventually([&] { return vm_b_->sent_count() == 1; }));
  EXPECT_EQ(vm_b_->sent()[0], frame);

  // A counts its send after sendmmsg returns, which may be after B delivered.
  ASSERT_TRUE(eventually([&] { return a_->counters_json()["tunnel"]["tx_packets"] == 1; }));
  auto ca = a_->counters_json();
  auto cb = b_->counters_json();
  EXPECT_EQ(ca["tunnel"]["tx_bytes"], frame.size() + 8);
  EXPECT_EQ(cb["tunnel"]["rx_packets"], 1);
  EXPECT_EQ(cb["stages"]["vxlan_decap"]["local"], 1);
  ASSERT_EQ(ca["ports"].size(), 1u);
  EXPECT_EQ(ca["ports"][0]["name"], "vm-a");
  EXPECT_EQ(ca["ports"][0]["vni"], kVni);
  EXPECT_EQ(ca["ports"][0]["rx_packets"], 1);
  EXPECT_EQ(cb["ports"][0]["tx_packets"], 1);
}

TEST_P(DatapathLoopbackTest, BroadcastReachesThePeerByHeadEndReplication) {
  auto frame = udp_frame(MacAddress::broadcast(), mac(1));
  vm_a_->inject(frame);
  ASSERT_TRUE(eventually([&] { return vm_b_->sent_count() == 1; }));
  EXPECT_EQ(vm_b_->sent()[0], frame);
  EXPECT_EQ(vm_a_->sent_count(), 0u);  // not reflected back to the sender
}

TEST_P(DatapathLoopbackTest, ArpForThePeerIsAnsweredLocally) {
  vm_a_->inject(arp_request(mac(1), kIpA, kIpB));
  ASSERT_TRUE(eventually([&] { return vm_a_->sent_count() == 1; }));
  EXPECT_EQ(vm_a_->sent()[0], arp_reply(mac(2), kIpB, mac(1), kIpA));
  auto ca = a_->counters_json();
  EXPECT_EQ(ca["tunnel"]["tx_packets"], 0);  // the underlay carried no ARP
  EXPECT_EQ(ca["stages"]["arp_responder"]["replied"], 1);
}

TEST_P(DatapathLoopbackTest, DatagramFromAnUnknownVtepIsDropped) {
  int fd = udp_socket_bound(kStranger, 0);
  ASSERT_GE(fd, 0);
  auto payload = vxlan_payload(kVni, udp_frame(mac(2), mac(9)));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(kVtepB);
  to.sin_port = htons(port_);
  ASSERT_EQ(::sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(payload.size()));
  ::close(fd);
  ASSERT_TRUE(eventually([&] { return b_->counters_json()["drops"]["unknown_vtep"] == 1; }));
  EXPECT_EQ(vm_b_->sent_count(), 0u);
}

TEST_P(DatapathLoopbackTest, RepublishingWithoutThePortStopsPollingIt) {
  auto empty = std::make_shared<ForwardingTable>();
  empty->version = 2;
  a_->publish(empty);
  EXPECT_EQ(a_->current()->version, 2u);
  EXPECT_TRUE(a_->counters_json()["ports"].empty());
  // The port is no longer in any table the worker reads once it has passed a
  // quiescent point; the old table is then released.
  ASSERT_TRUE(eventually([&] {
    a_->counters_json();  // reclaims
    return vm_a_.use_count() == 1;
  }));
}

TEST_P(DatapathLoopbackTest, RestartedDatapathForwardsAgain) {
  a_->stop();
  b_->stop();
  std::string error;
  ASSERT_TRUE(a_->start(error)) << error;
  ASSERT_TRUE(b_->start(error)) << error;
  auto frame = udp_frame(mac(2), mac(1), 6000);
  vm_a_->inject(frame);
  ASSERT_TRUE(eventually([&] { return vm_b_->sent_count() == 1; }));
  EXPECT_EQ(vm_b_->sent()[0], frame);
}

INSTANTIATE_TEST_SUITE_P(Workers, DatapathLoopbackTest, ::testing::Values(1u, 2u));

TEST(DatapathStart, RejectsBadUnderlayAddress) {
  auto dp = make_datapath({"not-an-ip", 4789, 64, 2048 + Packet::kHeadroom, 1});
  std::string error;
  EXPECT_FALSE(dp->start(error));
  EXPECT_NE(error.find("underlay_ip"), std::string::npos);
}

TEST(DatapathStart, ReportsAPortAlreadyInUse) {
  const uint16_t port = free_port_on_both();
  ASSERT_NE(port, 0);
  int blocker = udp_socket_bound(kVtepA, port);
  ASSERT_GE(blocker, 0);
  auto dp = make_datapath({"127.0.0.11", port, 64, 2048 + Packet::kHeadroom, 1});
  std::string error;
  EXPECT_FALSE(dp->start(error));
  EXPECT_NE(error.find("bind"), std::string::npos) << error;
  ::close(blocker);
}

}  // namespace
}  // namespace overcast::dataplane::testing

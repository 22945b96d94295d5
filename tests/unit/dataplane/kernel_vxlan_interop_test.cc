// Interop with the kernel's own VXLAN as the peer VTEP — an independent decoder
// and encoder of the wire format (STYLE: wire output is checked by someone else's
// parser). Two anonymous network namespaces joined by a veth pair:
//
//   ns K: vk 192.0.2.1 ── vx0 (kernel VXLAN, VNI 5000, remote 192.0.2.2) 10.200.0.1
//   ns O: vo 192.0.2.2 ── Overcast Datapath (underlay 192.0.2.2:4789) ── FakePort "VM" 10.200.0.2
//
// Skipped when namespaces or the vxlan/veth link types are not available.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "dataplane/datapath.h"
#include "dataplane/fake_port.h"
#include "dataplane/netns_thread.h"
#include "dataplane/test_frames.h"
#include "net/ipv4.h"

namespace overcast::dataplane::testing {
namespace {

constexpr uint32_t kVni = 5000;
constexpr uint32_t kKernelVtep = 0xc0000201;  // 192.0.2.1 (TEST-NET-1, inside our namespaces only)
const MacAddress kKernelMac = mac(0x0b);
const MacAddress kVmMac = mac(0x0c);
constexpr uint32_t kKernelIp = 0x0ac80001;  // 10.200.0.1
constexpr uint32_t kVmIp = 0x0ac80002;      // 10.200.0.2

int bound_udp(uint32_t ip, uint16_t port) {
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

// Ethernet/IPv4/UDP from the VM to the kernel side, with a valid IPv4 checksum
// (the kernel verifies it) and UDP checksum 0 (allowed over IPv4).
std::vector<uint8_t> vm_to_kernel_udp(const std::string& text, uint16_t sport, uint16_t dport) {
  std::vector<uint8_t> f;
  put_mac(f, kKernelMac);
  put_mac(f, kVmMac);
  put16(f, 0x0800);
  const size_t ip_at = f.size();
  f.insert(f.end(), {0x45, 0});
  put16(f, static_cast<uint16_t>(28 + text.size()));
  f.insert(f.end(), {0, 1, 0x40, 0, 64, 17, 0, 0});
  put32(f, kVmIp);
  put32(f, kKernelIp);
  net::set_ipv4_checksum(net::header_at<net::Ipv4Header>(f.data() + ip_at));
  put16(f, sport);
  put16(f, dport);
  put16(f, static_cast<uint16_t>(8 + text.size()));
  put16(f, 0);
  f.insert(f.end(), text.begin(), text.end());
  return f;
}

class KernelVxlanInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kernel_.ok() || !ours_.ok()) GTEST_SKIP() << "cannot create network namespaces (not root?)";
    const std::string tid = std::to_string(ours_.tid());
    ASSERT_TRUE(ours_.sh("ip link set lo up"));
    ASSERT_TRUE(kernel_.sh("ip link set lo up"));
    if (!kernel_.sh("ip link add vk type veth peer name vo")) GTEST_SKIP() << "no veth";
    ASSERT_TRUE(kernel_.sh("ip link set vo netns " + tid));
    ASSERT_TRUE(kernel_.sh("ip addr add 192.0.2.1/24 dev vk && ip link set vk up"));
    ASSERT_TRUE(ours_.sh("ip addr add 192.0.2.2/24 dev vo && ip link set vo up"));
    if (!kernel_.sh("ip link add vx0 type vxlan id 5000 local 192.0.2.1 remote 192.0.2.2 dstport 4789 dev vk")) {
      GTEST_SKIP() << "no kernel vxlan";
    }
    ASSERT_TRUE(kernel_.sh("ip link set vx0 address " + kKernelMac.to_string() +
                           " && ip addr add 10.200.0.1/24 dev vx0 && ip link set vx0 up"));
    ASSERT_TRUE(kernel_.sh("ip neigh replace 10.200.0.2 lladdr " + kVmMac.to_string() +
                           " dev vx0 nud permanent"));

    auto table = std::make_shared<ForwardingTable>();
    PortEntry e;
    e.port_id = "vm";
    e.vni = kVni;
    e.mac = kVmMac;
    e.io = vm_;
    table->ports.push_back(e);
    Segment& s = table->segments[kVni];
    s.vni = kVni;
    s.local_ports = {0};
    s.flood_vteps = {kKernelVtep};
    s.macs[kVmMac] = {L2Destination::Kind::kLocalPort, 0, 0};
    s.macs[kKernelMac] = {L2Destination::Kind::kRemoteVtep, kNoPort, kKernelVtep};
    s.arp[kKernelIp] = kKernelMac;
    s.vteps = {kKernelVtep};
    table->known_vteps = {kKernelVtep};
    std::string error;
    const bool started = ours_.run([&] {
      datapath_ = make_datapath({"192.0.2.2", 4789, 1024, 2048 + Packet::kHeadroom, 1});
      datapath_->publish(table);
      return datapath_->start(error);
    });
    ASSERT_TRUE(started) << error;
  }
  void TearDown() override {
    if (datapath_) datapath_->stop();
    datapath_.reset();
  }

  template <class Condition>
  static bool eventually(Condition c) {
    for (int i = 0; i < 1000; ++i) {
      if (c()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return c();
  }

  NetnsThread kernel_;
  NetnsThread ours_;
  std::shared_ptr<FakePort> vm_ = std::make_shared<FakePort>("vm");
  std::unique_ptr<Datapath> datapath_;
};

TEST_F(KernelVxlanInteropTest, KernelEncapsulatedFrameReachesTheVm) {
  const std::string text = "hello-from-kernel";
  ASSERT_TRUE(kernel_.run([&] {
    int fd = bound_udp(kKernelIp, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(kVmIp);
    to.sin_port = htons(7000);
    const bool sent = fd >= 0 && ::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to),
                                          sizeof to) == static_cast<ssize_t>(text.size());
    if (fd >= 0) ::close(fd);
    return sent;
  }));
  // The kernel may also send its own multicast (IPv6 ND, MLD): look for ours.
  auto is_ours = [&](const std::vector<uint8_t>& f) {
    return f.size() >= 42 + text.size() && std::equal(kVmMac.bytes.begin(), kVmMac.bytes.end(), f.begin()) &&
           std::equal(kKernelMac.bytes.begin(), kKernelMac.bytes.end(), f.begin() + 6) &&
           std::string(f.end() - static_cast<long>(text.size()), f.end()) == text;
  };
  ASSERT_TRUE(eventually([&] {
    auto sent = vm_->sent();
    return std::any_of(sent.begin(), sent.end(), is_ours);
  })) << "drops: " << datapath_->counters_json()["drops"].dump();
  auto counters = datapath_->counters_json();
  EXPECT_EQ(counters["drops"]["bad_flags"], 0);
  EXPECT_EQ(counters["drops"]["unknown_vtep"], 0);
}

TEST_F(KernelVxlanInteropTest, OurEncapsulationIsAcceptedByTheKernel) {
  const std::string text = "hello-from-overcast";
  int fd = kernel_.run([] { return bound_udp(kKernelIp, 7001); });
  ASSERT_GE(fd, 0);
  vm_->inject(vm_to_kernel_udp(text, 7002, 7001));
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 10000), 1) << "counters: " << datapath_->counters_json().dump();
  char buf[128];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  const ssize_t got = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  ::close(fd);
  ASSERT_EQ(got, static_cast<ssize_t>(text.size()));
  EXPECT_EQ(std::string(buf, static_cast<size_t>(got)), text);
  EXPECT_EQ(ntohl(from.sin_addr.s_addr), kVmIp);
  EXPECT_EQ(ntohs(from.sin_port), 7002);
}

TEST_F(KernelVxlanInteropTest, ArpForTheKernelSideIsAnsweredWithoutTheTunnel) {
  // Our VM asks for the kernel side's address: answered from the table, no tunnel.
  vm_->inject(arp_request(kVmMac, kVmIp, kKernelIp));
  // Wait for the reply itself, not for any frame: the kernel side's own traffic (IPv6
  // neighbour discovery, MLD when vx0 comes up) is flooded to the VM too and may be first.
  const auto reply = arp_reply(kKernelMac, kKernelIp, kVmMac, kVmIp);
  EXPECT_TRUE(eventually([&] {
    const auto sent = vm_->sent();
    return std::find(sent.begin(), sent.end(), reply) != sent.end();
  }));
  auto counters = datapath_->counters_json();
  EXPECT_EQ(counters["stages"]["arp_responder"]["replied"], 1);
  EXPECT_EQ(counters["tunnel"]["tx_packets"], 0);
}

}  // namespace
}  // namespace overcast::dataplane::testing

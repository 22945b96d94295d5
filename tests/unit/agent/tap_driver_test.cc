// TAP devices for real: create, persist, re-attach, and re-attach after the netdev
// moved into another namespace (the agent-restart trap). Needs root; every
// namespace and link carries a per-run prefix and is removed in TearDown.
#include "agent/ports/tap_driver.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "dataplane/core/packet_pool.h"
#include "dataplane/ports/tap_port.h"

namespace overcast::agent {
namespace {

using dataplane::Batch;
using dataplane::PacketPool;
using dataplane::TapPort;

constexpr uint16_t kTestEthertype = 0x88b5;  // IEEE local experimental: nothing else sends it

int sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

std::string read_sys(const std::string& dev, const std::string& attr) {
  std::ifstream in("/sys/class/net/" + dev + "/" + attr);
  std::string value;
  std::getline(in, value);
  return value;
}

// ifindex of `dev` inside the named namespace `ns`, 0 if absent.
unsigned ifindex_in(const std::string& ns, const std::string& dev) {
  unsigned index = 0;
  std::string error;
  run_in_netns(std::string(kNamedNetnsDir) + "/" + ns, [&] { index = ::if_nametoindex(dev.c_str()); }, error);
  return index;
}

std::vector<uint8_t> test_frame(uint8_t marker) {
  std::vector<uint8_t> f = {0xfa, 0x16, 0x3e, 0x00, 0x00, 0x99,   // dst
                            0xfa, 0x16, 0x3e, 0x00, 0x00, 0x98,   // src
                            kTestEthertype >> 8, kTestEthertype & 0xff};
  for (int i = 0; i < 46; ++i) f.push_back(static_cast<uint8_t>(marker + i));
  return f;
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 5000) == 1;  // a hang guard, not a timing assertion
}

class TapDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (TAP devices and namespaces)";
    std::mt19937 rng(static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count() ^ ::getpid()));
    char run[8];
    std::snprintf(run, sizeof(run), "%06x", static_cast<unsigned>(rng() & 0xffffff));
    prefix_ = std::string("oca2") + run;
    netns_ = prefix_ + "-vm";
    spec_.port_id = "t" + std::string(run) + "-port-id";  // tap "tap" + 11 chars: unique per run
    spec_.device_name = "tap" + spec_.port_id.substr(0, 11);
    spec_.mac = *MacAddress::parse("fa:16:3e:12:34:56");
    spec_.mtu = 1400;
    Cleanup();
    ASSERT_EQ(sh("ip netns add " + netns_), 0);
  }
  void TearDown() override {
    if (!prefix_.empty()) Cleanup();
  }
  void Cleanup() {
    sh("ip link del " + spec_.device_name);
    sh("ip netns del " + netns_);
    sh("ip netns del " + netns_ + "2");
  }
  bool in_agent_netns() { return ::if_nametoindex(spec_.device_name.c_str()) != 0; }

  std::string prefix_;
  std::string netns_;
  PortSpec spec_;
  TapDriver driver_;
};

TEST_F(TapDriverTest, CreatesPersistentTapWithMacAndMtuThenReattaches) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  EXPECT_EQ(io->name(), spec_.device_name);
  EXPECT_EQ(read_sys(spec_.device_name, "address"), "fa:16:3e:12:34:56");
  EXPECT_EQ(read_sys(spec_.device_name, "mtu"), "1400");
  std::string index = read_sys(spec_.device_name, "ifindex");

  io.reset();  // the agent goes away: the device stays
  ASSERT_TRUE(in_agent_netns());
  auto again = driver_.open(spec_, error);
  ASSERT_NE(again, nullptr) << error;
  EXPECT_EQ(read_sys(spec_.device_name, "ifindex"), index);  // attached, not recreated

  ASSERT_TRUE(driver_.destroy(again, error)) << error;
  again.reset();
  EXPECT_FALSE(in_agent_netns());
}

TEST_F(TapDriverTest, CreateOnlyRefusesAnExistingDevice) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  ASSERT_TRUE(driver_.destroy(io, error));  // gone when `io` closes, at the end of the test
  EXPECT_EQ(TapPort::open(spec_.device_name, TapPort::OpenMode::kCreateOnly, error), nullptr);
  EXPECT_NE(error.find("TUNSETIFF"), std::string::npos) << error;
}

TEST_F(TapDriverTest, ReattachesInTheVmNamespaceAndPassesFramesBothWays) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  ASSERT_EQ(sh("ip link set " + spec_.device_name + " netns " + netns_), 0);
  ASSERT_FALSE(in_agent_netns());
  unsigned index = ifindex_in(netns_, spec_.device_name);
  ASSERT_NE(index, 0u);
  io.reset();  // kill -9 of the agent

  auto tap = driver_.open(spec_, error);
  ASSERT_NE(tap, nullptr) << error;
  EXPECT_FALSE(in_agent_netns()) << "a second device was created in the agent's namespace";
  EXPECT_EQ(ifindex_in(netns_, spec_.device_name), index);
  ASSERT_EQ(sh("ip -n " + netns_ + " link set " + spec_.device_name + " up"), 0);

  // The VM side: a packet socket on the netdev, opened inside its namespace.
  int sock = -1;
  ASSERT_TRUE(run_in_netns(std::string(kNamedNetnsDir) + "/" + netns_, [&] {
    sock = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(kTestEthertype));
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(kTestEthertype);
    addr.sll_ifindex = static_cast<int>(index);
    if (sock >= 0 && ::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(sock);
      sock = -1;
    }
  }, error)) << error;
  ASSERT_GE(sock, 0);

  PacketPool pool(64, 2048 + dataplane::Packet::kHeadroom);
  // Agent -> VM.
  auto to_vm = test_frame(1);
  Batch out;
  auto* p = pool.alloc();
  ASSERT_TRUE(p->set_length(static_cast<uint32_t>(to_vm.size())));
  std::memcpy(p->data(), to_vm.data(), to_vm.size());
  out.push(p);
  tap->tx_burst(pool, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pool.available(), pool.capacity());
  EXPECT_EQ(tap->counters().tx_packets.load(), 1u);
  EXPECT_EQ(tap->counters().tx_errors.load(), 0u);
  ASSERT_TRUE(readable(sock));
  std::vector<uint8_t> got(2048);
  ssize_t n = ::recv(sock, got.data(), got.size(), 0);
  ASSERT_EQ(n, static_cast<ssize_t>(to_vm.size()));
  got.resize(static_cast<size_t>(n));
  EXPECT_EQ(got, to_vm);

  // VM -> agent. The kernel may queue its own frames too; look for ours.
  auto from_vm = test_frame(7);
  sockaddr_ll dst{};
  dst.sll_family = AF_PACKET;
  dst.sll_ifindex = static_cast<int>(index);
  dst.sll_halen = 6;
  ASSERT_EQ(::sendto(sock, from_vm.data(), from_vm.size(), 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)),
            static_cast<ssize_t>(from_vm.size()));
  bool found = false;
  for (int round = 0; round < 20 && !found; ++round) {
    ASSERT_TRUE(readable(tap->poll_fd()));
    Batch in;
    tap->rx_burst(pool, in);
    for (auto* q : in) {
      if (q->length() == from_vm.size() && std::memcmp(q->data(), from_vm.data(), from_vm.size()) == 0) found = true;
    }
    pool.free_batch(in);
  }
  EXPECT_TRUE(found);
  EXPECT_GE(tap->counters().rx_packets.load(), 1u);
  EXPECT_EQ(tap->counters().rx_errors.load(), 0u);
  ::close(sock);
}

TEST_F(TapDriverTest, FindsTheDeviceAgainAfterItMovedToAnotherNamespace) {
  ASSERT_EQ(sh("ip netns add " + netns_ + "2"), 0);
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  ASSERT_EQ(sh("ip link set " + spec_.device_name + " netns " + netns_), 0);
  io.reset();
  io = driver_.open(spec_, error);  // the driver now remembers netns_
  ASSERT_NE(io, nullptr) << error;
  io.reset();
  ASSERT_EQ(sh("ip -n " + netns_ + " link set " + spec_.device_name + " netns " + netns_ + "2"), 0);
  unsigned index = ifindex_in(netns_ + "2", spec_.device_name);
  ASSERT_NE(index, 0u);
  io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  EXPECT_FALSE(in_agent_netns());
  EXPECT_EQ(ifindex_in(netns_, spec_.device_name), 0u);
  EXPECT_EQ(ifindex_in(netns_ + "2", spec_.device_name), index);
}

// The trap itself: without the namespace search, re-attaching by name silently
// makes a second device in the agent's namespace (this is what the driver avoids).
TEST_F(TapDriverTest, WithoutNamespaceSearchTheKernelWouldCreateASecondDevice) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  ASSERT_EQ(sh("ip link set " + spec_.device_name + " netns " + netns_), 0);
  io.reset();
  TapDriver blind(true, "/nonexistent-netns-dir");
  auto wrong = blind.open(spec_, error);
  ASSERT_NE(wrong, nullptr) << error;
  EXPECT_TRUE(in_agent_netns());
  ASSERT_TRUE(blind.destroy(wrong, error)) << error;
}

TEST_F(TapDriverTest, NameTakenByANonTapDeviceIsAnErrorNotANewDevice) {
  ASSERT_EQ(sh("ip link add " + spec_.device_name + " type veth peer name " + prefix_ + "p"), 0);
  std::string error;
  EXPECT_EQ(driver_.open(spec_, error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST_F(TapDriverTest, ErrorsAreCountedNotThrown) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  ASSERT_TRUE(driver_.destroy(io, error)) << error;
  // Nothing queued: an empty burst, not an error.
  PacketPool pool(4, 2048 + dataplane::Packet::kHeadroom);
  Batch in;
  EXPECT_EQ(io->rx_burst(pool, in), 0u);
  EXPECT_EQ(io->counters().rx_errors.load(), 0u);
  // The netdev is down: the kernel refuses the write (EIO); counted, packets back in the pool.
  auto frame = test_frame(3);
  Batch out;
  for (int i = 0; i < 2; ++i) {
    auto* p = pool.alloc();
    ASSERT_TRUE(p->set_length(static_cast<uint32_t>(frame.size())));
    std::memcpy(p->data(), frame.data(), frame.size());
    out.push(p);
  }
  io->tx_burst(pool, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pool.available(), pool.capacity());
  EXPECT_EQ(io->counters().tx_errors.load(), 2u);
  EXPECT_EQ(io->counters().tx_packets.load(), 0u);
}

TEST_F(TapDriverTest, DeletedDeviceIsNoLongerAlive) {
  std::string error;
  auto io = driver_.open(spec_, error);
  ASSERT_NE(io, nullptr) << error;
  EXPECT_TRUE(driver_.is_alive(io));
  ASSERT_EQ(sh("ip link del " + spec_.device_name), 0);
  EXPECT_FALSE(driver_.is_alive(io));
}

TEST(NetnsTest, RunInNetnsLeavesTheCallerWhereItWas) {
  struct stat before {}, after {};
  ASSERT_EQ(::stat("/proc/thread-self/ns/net", &before), 0);
  std::string error;
  bool ran = false;
  EXPECT_FALSE(run_in_netns("/nonexistent/netns", [&] { ran = true; }, error));
  EXPECT_FALSE(ran);
  EXPECT_FALSE(error.empty());
  ASSERT_EQ(::stat("/proc/thread-self/ns/net", &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
}

}  // namespace
}  // namespace overcast::agent

namespace overcast::agent {
namespace {

// tun's read truncates silently to the buffer; a frame larger than the data plane's
// buffer must be dropped whole and counted, never forwarded cut.
TEST_F(TapDriverTest, FrameLargerThanTheBufferIsDroppedWholeNotCut) {
  std::string error;
  auto tap = driver_.open(spec_, error);
  ASSERT_NE(tap, nullptr) << error;
  const std::string dev = spec_.device_name;
  sh("sysctl -w net.ipv6.conf." + dev + ".disable_ipv6=1");
  ASSERT_EQ(sh("ip link set " + dev + " mtu 9000 up"), 0);
  const unsigned index = ::if_nametoindex(dev.c_str());
  ASSERT_NE(index, 0u);
  int sock = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(kTestEthertype));
  ASSERT_GE(sock, 0);

  PacketPool pool(64, 2048 + dataplane::Packet::kHeadroom);
  const uint32_t room = pool.alloc()->max_length();  // what one buffer holds from data()
  pool.free_batch(*std::make_unique<Batch>());
  auto frame_of = [](size_t size, uint8_t marker) {
    auto f = test_frame(marker);
    f.resize(size, marker);
    return f;
  };
  const auto too_big = frame_of(room + 952, 0xb1);
  const auto fits = frame_of(room, 0x5a);
  sockaddr_ll dst{};
  dst.sll_family = AF_PACKET;
  dst.sll_ifindex = static_cast<int>(index);
  dst.sll_halen = 6;
  for (const auto* f : {&too_big, &fits}) {
    ASSERT_EQ(::sendto(sock, f->data(), f->size(), 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)),
              static_cast<ssize_t>(f->size()));
  }
  bool fits_seen = false;
  for (int round = 0; round < 20 && !fits_seen; ++round) {
    ASSERT_TRUE(readable(tap->poll_fd()));
    Batch in;
    tap->rx_burst(pool, in);
    for (auto* q : in) {
      EXPECT_FALSE(q->length() >= 15 && q->data()[14] == 0xb1) << "the oversize frame came through cut";
      if (q->length() == fits.size() && std::memcmp(q->data(), fits.data(), fits.size()) == 0) fits_seen = true;
    }
    pool.free_batch(in);
  }
  EXPECT_TRUE(fits_seen) << "a frame that fills the buffer exactly must pass";
  EXPECT_EQ(tap->counters().rx_errors.load(), 1u);
  ::close(sock);
}

}  // namespace
}  // namespace overcast::agent

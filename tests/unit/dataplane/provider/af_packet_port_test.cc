// AfPacketPort on a veth pair in a namespace of the test's own (root only; skipped
// otherwise): frames cross untagged and tagged, a tag the kernel took into metadata on
// receive (veth rx strips 802.1Q into the skb) is back in the frame, the port never reads
// what it sent itself, and an interface that is down or missing is refused with the reason.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "dataplane/netns_thread.h"
#include "dataplane/ports/af_packet_port.h"
#include "dataplane/test_frames.h"

namespace overcast::dataplane::testing {
namespace {

const MacAddress kBroadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

std::vector<uint8_t> with_tag(std::vector<uint8_t> frame, uint16_t vid) {
  const uint8_t tag[4] = {0x81, 0x00, static_cast<uint8_t>(vid >> 8), static_cast<uint8_t>(vid)};
  frame.insert(frame.begin() + 12, tag, tag + 4);
  return frame;
}

class AfPacketPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ns_.ok()) GTEST_SKIP() << "cannot create network namespaces (not root?)";
    if (!ns_.sh("ip link add pa type veth peer name pb")) GTEST_SKIP() << "no veth";
    // No IPv6: the kernel would send its own ND/MLD frames on the pair.
    ASSERT_TRUE(ns_.sh("sysctl -qw net.ipv6.conf.pa.disable_ipv6=1 net.ipv6.conf.pb.disable_ipv6=1"));
  }

  std::unique_ptr<AfPacketPort> open(const std::string& interface, std::string& error) {
    return ns_.run([&] { return AfPacketPort::open(interface, error); });
  }

  void send(AfPacketPort& port, const std::vector<uint8_t>& frame) {
    Batch batch;
    Packet* p = pool_.alloc();
    ASSERT_NE(p, nullptr);
    std::memcpy(p->data(), frame.data(), frame.size());
    p->set_length(static_cast<uint32_t>(frame.size()));
    batch.push(p);
    port.tx_burst(pool_, batch);
  }

  // What `port` reads within about a second, or until `want` frames came.
  std::vector<std::vector<uint8_t>> receive(AfPacketPort& port, size_t want) {
    std::vector<std::vector<uint8_t>> frames;
    for (int i = 0; i < 100 && frames.size() < want; ++i) {
      Batch batch;
      port.rx_burst(pool_, batch);
      for (Packet* p : batch) {
        frames.emplace_back(p->data(), p->data() + p->length());
        pool_.free(p);
      }
      batch.clear();
      if (frames.size() < want) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return frames;
  }

  NetnsThread ns_;
  PacketPool pool_{64, Packet::kDefaultBufferSize};
};

TEST_F(AfPacketPortTest, AnInterfaceThatIsDownOrMissingIsRefused) {
  std::string error;
  EXPECT_EQ(open("pa", error), nullptr);
  EXPECT_NE(error.find("pa is down"), std::string::npos) << error;
  EXPECT_EQ(open("nosuch0", error), nullptr);
  EXPECT_NE(error.find("nosuch0"), std::string::npos) << error;
}

TEST_F(AfPacketPortTest, FramesCrossTaggedOrNotAndNeverComeBackToTheSender) {
  ASSERT_TRUE(ns_.sh("ip link set pa up && ip link set pb up"));
  std::string error;
  auto a = open("pa", error);
  ASSERT_NE(a, nullptr) << error;
  auto b = open("pb", error);
  ASSERT_NE(b, nullptr) << error;

  const auto untagged = udp_frame(kBroadcast, mac(1));
  const auto tagged = with_tag(udp_frame(mac(2), mac(1)), 101);
  send(*a, untagged);
  send(*a, tagged);
  const auto got = receive(*b, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], untagged);
  EXPECT_EQ(got[1], tagged);  // the tag is back in band, VID and all
  EXPECT_TRUE(receive(*a, 1).empty());  // its own frames are not read back
  EXPECT_EQ(a->counters().tx_packets.load(), 2u);
  EXPECT_EQ(b->counters().rx_packets.load(), 2u);
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

// The L4 checksum of an untagged IPv4 UDP/TCP frame, summed here (RFC 1071, with the
// pseudo-header): 0 when the checksum is right.
uint16_t l4_checksum_residue(const std::vector<uint8_t>& f) {
  const size_t l3 = 14, l4 = l3 + size_t{f[l3] & 0x0fu} * 4;
  const size_t length = size_t{f[l3 + 2]} << 8 | f[l3 + 3];
  uint32_t sum = f[l3 + 9] + static_cast<uint32_t>(length - (l4 - l3));
  auto add = [&sum](const uint8_t* p, size_t n) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t{p[i]} << 8 | p[i + 1];
    if (n % 2) sum += uint32_t{p[n - 1]} << 8;
  };
  add(f.data() + l3 + 12, 8);
  add(f.data() + l4, length - (l4 - l3));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

TEST_F(AfPacketPortTest, AChecksumALocalSenderLeftPartialIsFinishedOnReceive) {
  // The kernel on pb sends with veth's checksum offload: the frame reaches pa's packet
  // socket CHECKSUM_PARTIAL (TP_STATUS_CSUMNOTREADY), its UDP checksum field holding only
  // the pseudo-header sum. The port must hand the pipeline a finished one (NAT updates
  // it incrementally; a VM would drop the datagram).
  ASSERT_TRUE(ns_.sh("ip link set pa up && ip link set pb up && ip addr add 203.0.113.2/24 dev pb && "
                     "ip neigh add 203.0.113.1 lladdr 02:00:00:00:00:01 dev pb && "
                     "ethtool -K pb tx on"));
  std::string error;
  auto a = open("pa", error);
  ASSERT_NE(a, nullptr) << error;
  ASSERT_TRUE(ns_.sh("bash -c 'echo -n checksum-me > /dev/udp/203.0.113.1/5353'"));
  const auto got = receive(*a, 1);
  ASSERT_EQ(got.size(), 1u);
  const auto& f = got[0];
  ASSERT_GE(f.size(), 14u + 20 + 8 + 11);
  ASSERT_EQ(f[12], 0x08);
  ASSERT_EQ(f[13], 0x00);
  ASSERT_EQ(f[14 + 9], 17);  // UDP
  EXPECT_NE(f[14 + 20 + 6] | f[14 + 20 + 7], 0);  // a checksum, not "none"
  EXPECT_EQ(l4_checksum_residue(f), 0);
  EXPECT_EQ(pool_.available(), pool_.capacity());
}

}  // namespace
}  // namespace overcast::dataplane::testing

#include "net/flow_hash.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "net/ethernet.h"
#include "net/ipv4.h"

namespace overcast::net {
namespace {

// Ethernet + IPv4 + UDP with the given addresses and ports.
std::vector<uint8_t> udp_frame(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint16_t frag = 0) {
  std::vector<uint8_t> f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  std::vector<uint8_t> ip(20, 0);
  ip[0] = 0x45;
  ip[3] = 20 + 8 + 4;
  ip[6] = static_cast<uint8_t>(frag >> 8);
  ip[7] = static_cast<uint8_t>(frag);
  ip[8] = 64;
  ip[9] = 17;
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = static_cast<uint8_t>(src >> (24 - 8 * i));
    ip[16 + i] = static_cast<uint8_t>(dst >> (24 - 8 * i));
  }
  f.insert(f.end(), ip.begin(), ip.end());
  const uint8_t udp[] = {static_cast<uint8_t>(sport >> 8), static_cast<uint8_t>(sport),
                         static_cast<uint8_t>(dport >> 8), static_cast<uint8_t>(dport), 0, 12, 0, 0, 1, 2, 3, 4};
  f.insert(f.end(), udp, udp + sizeof udp);
  return f;
}

TEST(FlowHash, SameFlowSameHashAndPayloadIgnored) {
  auto a = udp_frame(0x0a000001, 0x0a000002, 1000, 53);
  auto b = a;
  b.back() ^= 0xff;  // payload byte
  EXPECT_EQ(flow_hash(a.data(), a.size()), flow_hash(b.data(), b.size()));
}

TEST(FlowHash, PortsAndAddressesChangeIt) {
  auto base = udp_frame(0x0a000001, 0x0a000002, 1000, 53);
  const uint32_t h = flow_hash(base.data(), base.size());
  auto other_port = udp_frame(0x0a000001, 0x0a000002, 1001, 53);
  auto other_ip = udp_frame(0x0a000003, 0x0a000002, 1000, 53);
  EXPECT_NE(h, flow_hash(other_port.data(), other_port.size()));
  EXPECT_NE(h, flow_hash(other_ip.data(), other_ip.size()));
}

TEST(FlowHash, FragmentsHashWithoutPorts) {
  auto first = udp_frame(0x0a000001, 0x0a000002, 1000, 53, 0x2000);   // MF
  auto other = udp_frame(0x0a000001, 0x0a000002, 7777, 8888, 0x2000);  // same IPs, "ports" differ
  EXPECT_EQ(flow_hash(first.data(), first.size()), flow_hash(other.data(), other.size()));
}

TEST(FlowHash, TruncatedIpHeaderFallsBackToL2Fields) {
  auto f = udp_frame(0x0a000001, 0x0a000002, 1000, 53);
  // Until the frame holds the IPv4 total length, the IP layer is not trusted:
  // every such truncation hashes like the bare Ethernet header.
  const uint32_t l2_only = flow_hash(f.data(), 14);
  for (size_t len = 14; len < f.size(); ++len) {
    std::vector<uint8_t> exact(f.begin(), f.begin() + static_cast<long>(len));
    EXPECT_EQ(flow_hash(exact.data(), exact.size()), l2_only) << len;
  }
  EXPECT_NE(flow_hash(f.data(), f.size()), l2_only);
  for (size_t len = 0; len < 14; ++len) (void)flow_hash(f.data(), len);  // runts hash, never fail
}

TEST(FlowHash, SourcePortStaysInRfcRangeAndSpreads) {
  std::set<uint16_t> ports;
  for (uint16_t sport = 1; sport <= 2000; ++sport) {
    auto f = udp_frame(0x0a000001, 0x0a000002, sport, 80);
    const uint16_t p = tunnel_source_port(flow_hash(f.data(), f.size()));
    EXPECT_GE(p, 49152);
    ports.insert(p);
  }
  EXPECT_GT(ports.size(), 1800u);  // 2000 flows into 16384 ports: few collisions
}

}  // namespace
}  // namespace overcast::net

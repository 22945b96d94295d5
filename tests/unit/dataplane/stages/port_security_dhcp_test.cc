// PortSecurityStage and DhcpStage, through the pipeline over fake ports: what a VM that
// forges its addresses reaches (no one), and what a VM asking for an address gets back.
#include <cstring>

#include "dataplane/core/counters_json.h"
#include "dataplane/dhcp/dhcp_wire.h"
#include "dataplane/pipeline_fixture.h"
#include "dataplane_services/packet_builder.h"

namespace overcast::dataplane::testing {
namespace {

namespace pb = ::overcast::testing;
using port_security::AddressPrefix;
using port_security::PortSecurityConfig;
using port_security::SpoofFilter;

constexpr size_t kIpSrcOffset = 14 + 12;

std::shared_ptr<const SpoofFilter> filter_for(const MacAddress& m, uint32_t ip) {
  PortSecurityConfig config;
  config.mac = m;
  config.fixed_ips.push_back(AddressPrefix{4, conntrack::ipv4_bytes(ip), 32});
  return SpoofFilter::compile(config);
}

std::vector<uint8_t> with_source_ip(std::vector<uint8_t> frame, uint32_t ip) {
  frame[kIpSrcOffset] = static_cast<uint8_t>(ip >> 24);
  frame[kIpSrcOffset + 1] = static_cast<uint8_t>(ip >> 16);
  frame[kIpSrcOffset + 2] = static_cast<uint8_t>(ip >> 8);
  frame[kIpSrcOffset + 3] = static_cast<uint8_t>(ip);
  return frame;
}

// Ethernet + IPv4 + UDP around a BOOTP message from `chaddr` (`sport` -> `dport`).
std::vector<uint8_t> dhcp_frame(const MacAddress& chaddr, dhcp::MessageType type,
                                uint16_t sport = dhcp::kClientPort, uint16_t dport = dhcp::kServerPort) {
  std::vector<uint8_t> m(sizeof(dhcp::DhcpHeader), 0);
  m[0] = sport == dhcp::kClientPort ? 1 : 2;  // BOOTREQUEST from a client, BOOTREPLY from a server
  m[1] = 1;
  m[2] = 6;
  m[4] = 0x12; m[5] = 0x34; m[6] = 0x56; m[7] = 0x78;
  std::memcpy(m.data() + 28, chaddr.bytes.data(), 6);
  m[236] = 0x63; m[237] = 0x82; m[238] = 0x53; m[239] = 0x63;
  for (uint8_t b : {dhcp::option::kMessageType, uint8_t{1}, static_cast<uint8_t>(type), dhcp::option::kEnd}) {
    m.push_back(b);
  }
  auto udp = pb::udp_datagram(sport, dport, 0);
  // push_back rather than insert: GCC 12's array-bounds warning misfires on the latter.
  for (uint8_t b : m) udp.push_back(b);
  pb::put16(udp, 4, static_cast<uint16_t>(udp.size()));
  const auto ip = pb::ipv4_packet(0, 0xffffffff, 17, udp);
  std::vector<uint8_t> f(6, 0xff);
  for (uint8_t b : chaddr.bytes) f.push_back(b);
  f.push_back(0x08);
  f.push_back(0x00);
  for (uint8_t b : ip) f.push_back(b);
  return f;
}

dhcp::PortLease lease_of(uint32_t address, bool enabled = true) {
  dhcp::PortLease lease;
  lease.enabled = enabled;
  lease.lease.address = address;
  lease.lease.prefix_length = 24;
  lease.lease.router = 0x0a0000fe;
  lease.lease.mtu = 1400;
  lease.server = {0x0a0000fe, MacAddress{{0x02, 0x6f, 0x63, 0, 0, 1}}};
  return lease;
}

class PortSecurityStageTest : public PipelineTest {
 protected:
  PortSecurityStageTest() { table_->ports[0].spoof_filter = filter_for(mac(1), 0x0a000001); }
  nlohmann::json counters() const {
    nlohmann::json stages;
    pipeline_.add_counters(stages);
    return stages;
  }
};

TEST_F(PortSecurityStageTest, OwnAddressesPass) {
  from_port(0, udp_frame(mac(2), mac(1)));  // 10.0.0.1 -> 10.0.0.2, the port's own
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(total_drops(), 0u);
  EXPECT_EQ(counters()["port_security"]["passed"], 1u);
  expect_no_leak();
}

TEST_F(PortSecurityStageTest, ForgedSourceIpReachesNoOne) {
  from_port(0, with_source_ip(udp_frame(mac(2), mac(1)), 0x0a000063));
  from_port(0, with_source_ip(udp_frame(MacAddress::broadcast(), mac(1)), 0x0a000063));
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kSpoofed), 2u);
  EXPECT_EQ(counters()["port_security"]["spoofed_ip"], 2u);
  expect_no_leak();
}

TEST_F(PortSecurityStageTest, ForgedSourceMacAndArpReachNoOne) {
  from_port(0, udp_frame(mac(2), mac(0x33)));
  from_port(0, arp_request(mac(1), 0x0a000063, 0x0a000002));  // asks as someone else's address
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kSpoofed), 2u);
  EXPECT_EQ(counters()["port_security"]["spoofed_mac"], 1u);
  EXPECT_EQ(counters()["port_security"]["spoofed_arp"], 1u);
  expect_no_leak();
}

TEST_F(PortSecurityStageTest, VmActingAsDhcpServerIsDropped) {
  auto offer = with_source_ip(dhcp_frame(mac(1), dhcp::MessageType::kOffer, dhcp::kServerPort, dhcp::kClientPort),
                              0x0a000001);
  from_port(0, offer);
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kSpoofed), 1u);
  EXPECT_EQ(counters()["port_security"]["dhcp_server"], 1u);
  expect_no_leak();
}

TEST_F(PortSecurityStageTest, PortWithoutFilterIsNotFiltered) {
  from_port(1, with_source_ip(udp_frame(mac(1), mac(2)), 0x0a000063));  // port security off on slot 1
  EXPECT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(drops(DropReason::kSpoofed), 0u);
  EXPECT_EQ(counters()["port_security"]["unfiltered"], 1u);
  expect_no_leak();
}

TEST_F(PortSecurityStageTest, TruncatedHeaderBehindAFilterIsARunt) {
  auto frame = udp_frame(mac(2), mac(1));
  frame.resize(14 + 10);  // half an IPv4 header
  from_port(0, frame);
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kRunt), 1u);
  EXPECT_EQ(counters()["port_security"]["malformed"], 1u);
  expect_no_leak();
}

class DhcpStageTest : public PortSecurityStageTest {
 protected:
  DhcpStageTest() {
    table_->segments[100].dhcp_leases[mac(1).to_u64()] = lease_of(0x0a000001);
    table_->segments[100].dhcp_leases[mac(3).to_u64()] = lease_of(0x0a000003, /*enabled=*/false);
  }
};

TEST_F(DhcpStageTest, DiscoverIsAnsweredToTheAskingPortOnly) {
  from_port(0, dhcp_frame(mac(1), dhcp::MessageType::kDiscover));  // through port security: 0.0.0.0 is allowed
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent_count(), 0u);
  EXPECT_EQ(ports_[2]->sent_count(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  const auto reply = ports_[0]->sent()[0];
  ASSERT_GT(reply.size(), 42 + sizeof(dhcp::DhcpHeader));
  EXPECT_EQ(MacAddress::from_bytes(reply.data() + 6), (MacAddress{{0x02, 0x6f, 0x63, 0, 0, 1}}));
  const auto* header = reinterpret_cast<const dhcp::DhcpHeader*>(reply.data() + 42);
  EXPECT_EQ(header->yiaddr.host(), 0x0a000001u);
  EXPECT_EQ(total_drops(), 0u);
  EXPECT_EQ(counters()["dhcp"]["replied"], 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["replies"], 1u);
  expect_no_leak();
}

TEST_F(DhcpStageTest, UnknownMacInASegmentWithLeasesIsDroppedAndCounted) {
  from_port(1, dhcp_frame(mac(2), dhcp::MessageType::kDiscover));
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kDhcp), 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["unknown_mac"], 1u);
  expect_no_leak();
}

TEST_F(DhcpStageTest, SubnetWithDhcpOffLetsTheRequestOnToTheNetwork) {
  from_port(2, dhcp_frame(mac(3), dhcp::MessageType::kDiscover));
  EXPECT_EQ(ports_[0]->sent_count(), 1u);  // flooded like any broadcast
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(tunnel_.sent.size(), 3u);
  EXPECT_EQ(counters()["dhcp"]["passed"], 1u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(DhcpStageTest, OtherTrafficPassesUntouched) {
  from_port(0, udp_frame(mac(2), mac(1)));
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(counters()["dhcp"]["passed"], 1u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(DhcpStageTest, AdminDownPortIsNotAnsweredButDroppedByClassify) {
  table_->segments[100].dhcp_leases[mac(6).to_u64()] = lease_of(0x0a000006);
  from_port(5, dhcp_frame(mac(6), dhcp::MessageType::kDiscover));
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kPortDown), 1u);
  expect_no_leak();
}

// Port 1 (MAC 2) has no port security: nothing checks the source MAC of its frames, so
// the DHCP stage answers it with its own lease only, and only in its own name.
class DhcpWithoutPortSecurityTest : public DhcpStageTest {
 protected:
  DhcpWithoutPortSecurityTest() { table_->segments[100].dhcp_leases[mac(2).to_u64()] = lease_of(0x0a000002); }

  static std::vector<uint8_t> from_mac(std::vector<uint8_t> frame, const MacAddress& source) {
    std::memcpy(frame.data() + 6, source.bytes.data(), 6);
    return frame;
  }
  uint32_t offered_address(size_t port) {
    const auto reply = ports_[port]->sent().back();
    EXPECT_GT(reply.size(), 42 + sizeof(dhcp::DhcpHeader));
    return reinterpret_cast<const dhcp::DhcpHeader*>(reply.data() + 42)->yiaddr.host();
  }
};

TEST_F(DhcpWithoutPortSecurityTest, AnotherPortsMacGetsNothing) {
  ASSERT_EQ(table_->ports[1].spoof_filter, nullptr);
  from_port(1, dhcp_frame(mac(1), dhcp::MessageType::kDiscover));  // port 0's MAC and name
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(drops(DropReason::kDhcp), 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["not_port_mac"], 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["replies"], 0u);
  expect_no_leak();
}

TEST_F(DhcpWithoutPortSecurityTest, OwnMacInAnotherPortsNameGetsNothing) {
  from_port(1, from_mac(dhcp_frame(mac(1), dhcp::MessageType::kDiscover), mac(2)));  // chaddr: port 0's
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(counters()["dhcp_responder"]["not_port_mac"], 1u);
  expect_no_leak();
}

TEST_F(DhcpWithoutPortSecurityTest, UnknownMacIsStillIgnored) {
  from_port(1, dhcp_frame(mac(0x33), dhcp::MessageType::kDiscover));
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(drops(DropReason::kDhcp), 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["not_port_mac"], 1u);
  EXPECT_EQ(counters()["dhcp_responder"]["replies"], 0u);
  expect_no_leak();
}

TEST_F(DhcpWithoutPortSecurityTest, OwnRequestGetsOwnLease) {
  from_port(1, dhcp_frame(mac(2), dhcp::MessageType::kDiscover));
  ASSERT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent_count() + ports_[2]->sent_count(), 0u);
  EXPECT_EQ(offered_address(1), 0x0a000002u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

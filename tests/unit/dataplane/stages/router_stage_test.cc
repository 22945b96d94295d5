// RouterStage through the pipeline: routed frames (local and by VXLAN with the egress
// network's VNI), echo replies from the router's addresses, ICMP errors, counted drops
// for malformed frames, and that a router is reached only from its own segments.
#include <cstring>

#include "dataplane/pipeline_fixture.h"
#include "net/ipv4.h"

namespace overcast::dataplane::testing {
namespace {

// The fixture's VNI 100 (10.0.0.0/24: ports :01 :02 :03, remote :0a at 10.0.0.10 behind
// kVtep1) and VNI 200 (port :04 at 10.2.0.4) joined by router R: 10.0.0.254 (:f0) and
// 10.2.0.1 (:f1), with 172.16.0.0/16 via 10.0.0.10.
const MacAddress kRouterA = mac(0xf0);
const MacAddress kRouterB = mac(0xf1);
constexpr uint32_t kGatewayA = 0x0a0000fe;  // 10.0.0.254
constexpr uint32_t kGatewayB = 0x0a020001;  // 10.2.0.1
constexpr uint32_t kPort0 = 0x0a000001;     // 10.0.0.1 (slot 0)
constexpr uint32_t kPort3 = 0x0a020004;     // 10.2.0.4 (slot 3)
constexpr uint32_t kRemote = 0x0a00000a;    // 10.0.0.10 (:0a behind kVtep1)

class RouterStageTest : public PipelineTest {
 protected:
  RouterStageTest() {
    auto router = std::make_shared<route::RouterInstance>();
    router->router_id = "R";
    router->interfaces = {{"ra", 100, kRouterA, kGatewayA, 24}, {"rb", 200, kRouterB, kGatewayB, 24}};
    router->routes.insert(0x0a000000, 24, {0, true, 0});
    router->routes.insert(0x0a020000, 24, {1, true, 0});
    router->routes.insert(0xac100000, 16, {0, false, kRemote});
    Segment& a = table_->segments[100];
    Segment& b = table_->segments[200];
    a.router_ports[kRouterA] = {router, 0};
    b.router_ports[kRouterB] = {router, 1};
    a.arp[kGatewayA] = kRouterA;
    b.arp[kGatewayB] = kRouterB;
    b.arp[kPort3] = mac(4);
  }
  uint64_t router_counter(size_t index) { return counter_of(index); }
  // R gains an external gateway (as router_builder makes it: a default route to it),
  // served by the host at `gateway_vtep` (0: none alive), or by this one.
  void add_external_gateway(uint32_t gateway_vtep, bool served_here) {
    auto router = std::make_shared<route::RouterInstance>(*table_->segments[100].router_ports[kRouterA].router);
    route::ExternalGateway external;
    external.network_id = "P";
    external.address = 0xcb00710a;  // 203.0.113.10
    external.prefix_length = 24;
    external.mac = mac(0xee);
    external.next_hop = 0xcb007101;
    external.gateway_vtep = gateway_vtep;
    external.served_here = served_here;
    router->external = external;
    route::RouteTarget to_external;
    to_external.external = true;
    router->routes.insert(0, 0, to_external);
    table_->segments[100].router_ports[kRouterA] = {router, 0};
    table_->segments[200].router_ports[kRouterB] = {router, 1};
  }
  uint64_t counter_of(size_t index) {
    nlohmann::json stages = nlohmann::json::object();
    pipeline_.add_counters(stages);
    static const char* names[] = {"in", "passed", "routed", "echo_replies", "icmp_errors", "dropped", "to_gateway"};
    return stages["router"][names[index]].get<uint64_t>();
  }
};

// Ethernet + IPv4 (valid header checksum) + `l4` bytes.
std::vector<uint8_t> ip_frame(const MacAddress& dst, const MacAddress& src, uint32_t from, uint32_t to,
                              uint8_t protocol, std::vector<uint8_t> l4, uint8_t ttl = 64) {
  std::vector<uint8_t> f;
  put_mac(f, dst);
  put_mac(f, src);
  put16(f, 0x0800);
  f.insert(f.end(), {0x45, 0x00});
  put16(f, static_cast<uint16_t>(20 + l4.size()));
  f.insert(f.end(), {0x12, 0x34, 0x40, 0x00, ttl, protocol, 0, 0});
  put32(f, from);
  put32(f, to);
  net::set_ipv4_checksum(reinterpret_cast<net::Ipv4Header*>(f.data() + 14));
  f.insert(f.end(), l4.begin(), l4.end());
  return f;
}

std::vector<uint8_t> echo_request(const MacAddress& dst, const MacAddress& src, uint32_t from, uint32_t to,
                                  uint8_t ttl = 64) {
  std::vector<uint8_t> icmp = {8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'p', 'i', 'n', 'g'};
  const uint16_t sum = net::internet_checksum(icmp.data(), icmp.size());
  icmp[2] = static_cast<uint8_t>(sum >> 8);
  icmp[3] = static_cast<uint8_t>(sum);
  return ip_frame(dst, src, from, to, net::ip_proto::kIcmp, icmp, ttl);
}

std::vector<uint8_t> udp_to(const MacAddress& dst, const MacAddress& src, uint32_t from, uint32_t to, uint8_t ttl = 64) {
  return ip_frame(dst, src, from, to, net::ip_proto::kUdp, {0x30, 0x39, 0x00, 0x50, 0x00, 0x0c, 0, 0, 'a', 'b', 'c', 'd'},
                  ttl);
}

uint32_t load32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }
MacAddress dst_of(const std::vector<uint8_t>& f) { return MacAddress::from_bytes(f.data()); }
MacAddress src_of(const std::vector<uint8_t>& f) { return MacAddress::from_bytes(f.data() + 6); }
bool ip_checksum_ok(const std::vector<uint8_t>& f) {
  return net::ipv4_checksum_ok(reinterpret_cast<const net::Ipv4Header*>(f.data() + 14));
}

TEST_F(RouterStageTest, RoutesToALocalPortOfTheOtherNetwork) {
  const auto sent = udp_to(kRouterA, mac(1), kPort0, kPort3);
  from_port(0, sent);
  ASSERT_EQ(ports_[3]->sent_count(), 1u);
  const auto got = ports_[3]->sent()[0];
  EXPECT_EQ(dst_of(got), mac(4));
  EXPECT_EQ(src_of(got), kRouterB);
  EXPECT_EQ(got[14 + 8], 63);  // TTL
  EXPECT_TRUE(ip_checksum_ok(got));
  // Everything past the TTL and checksum is as sent.
  EXPECT_TRUE(std::equal(got.begin() + 14 + 12, got.end(), sent.begin() + 14 + 12));
  EXPECT_EQ(sent_total(), 1u);
  EXPECT_EQ(router_counter(RouterStage::kRouted), 1u);
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(RouterStageTest, RoutesToARemotePortInVxlanWithTheEgressVni) {
  from_port(3, udp_to(kRouterB, mac(4), kPort3, kRemote));
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  const auto& d = tunnel_.sent[0];
  EXPECT_EQ(d.remote_vtep, kVtep1);
  const uint32_t vni = uint32_t{d.bytes[4]} << 16 | uint32_t{d.bytes[5]} << 8 | d.bytes[6];
  EXPECT_EQ(vni, 100u);
  const std::vector<uint8_t> inner(d.bytes.begin() + 8, d.bytes.end());
  EXPECT_EQ(dst_of(inner), mac(0x0a));
  EXPECT_EQ(src_of(inner), kRouterA);
  EXPECT_EQ(inner[14 + 8], 63);
  EXPECT_TRUE(ip_checksum_ok(inner));
  expect_no_leak();
}

TEST_F(RouterStageTest, StaticRouteGoesToItsNextHop) {
  from_port(3, udp_to(kRouterB, mac(4), kPort3, 0xac100305));  // 172.16.3.5
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  const std::vector<uint8_t> inner(tunnel_.sent[0].bytes.begin() + 8, tunnel_.sent[0].bytes.end());
  EXPECT_EQ(dst_of(inner), mac(0x0a));
  EXPECT_EQ(load32(inner.data() + 14 + 16), 0xac100305u);  // the destination is untouched
  expect_no_leak();
}

TEST_F(RouterStageTest, AnswersEchoToEachOfItsAddresses) {
  for (uint32_t address : {kGatewayA, kGatewayB}) {
    ports_[0]->clear_sent();
    from_port(0, echo_request(kRouterA, mac(1), kPort0, address));
    ASSERT_EQ(ports_[0]->sent_count(), 1u);
    const auto reply = ports_[0]->sent()[0];
    EXPECT_EQ(dst_of(reply), mac(1));
    EXPECT_EQ(src_of(reply), kRouterA);
    EXPECT_EQ(load32(reply.data() + 14 + 12), address);
    EXPECT_EQ(load32(reply.data() + 14 + 16), kPort0);
    EXPECT_EQ(reply[14 + 20], 0);  // echo reply
    EXPECT_TRUE(ip_checksum_ok(reply));
    EXPECT_EQ(net::internet_checksum(reply.data() + 34, reply.size() - 34), 0);
  }
  EXPECT_EQ(router_counter(RouterStage::kEchoReplies), 2u);
  EXPECT_EQ(ports_[3]->sent_count(), 0u);
  expect_no_leak();
}

TEST_F(RouterStageTest, TtlExpiryIsAnsweredWithTimeExceeded) {
  const auto sent = udp_to(kRouterA, mac(1), kPort0, kPort3, 1);
  from_port(0, sent);
  EXPECT_EQ(ports_[3]->sent_count(), 0u);
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  const auto error = ports_[0]->sent()[0];
  EXPECT_EQ(dst_of(error), mac(1));
  EXPECT_EQ(src_of(error), kRouterA);
  EXPECT_EQ(load32(error.data() + 14 + 12), kGatewayA);  // from the interface it came in by
  EXPECT_EQ(load32(error.data() + 14 + 16), kPort0);
  EXPECT_EQ(error[34], 11);  // time exceeded
  EXPECT_EQ(error[35], 0);
  EXPECT_TRUE(ip_checksum_ok(error));
  EXPECT_EQ(net::internet_checksum(error.data() + 34, error.size() - 34), 0);
  // It quotes the original IP packet.
  EXPECT_TRUE(std::equal(sent.begin() + 14, sent.end(), error.begin() + 42));
  EXPECT_EQ(drops(DropReason::kTtlExpired), 1u);
  EXPECT_EQ(router_counter(RouterStage::kIcmpErrors), 1u);
  expect_no_leak();
}

TEST_F(RouterStageTest, NoRouteAndUnknownNeighbourAreUnreachable) {
  from_port(0, udp_to(kRouterA, mac(1), kPort0, 0x08080808));
  from_port(0, udp_to(kRouterA, mac(1), kPort0, 0x0a020063));  // 10.2.0.99: nobody
  ASSERT_EQ(ports_[0]->sent_count(), 2u);
  EXPECT_EQ(ports_[0]->sent()[0][34], 3);
  EXPECT_EQ(ports_[0]->sent()[0][35], 0);  // net unreachable
  EXPECT_EQ(ports_[0]->sent()[1][34], 3);
  EXPECT_EQ(ports_[0]->sent()[1][35], 1);  // host unreachable
  EXPECT_EQ(drops(DropReason::kNoRoute), 1u);
  EXPECT_EQ(drops(DropReason::kNoNeighbor), 1u);
  EXPECT_TRUE(tunnel_.sent.empty());
  expect_no_leak();
}

TEST_F(RouterStageTest, NoIcmpErrorAboutAnIcmpError) {
  std::vector<uint8_t> unreachable = {3, 1, 0, 0, 0, 0, 0, 0};
  from_port(0, ip_frame(kRouterA, mac(1), kPort0, 0x08080808, net::ip_proto::kIcmp, unreachable));
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(drops(DropReason::kNoRoute), 1u);
  expect_no_leak();
}

TEST_F(RouterStageTest, MalformedFramesToTheRouterAreCountedDrops) {
  const auto good = udp_to(kRouterA, mac(1), kPort0, kPort3);
  std::vector<std::vector<uint8_t>> bad;
  for (size_t len = 14; len < 34; ++len) bad.emplace_back(good.begin(), good.begin() + static_cast<long>(len));
  auto bad_sum = good;
  bad_sum[14 + 10] ^= 0xff;
  bad.push_back(bad_sum);
  auto long_total = good;
  long_total[14 + 3] = 0xff;  // total length past the frame
  bad.push_back(long_total);
  auto v6 = good;
  v6[12] = 0x86;
  v6[13] = 0xdd;
  bad.push_back(v6);
  auto tagged = good;
  tagged.insert(tagged.begin() + 12, {0x81, 0x00, 0x00, 0x05});
  bad.push_back(tagged);
  bad.push_back(udp_to(kRouterA, mac(1), kPort0, kGatewayA));  // to the router, not an echo
  from_port(0, bad);
  EXPECT_EQ(drops(DropReason::kNotRoutable), bad.size());
  EXPECT_EQ(sent_total(), 0u);
  EXPECT_EQ(router_counter(RouterStage::kDropped), bad.size());
  expect_no_leak();
}

TEST_F(RouterStageTest, ARouterMacOfAnotherSegmentIsNotARouterHere) {
  // Port 3 (VNI 200) sends to the router's MAC on VNI 100: not routed, only L2 in 200.
  from_port(3, udp_to(kRouterA, mac(4), kPort3, kPort0));
  EXPECT_EQ(router_counter(RouterStage::kRouted), 0u);
  EXPECT_EQ(router_counter(RouterStage::kPassed), 1u);
  EXPECT_EQ(ports_[0]->sent_count(), 0u);
  EXPECT_TRUE(tunnel_.sent.empty());
  expect_no_leak();
}

TEST_F(RouterStageTest, OtherFramesPassUntouched) {
  from_port(0, udp_frame(mac(2), mac(1)));
  EXPECT_EQ(ports_[1]->sent_count(), 1u);
  EXPECT_EQ(ports_[1]->sent()[0], udp_frame(mac(2), mac(1)));
  EXPECT_EQ(router_counter(RouterStage::kPassed), 1u);
  expect_no_leak();
}

TEST_F(RouterStageTest, OffRouterTrafficGoesUnchangedToTheGatewayHost) {
  add_external_gateway(kVtep2, false);
  const auto sent = udp_to(kRouterA, mac(1), kPort0, 0x08080808);
  from_port(0, sent);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  const auto& d = tunnel_.sent[0];
  EXPECT_EQ(d.remote_vtep, kVtep2);
  const uint32_t vni = uint32_t{d.bytes[4]} << 16 | uint32_t{d.bytes[5]} << 8 | d.bytes[6];
  EXPECT_EQ(vni, 100u);  // the ingress network's: the gateway host routes it
  const std::vector<uint8_t> inner(d.bytes.begin() + 8, d.bytes.end());
  EXPECT_EQ(inner, sent);  // still to the router's MAC, TTL untouched
  EXPECT_EQ(router_counter(RouterStage::kToGateway), 1u);
  EXPECT_EQ(router_counter(RouterStage::kRouted), 0u);
  EXPECT_EQ(ports_[0]->sent_count(), 0u);  // no ICMP error
  EXPECT_EQ(total_drops(), 0u);
  expect_no_leak();
}

TEST_F(RouterStageTest, ConnectedAndStaticRoutesStillWinOverTheGateway) {
  add_external_gateway(kVtep2, false);
  from_port(0, udp_to(kRouterA, mac(1), kPort0, kPort3));      // connected
  from_port(3, udp_to(kRouterB, mac(4), kPort3, 0xac100305));  // 172.16.0.0/16 via 10.0.0.10
  EXPECT_EQ(ports_[3]->sent_count(), 1u);
  ASSERT_EQ(tunnel_.sent.size(), 1u);
  EXPECT_EQ(tunnel_.sent[0].remote_vtep, kVtep1);
  EXPECT_EQ(router_counter(RouterStage::kRouted), 2u);
  EXPECT_EQ(router_counter(RouterStage::kToGateway), 0u);
  expect_no_leak();
}

TEST_F(RouterStageTest, NoGatewayHostAliveIsNetUnreachable) {
  add_external_gateway(0, false);
  from_port(0, udp_to(kRouterA, mac(1), kPort0, 0x08080808));
  EXPECT_TRUE(tunnel_.sent.empty());
  ASSERT_EQ(ports_[0]->sent_count(), 1u);
  EXPECT_EQ(ports_[0]->sent()[0][34], 3);
  EXPECT_EQ(ports_[0]->sent()[0][35], 0);
  EXPECT_EQ(drops(DropReason::kNoRoute), 1u);
  EXPECT_EQ(router_counter(RouterStage::kToGateway), 0u);
  expect_no_leak();
}

// On the gateway host itself the frame must not loop back to it by VXLAN; its NAT path
// (RouterNat, uplink) is not wired yet, so it is a counted no_route drop.
TEST_F(RouterStageTest, OnTheGatewayHostNothingIsTunnelledToItself) {
  add_external_gateway(kVtep2, true);
  from_port(0, udp_to(kRouterA, mac(1), kPort0, 0x08080808));
  EXPECT_TRUE(tunnel_.sent.empty());
  EXPECT_EQ(drops(DropReason::kNoRoute), 1u);
  EXPECT_EQ(router_counter(RouterStage::kToGateway), 0u);
  expect_no_leak();
}

}  // namespace
}  // namespace overcast::dataplane::testing

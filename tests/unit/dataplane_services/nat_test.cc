#include <gtest/gtest.h>

#include <random>
#include <set>

#include "dataplane/nat/checksum_update.h"
#include "dataplane/nat/nat_rewrite.h"
#include "dataplane/nat/snat_port_allocator.h"
#include "packet_builder.h"

namespace overcast::dataplane::nat {
namespace {

using namespace overcast::testing;

constexpr uint32_t kExt = 0xcb007105;  // 203.0.113.5

TEST(SnatPortAllocator, NoCollisionsUntilExhaustedThenCountsAndRecovers) {
  SnatPortAllocator a(1000, 1099);
  std::set<uint16_t> seen;
  for (int i = 0; i < 100; ++i) {
    auto p = a.allocate(kExt, 6);
    ASSERT_TRUE(p);
    EXPECT_GE(*p, 1000);
    EXPECT_LE(*p, 1099);
    EXPECT_TRUE(seen.insert(*p).second) << "port " << *p << " handed out twice";
  }
  EXPECT_FALSE(a.allocate(kExt, 6));
  EXPECT_EQ(a.counters().value(SnatPortAllocator::kExhausted), 1u);
  // Other protocols and other external addresses have their own ports.
  EXPECT_TRUE(a.allocate(kExt, 17));
  EXPECT_TRUE(a.allocate(kExt + 1, 6));
  EXPECT_TRUE(a.release(kExt, 6, 1042));
  EXPECT_EQ(a.allocate(kExt, 6), 1042);
  EXPECT_FALSE(a.release(kExt, 6, 999));
  EXPECT_FALSE(a.release(kExt, 1, 1000));
  EXPECT_TRUE(a.release(kExt, 6, 1000));
  EXPECT_FALSE(a.release(kExt, 6, 1000)) << "double release";
  EXPECT_EQ(a.counters().value(SnatPortAllocator::kBadRelease), 3u);
}

TEST(SnatPortAllocator, ReleasedPortIsNotReusedAtOnce) {
  SnatPortAllocator a(1000, 1999);
  const auto first = a.allocate(kExt, 17);
  a.release(kExt, 17, *first);
  EXPECT_NE(a.allocate(kExt, 17), first);
}

TEST(SnatPortAllocator, RandomChurnNeverDuplicatesALivePort) {
  SnatPortAllocator a(2000, 2300);  // not a multiple of 64: the last word is partial
  std::set<uint16_t> live;
  std::mt19937 rng(7);
  for (int i = 0; i < 100000; ++i) {
    if (!live.empty() && rng() % 3 == 0) {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      ASSERT_TRUE(a.release(kExt, 6, *it));
      live.erase(it);
    } else {
      auto p = a.allocate(kExt, 6);
      if (live.size() == a.pool_size()) {
        ASSERT_FALSE(p);
        continue;
      }
      ASSERT_TRUE(p) << "free ports remain: " << a.pool_size() - live.size();
      ASSERT_TRUE(live.insert(*p).second);
    }
    ASSERT_EQ(a.in_use(kExt, 6), live.size());
  }
}

TEST(ChecksumUpdate, MatchesFullRecomputation) {
  std::vector<uint8_t> data = {0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01,
                               0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x08, 0x08, 0x08, 0x08};
  put16(data, 10, net::internet_checksum(data.data(), 20));
  const uint16_t before = get16(data, 10);
  put32(data, 12, kExt);
  put16(data, 10, 0);
  const uint16_t full = net::internet_checksum(data.data(), 20);
  EXPECT_EQ(checksum_update32(before, 0x0a000001, kExt), full);
}

// A rewritten packet must equal, byte for byte, the packet built from scratch with the
// new addresses (whose checksums the builder computes in full).
TEST(NatRewrite, SnatAndDnatEqualPacketsBuiltFromScratch) {
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    const uint32_t src = rng(), dst = rng(), to = rng();
    const uint16_t sport = static_cast<uint16_t>(rng()), dport = static_cast<uint16_t>(rng());
    const uint16_t new_port = static_cast<uint16_t>(rng());
    const int kind = i % 3;
    const uint8_t proto = kind == 0 ? 6 : kind == 1 ? 17 : 1;
    auto l4 = [&](uint16_t s, uint16_t d) {
      return kind == 0 ? tcp_segment(s, d, 0x18, rng() % 40) : kind == 1 ? udp_datagram(s, d, 1 + rng() % 40)
                                                                         : icmp_echo(8, s);
    };
    auto original_l4 = l4(sport, dport);
    const bool source = rng() % 2;
    auto packet = ipv4_packet(src, dst, proto, original_l4);
    auto expected_l4 = original_l4;
    if (kind == 2) put16(expected_l4, 4, new_port);
    else put16(expected_l4, source ? 0 : 2, new_port);
    auto expected = source ? ipv4_packet(to, dst, proto, expected_l4) : ipv4_packet(src, to, proto, expected_l4);
    if (kind == 2 && !source) {
      // Echo ids belong to the requester's side only; a destination rewrite keeps it.
      expected = ipv4_packet(src, to, proto, original_l4);
    }
    const auto result = rewrite_ipv4(packet.data(), packet.size(), source ? Endpoint::kSource : Endpoint::kDestination,
                                     to, kind == 2 && !source ? std::nullopt : std::optional<uint16_t>(new_port));
    ASSERT_EQ(result, RewriteResult::kOk);
    ASSERT_EQ(packet, expected) << "case " << i << " proto " << int(proto);
  }
}

// A floating IP is 1:1: addresses change, ports never do.
TEST(NatRewrite, FloatingIpBothWaysAndTheVmsOwnIcmpErrors) {
  constexpr uint32_t kFip = 0xcb00710a, kFixed = 0x0a000005, kOutside = 0xcb007101;
  auto in = ipv4_packet(kOutside, kFip, 6, tcp_segment(5555, 80, 0x02));
  ASSERT_EQ(rewrite_ipv4(in.data(), in.size(), Endpoint::kDestination, kFixed, std::nullopt), RewriteResult::kOk);
  EXPECT_EQ(in, ipv4_packet(kOutside, kFixed, 6, tcp_segment(5555, 80, 0x02)));
  auto reply = ipv4_packet(kFixed, kOutside, 6, tcp_segment(80, 5555, 0x12));
  ASSERT_EQ(rewrite_ipv4(reply.data(), reply.size(), Endpoint::kSource, kFip, std::nullopt), RewriteResult::kOk);
  EXPECT_EQ(reply, ipv4_packet(kFip, kOutside, 6, tcp_segment(80, 5555, 0x12)));
  // The VM refuses a UDP datagram that reached it through the floating IP: its port
  // unreachable leaves from the floating IP, quoting the datagram as the outside sent it.
  const auto inside_view = ipv4_packet(kOutside, kFixed, 17, udp_datagram(4000, 9));
  const auto outside_view = ipv4_packet(kOutside, kFip, 17, udp_datagram(4000, 9));
  auto error = ipv4_packet(kFixed, kOutside, 1, icmp_error(3, 3, inside_view, 1000));
  ASSERT_EQ(rewrite_icmp_error(error.data(), error.size(), Endpoint::kSource, kFip, Endpoint::kDestination, kFip,
                               std::nullopt),
            RewriteResult::kOk);
  EXPECT_EQ(error, ipv4_packet(kFip, kOutside, 1, icmp_error(3, 3, outside_view, 1000)));
}

TEST(NatRewrite, UdpWithoutChecksumStaysWithout) {
  auto packet = ipv4_packet(0x0a000001, 0x08080808, 17, udp_datagram(1000, 53));
  put16(packet, 26, 0);
  ASSERT_EQ(rewrite_ipv4(packet.data(), packet.size(), Endpoint::kSource, kExt, 40000), RewriteResult::kOk);
  EXPECT_EQ(get16(packet, 26), 0);
  EXPECT_EQ(get16(packet, 20), 40000);
  EXPECT_TRUE(net::ipv4_checksum_ok(net::header_at<net::Ipv4Header>(packet.data())));
}

// SNAT'd 10.0.0.1:1000 -> 8.8.8.8:53 left as 203.0.113.5:40000. A port unreachable for
// it comes back to 203.0.113.5 quoting the translated datagram; un-translating it must
// give exactly the error the VM would have got without NAT.
TEST(NatRewrite, IcmpErrorQuotedHeadersAreTranslatedBack) {
  for (uint8_t proto : {uint8_t{17}, uint8_t{1}, uint8_t{6}}) {
    auto l4 = [&](uint16_t port) {
      return proto == 17 ? udp_datagram(port, 53) : proto == 6 ? tcp_segment(port, 53, 0x02) : icmp_echo(8, port);
    };
    const auto translated = ipv4_packet(kExt, 0x08080808, proto, l4(40000));
    const auto original = ipv4_packet(0x0a000001, 0x08080808, proto, l4(1000));
    const size_t quote = proto == 6 ? 28 : translated.size();  // a TCP quote stops before its checksum
    auto error = ipv4_packet(0x08080808, kExt, 1, icmp_error(3, 3, translated, quote));
    const auto expected = ipv4_packet(0x08080808, 0x0a000001, 1, icmp_error(3, 3, original, quote));
    ASSERT_EQ(rewrite_icmp_error(error.data(), error.size(), Endpoint::kDestination, 0x0a000001, Endpoint::kSource,
                                 0x0a000001, 1000),
              RewriteResult::kOk);
    EXPECT_EQ(error, expected) << "quoted protocol " << int(proto);
  }
}

TEST(NatRewrite, MalformedPacketsAreRefusedUntouched) {
  auto good = ipv4_packet(0x0a000001, 0x08080808, 6, tcp_segment(1, 2, 0x02));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    auto copy = good;
    EXPECT_NE(rewrite_ipv4(copy.data(), cut, Endpoint::kSource, kExt, 5), RewriteResult::kOk) << cut;
    EXPECT_EQ(copy, good) << cut;
  }
  // A TCP header cut short (IP lengths consistent) is refused even for an address-only
  // rewrite: its checksum would go stale.
  auto short_tcp = ipv4_packet(0x0a000001, 0x08080808, 6, std::vector<uint8_t>(12, 0));
  const auto short_copy = short_tcp;
  EXPECT_EQ(rewrite_ipv4(short_tcp.data(), short_tcp.size(), Endpoint::kSource, kExt, std::nullopt),
            RewriteResult::kTruncated);
  EXPECT_EQ(short_tcp, short_copy);
  auto frag = good;
  frag[7] = 0x10;  // fragment offset
  EXPECT_EQ(rewrite_ipv4(frag.data(), frag.size(), Endpoint::kSource, kExt, 5), RewriteResult::kFragment);
  EXPECT_EQ(rewrite_icmp_error(good.data(), good.size(), Endpoint::kSource, 1, Endpoint::kSource, 1, 1),
            RewriteResult::kNotIcmpError);
  auto echo = ipv4_packet(1, 2, 1, icmp_echo(8, 1));
  EXPECT_EQ(rewrite_icmp_error(echo.data(), echo.size(), Endpoint::kSource, 1, Endpoint::kSource, 1, 1),
            RewriteResult::kNotIcmpError);
}

}  // namespace
}  // namespace overcast::dataplane::nat

#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/nat/snat_translator.h"

namespace overcast::dataplane::nat {
namespace {

using conntrack::CtState;

conntrack::CtPacket parsed(const std::vector<uint8_t>& pkt) {
  conntrack::CtPacket p;
  EXPECT_EQ(conntrack::parse_ct_packet(pkt.data(), pkt.size(), 0x0800, 9, p), conntrack::ParseResult::kOk);
  return p;
}

constexpr uint32_t kVm = 0x0a000005, kServer = 0x08080808;

class SnatFlow : public ::testing::Test {
 protected:
  // One outbound packet through tracker + translator; returns it as it leaves.
  std::vector<uint8_t> out(std::vector<uint8_t> pkt, uint64_t now = 0) {
    const auto p = parsed(pkt);
    auto r = ct.process(p, now);
    if (r.state == CtState::kNew && r.conn == conntrack::kNoConn) r = snat.commit(p, kExt, now);
    EXPECT_NE(r.conn, conntrack::kNoConn);
    EXPECT_EQ(snat.translate(pkt.data(), pkt.size(), p, r), RewriteResult::kOk);
    return pkt;
  }
  std::vector<uint8_t> back(std::vector<uint8_t> pkt, CtState expected, uint64_t now = 1) {
    const auto p = parsed(pkt);
    const auto r = ct.process(p, now);
    EXPECT_EQ(r.state, expected);
    EXPECT_TRUE(r.is_reply);
    EXPECT_EQ(snat.translate(pkt.data(), pkt.size(), p, r), RewriteResult::kOk);
    return pkt;
  }
  conntrack::ConnTracker ct{{}};
  SnatPortAllocator ports{40000, 40003};
  SnatTranslator snat{ct, ports};
};

TEST_F(SnatFlow, UdpOutAndBackThenThePortIsReleasedOnExpiry) {
  const auto sent = out(ipv4_packet(kVm, kServer, 17, udp_datagram(1000, 53)));
  const uint16_t port = get16(sent, 20);
  EXPECT_EQ(sent, ipv4_packet(kExt, kServer, 17, udp_datagram(port, 53)));
  const auto reply = back(ipv4_packet(kServer, kExt, 17, udp_datagram(53, port)), CtState::kEstablished);
  EXPECT_EQ(reply, ipv4_packet(kServer, kVm, 17, udp_datagram(53, 1000)));
  // A port unreachable about the translated datagram reaches the VM about its own.
  const auto error = back(ipv4_packet(kServer, kExt, 1, icmp_error(3, 3, sent, 1000)), CtState::kRelated);
  EXPECT_EQ(error, ipv4_packet(kServer, kVm, 1, icmp_error(3, 3, ipv4_packet(kVm, kServer, 17, udp_datagram(1000, 53)),
                                                           1000)));
  EXPECT_EQ(ports.in_use(kExt, 17), 1u);
  ct.expire(10'000'000, 100);
  EXPECT_EQ(ports.in_use(kExt, 17), 0u) << "the port comes back when the connection ends";
}

TEST_F(SnatFlow, TwoVmsSameSourcePortGetDifferentPortsAndEchoIdsTranslate) {
  const auto a = out(ipv4_packet(kVm, kServer, 6, tcp_segment(5555, 80, 0x02)));
  const auto b = out(ipv4_packet(kVm + 1, kServer, 6, tcp_segment(5555, 80, 0x02)));
  EXPECT_NE(get16(a, 20), get16(b, 20));
  const auto ping = out(ipv4_packet(kVm, kServer, 1, icmp_echo(8, 0x0101)));
  const uint16_t id = get16(ping, 24);
  EXPECT_EQ(ping, ipv4_packet(kExt, kServer, 1, icmp_echo(8, id)));
  EXPECT_EQ(back(ipv4_packet(kServer, kExt, 1, icmp_echo(0, id)), CtState::kEstablished),
            ipv4_packet(kServer, kVm, 1, icmp_echo(0, 0x0101)));
}

TEST_F(SnatFlow, ExhaustedPortsRefuseNewConnectionsOnly) {
  for (uint16_t i = 0; i < 4; ++i) out(ipv4_packet(kVm, kServer, 17, udp_datagram(2000 + i, 53)));
  const auto p = parsed(ipv4_packet(kVm, kServer, 17, udp_datagram(3000, 53)));
  EXPECT_EQ(snat.commit(p, kExt, 0).conn, conntrack::kNoConn);
  EXPECT_EQ(snat.counters().value(SnatTranslator::kExhausted), 1u);
  EXPECT_EQ(ct.size(), 4u);
  EXPECT_EQ(ct.process(parsed(ipv4_packet(kVm, kServer, 17, udp_datagram(2001, 53))), 1).conn != conntrack::kNoConn,
            true) << "existing connections keep their ports";
}

}  // namespace
}  // namespace overcast::dataplane::nat

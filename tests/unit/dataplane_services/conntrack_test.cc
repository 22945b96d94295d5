#include <gtest/gtest.h>

#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/conntrack/conn_tracker.h"
#include "packet_builder.h"

namespace overcast::dataplane::conntrack {
namespace {

using namespace overcast::testing;
using namespace tcp_flag;

constexpr uint32_t kA = 0x0a000001;  // 10.0.0.1
constexpr uint32_t kB = 0x0a000002;  // 10.0.0.2

CtPacket parsed(const std::vector<uint8_t>& pkt, Zone zone = 1, uint16_t ethertype = 0x0800) {
  CtPacket p;
  EXPECT_EQ(parse_ct_packet(pkt.data(), pkt.size(), ethertype, zone, p), ParseResult::kOk);
  return p;
}
CtPacket tcp(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp, uint8_t flags, Zone zone = 1) {
  return parsed(ipv4_packet(s, d, 6, tcp_segment(sp, dp, flags)), zone);
}
CtPacket udp(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp, Zone zone = 1) {
  return parsed(ipv4_packet(s, d, 17, udp_datagram(sp, dp)), zone);
}

ConnTracker::Config small(uint32_t capacity = 64, uint32_t zone_limit = 0) {
  ConnTracker::Config c;
  c.capacity = capacity;
  c.zone_limit = zone_limit;
  return c;
}

class TcpHandshake : public ::testing::Test {
 protected:
  // Opens A:1000 -> B:80 through the full handshake.
  ConnId open() {
    auto r = ct.process(tcp(kA, kB, 1000, 80, kSyn), now);
    EXPECT_EQ(r.state, CtState::kNew);
    r = ct.commit(tcp(kA, kB, 1000, 80, kSyn), now);
    EXPECT_NE(r.conn, kNoConn);
    EXPECT_EQ(ct.connection(r.conn).tcp, TcpState::kSynSent);
    auto back = ct.process(tcp(kB, kA, 80, 1000, kSyn | kAck), now);
    EXPECT_EQ(back.state, CtState::kEstablished);
    EXPECT_TRUE(back.is_reply);
    EXPECT_EQ(ct.connection(r.conn).tcp, TcpState::kSynRecv);
    EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck), now).state, CtState::kEstablished);
    EXPECT_EQ(ct.connection(r.conn).tcp, TcpState::kEstablished);
    return r.conn;
  }
  ConnTracker ct{small()};
  uint64_t now = 1'000'000;
};

TEST_F(TcpHandshake, FullLifecycleThroughFinToTimeWait) {
  const ConnId id = open();
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck | kFin), now).state, CtState::kEstablished);
  EXPECT_EQ(ct.connection(id).tcp, TcpState::kFinWait);
  ct.process(tcp(kB, kA, 80, 1000, kAck | kFin), now);
  EXPECT_EQ(ct.connection(id).tcp, TcpState::kCloseWait);
  ct.process(tcp(kA, kB, 1000, 80, kAck), now);
  EXPECT_EQ(ct.connection(id).tcp, TcpState::kTimeWait);
  // A new SYN on the same tuple reopens it.
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kSyn), now).state, CtState::kNew);
  EXPECT_EQ(ct.size(), 0u);
  EXPECT_EQ(ct.counters().value(ConnTracker::kReopened), 1u);
}

TEST_F(TcpHandshake, RstClosesFromAnyDirection) {
  const ConnId id = open();
  ct.process(tcp(kB, kA, 80, 1000, kRst), now);
  EXPECT_EQ(ct.connection(id).tcp, TcpState::kClosed);
  // After RST data is invalid; the closed entry times out in 10 s.
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck), now).state, CtState::kInvalid);
  EXPECT_EQ(ct.expire(now + 9'999, 100), 0u);
  EXPECT_EQ(ct.expire(now + 10'000, 100), 1u);
  EXPECT_EQ(ct.size(), 0u);
}

TEST_F(TcpHandshake, InvalidTransitionsLeaveStateAlone) {
  // Data without a SYN cannot open a connection.
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck), now).state, CtState::kInvalid);
  EXPECT_EQ(ct.commit(tcp(kA, kB, 1000, 80, kAck), now).conn, kNoConn);
  // SYN+FIN never opens anything.
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kSyn | kFin), now).state, CtState::kInvalid);
  const ConnId id = open();
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kSyn), now).state, CtState::kInvalid);  // SYN mid-connection
  EXPECT_EQ(ct.process(tcp(kB, kA, 80, 1000, kSyn | kRst), now).state, CtState::kInvalid);
  EXPECT_EQ(ct.connection(id).tcp, TcpState::kEstablished);
}

TEST_F(TcpHandshake, DataBeforeSynAckIsInvalid) {
  ct.commit(tcp(kA, kB, 1000, 80, kSyn), now);
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck), now).state, CtState::kInvalid);
  EXPECT_EQ(ct.process(tcp(kB, kA, 80, 1000, kAck), now).state, CtState::kInvalid);
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kSyn), now).state, CtState::kNew);  // retransmitted SYN
}

TEST_F(TcpHandshake, TimeoutsFollowTheState) {
  ct.commit(tcp(kA, kB, 1000, 80, kSyn), now);
  // SYN_SENT lasts 30 s: a SYN+ACK 31 s later finds nothing.
  EXPECT_EQ(ct.process(tcp(kB, kA, 80, 1000, kSyn | kAck), now + 31'000).state, CtState::kInvalid);
  EXPECT_EQ(ct.counters().value(ConnTracker::kExpired), 1u);
  now += 40'000;
  open();
  // ESTABLISHED lasts a day: an hour of silence is fine.
  now += 3'600'000;
  EXPECT_EQ(ct.process(tcp(kA, kB, 1000, 80, kAck), now).state, CtState::kEstablished);
  EXPECT_EQ(ct.expire(now + 86'399'999, 10), 0u);
  EXPECT_EQ(ct.expire(now + 86'400'000, 10), 1u);
}

TEST(ConntrackUdp, PseudoConnectionAndTimeouts) {
  ConnTracker ct{small()};
  EXPECT_EQ(ct.process(udp(kA, kB, 5000, 53), 0).state, CtState::kNew);
  const auto c = ct.commit(udp(kA, kB, 5000, 53), 0);
  EXPECT_EQ(ct.process(udp(kA, kB, 5000, 53), 1000).state, CtState::kNew);  // no reply yet
  EXPECT_EQ(ct.process(udp(kB, kA, 53, 5000), 2000).state, CtState::kEstablished);
  EXPECT_EQ(ct.connection(c.conn).timeout_class, TimeoutClass::kUdpMultiple);
  EXPECT_EQ(ct.expire(2000 + 179'999, 10), 0u);
  EXPECT_EQ(ct.expire(2000 + 180'000, 10), 1u);
  // Unanswered UDP goes after 30 s.
  ct.commit(udp(kA, kB, 5001, 53), 0);
  EXPECT_EQ(ct.process(udp(kB, kA, 53, 5001), 30'000).state, CtState::kNew);  // expired: a fresh one
}

TEST(ConntrackExpiry, RefreshedConnectionSurvivesItsFirstDeadlineAndEndsAfterTheLast) {
  ConnTracker ct{small()};
  ct.commit(udp(kA, kB, 7000, 53), 0);
  ct.process(udp(kB, kA, 53, 7000), 0);  // UDP_MULTIPLE: 180 s
  for (uint64_t t = 60'000; t <= 600'000; t += 60'000) {
    EXPECT_EQ(ct.process(udp(kA, kB, 7000, 53), t).state, CtState::kEstablished) << t;
    EXPECT_EQ(ct.expire(t + 1, 100), 0u) << t;
  }
  EXPECT_EQ(ct.expire(600'000 + 179'999, 100), 0u);
  EXPECT_EQ(ct.expire(600'000 + 180'000, 100), 1u);
  EXPECT_EQ(ct.size(), 0u);
}

TEST(ConntrackExpiry, CommitOverAnExpiredEntryStartsAFreshConnection) {
  ConnTracker ct{small()};
  ct.commit(udp(kA, kB, 7000, 53), 0);
  ct.process(udp(kB, kA, 53, 7000), 1);
  // 200 s later, before any sweep, the same tuple commits anew (not the stale entry).
  const auto again = ct.commit(udp(kA, kB, 7000, 53), 200'000);
  ASSERT_NE(again.conn, kNoConn);
  EXPECT_FALSE(ct.connection(again.conn).seen_reply);
  EXPECT_EQ(ct.size(), 1u);
  EXPECT_EQ(ct.counters().value(ConnTracker::kExpired), 1u);
}

TEST(ConntrackIcmp, EchoAndRelatedErrors) {
  ConnTracker ct{small()};
  const auto req = parsed(ipv4_packet(kA, kB, 1, icmp_echo(8, 77)));
  const auto rep = parsed(ipv4_packet(kB, kA, 1, icmp_echo(0, 77)));
  EXPECT_EQ(ct.process(rep, 0).state, CtState::kInvalid);  // a reply nobody asked for
  EXPECT_EQ(ct.process(req, 0).state, CtState::kNew);
  ct.commit(req, 0);
  EXPECT_EQ(ct.process(rep, 1).state, CtState::kEstablished);
  EXPECT_EQ(ct.process(parsed(ipv4_packet(kA, kB, 1, icmp_echo(0, 77))), 1).state, CtState::kInvalid)
      << "a reply in the request's direction is not part of the exchange";

  // A UDP flow, then port unreachable from B quoting it: RELATED.
  const auto original = ipv4_packet(kA, kB, 17, udp_datagram(4000, 9999));
  ct.commit(parsed(original), 2);
  const auto err = parsed(ipv4_packet(kB, kA, 1, icmp_error(3, 3, original)));
  EXPECT_EQ(err.kind, PacketKind::kIcmpError);
  const auto related = ct.process(err, 3);
  EXPECT_EQ(related.state, CtState::kRelated);
  EXPECT_TRUE(related.is_reply) << "the error travels against the quoted packet";
  // The same error about a flow never seen: INVALID.
  const auto other = ipv4_packet(kA, kB, 17, udp_datagram(4001, 9999));
  EXPECT_EQ(ct.process(parsed(ipv4_packet(kB, kA, 1, icmp_error(3, 3, other))), 3).state, CtState::kInvalid);
}

TEST(ConntrackZones, OverlappingAddressesNeverMix) {
  ConnTracker ct{small()};
  ct.commit(udp(kA, kB, 5000, 53, /*zone=*/1), 0);
  EXPECT_EQ(ct.process(udp(kB, kA, 53, 5000, 1), 1).state, CtState::kEstablished);
  EXPECT_EQ(ct.process(udp(kB, kA, 53, 5000, 2), 1).state, CtState::kNew) << "zone 2 has no such connection";
}

TEST(ConntrackLimits, FullTableDropsNewKeepsExisting) {
  ConnTracker ct{small(4)};
  for (uint16_t i = 0; i < 4; ++i) ASSERT_NE(ct.commit(udp(kA, kB, 1000 + i, 53), 0).conn, kNoConn);
  EXPECT_EQ(ct.commit(udp(kA, kB, 2000, 53), 0).state, CtState::kInvalid);
  EXPECT_EQ(ct.counters().value(ConnTracker::kTableFull), 1u);
  for (uint16_t i = 0; i < 4; ++i) EXPECT_EQ(ct.process(udp(kB, kA, 53, 1000 + i), 1).state, CtState::kEstablished);
  // Once entries time out, room comes back without an explicit sweep.
  EXPECT_NE(ct.commit(udp(kA, kB, 2000, 53), 1'000'000).conn, kNoConn);
}

TEST(ConntrackLimits, ZoneLimitStopsOneZoneOnly) {
  ConnTracker ct{small(100, 10)};
  for (uint16_t i = 0; i < 50; ++i) ct.commit(tcp(kA, kB, static_cast<uint16_t>(1000 + i), 80, kSyn, 7), 0);
  EXPECT_EQ(ct.zone_count(7), 10u);
  EXPECT_EQ(ct.counters().value(ConnTracker::kZoneLimit), 40u);
  EXPECT_NE(ct.commit(tcp(kA, kB, 1000, 80, kSyn, 8), 0).conn, kNoConn) << "another zone still gets room";
  ct.set_zone_limit(7, 20);
  EXPECT_NE(ct.commit(tcp(kA, kB, 2000, 80, kSyn, 7), 0).conn, kNoConn);
}

TEST(ConntrackEnd, PredicateEndsMatchingConnectionsAndCallsBack) {
  ConnTracker ct{small()};
  std::vector<uint16_t> ended_ports;
  ct.set_on_end([&](const Connection& c) { ended_ports.push_back(c.orig.dst_port); });
  ct.commit(udp(kA, kB, 1, 53), 0);
  ct.commit(udp(kA, kB, 2, 80), 0);
  ct.commit(tcp(kA, kB, 3, 80, kSyn), 0);
  EXPECT_EQ(ct.end_if([](const Connection& c) { return c.orig.dst_port == 80; }), 2u);
  EXPECT_EQ(ended_ports.size(), 2u);
  EXPECT_EQ(ct.process(udp(kB, kA, 80, 2), 1).state, CtState::kNew);
  EXPECT_EQ(ct.process(udp(kB, kA, 53, 1), 1).state, CtState::kEstablished);
}

TEST(ConntrackNat, ReplyKeyOverrideMatchesTranslatedReplies) {
  ConnTracker ct{small()};
  // 10.0.0.1:1000 -> 8.8.8.8:53 leaves as 203.0.113.5:40000; replies come to that.
  const auto out = udp(kA, 0x08080808, 1000, 53);
  ConnKey reply = out.key.reversed();
  reply.dst = ipv4_bytes(0xcb007105);
  reply.dst_port = 40000;
  NatBinding nat;
  nat.kind = NatBinding::Kind::kSnat;
  nat.translated_port = 40000;
  const auto c = ct.commit(out, 0, &reply, &nat);
  const auto back = ct.process(udp(0x08080808, 0xcb007105, 53, 40000), 1);
  EXPECT_EQ(back.state, CtState::kEstablished);
  EXPECT_EQ(back.conn, c.conn);
  EXPECT_EQ(ct.connection(back.conn).nat.translated_port, 40000);
}

TEST(ConntrackIpv6, TcpAndEcho) {
  ConnTracker ct{small()};
  auto syn = parsed(ipv6_packet(1, 2, 6, tcp_segment(1000, 22, kSyn)), 1, 0x86dd);
  EXPECT_EQ(syn.key.family, 6);
  ct.commit(syn, 0);
  EXPECT_EQ(ct.process(parsed(ipv6_packet(2, 1, 6, tcp_segment(22, 1000, kSyn | kAck)), 1, 0x86dd), 1).state,
            CtState::kEstablished);
  // ICMPv6 packet too big (type 2) quoting the SYN+ACK's direction: RELATED.
  auto quoted = ipv6_packet(2, 1, 6, tcp_segment(22, 1000, kAck));
  auto too_big = parsed(ipv6_packet(1, 2, 58, icmp_error(2, 0, quoted, 48)), 1, 0x86dd);
  EXPECT_EQ(too_big.kind, PacketKind::kIcmpError);
  EXPECT_EQ(ct.process(too_big, 1).state, CtState::kRelated);
  auto echo = parsed(ipv6_packet(1, 2, 58, icmp_echo(128, 9)), 1, 0x86dd);
  EXPECT_EQ(echo.kind, PacketKind::kIcmpEchoRequest);
  ct.commit(echo, 0);
  EXPECT_EQ(ct.process(parsed(ipv6_packet(2, 1, 58, icmp_echo(129, 9)), 1, 0x86dd), 1).state,
            CtState::kEstablished);
}

TEST(ConntrackParse, MalformedPacketsAreRefused) {
  CtPacket p;
  auto good = ipv4_packet(kA, kB, 6, tcp_segment(1, 2, kSyn));
  for (size_t cut = 0; cut < good.size(); ++cut)
    EXPECT_NE(parse_ct_packet(good.data(), cut, 0x0800, 1, p), ParseResult::kOk) << cut;
  auto bad_offset = good;
  bad_offset[20 + 12] = 2 << 4;  // TCP header length 8
  EXPECT_EQ(parse_ct_packet(bad_offset.data(), bad_offset.size(), 0x0800, 1, p), ParseResult::kBadHeader);
  auto frag = good;
  frag[6] = 0x20;  // more fragments
  EXPECT_EQ(parse_ct_packet(frag.data(), frag.size(), 0x0800, 1, p), ParseResult::kFragment);
  auto short_error = ipv4_packet(kB, kA, 1, icmp_error(3, 3, std::vector<uint8_t>(good.begin(), good.begin() + 24)));
  EXPECT_EQ(parse_ct_packet(short_error.data(), short_error.size(), 0x0800, 1, p), ParseResult::kBadIcmpError);
  EXPECT_EQ(parse_ct_packet(good.data(), good.size(), 0x0806, 1, p), ParseResult::kBadHeader);
}

// Many connections come and go: the index (backward-shift deletion) keeps finding the
// ones that remain.
TEST(ConntrackIndex, ChurnKeepsEveryLiveConnectionFindable) {
  ConnTracker ct{small(512)};
  std::vector<bool> live(2000, false);
  uint32_t seed = 12345;
  for (int round = 0; round < 20000; ++round) {
    seed = seed * 1103515245 + 12345;
    const uint16_t port = static_cast<uint16_t>((seed >> 8) % 2000);
    if (live[port]) {
      ct.end_if([&](const Connection& c) { return c.orig.src_port == port; });
      live[port] = false;
    } else if (ct.size() < 512) {
      ASSERT_NE(ct.commit(udp(kA, kB, port, 53), 0).conn, kNoConn);
      live[port] = true;
    }
    if (round % 2000 == 0) {
      for (uint16_t p = 0; p < 2000; ++p)
        ASSERT_EQ(ct.process(udp(kB, kA, 53, p), 1).state, live[p] ? CtState::kEstablished : CtState::kNew) << p;
    }
  }
}

}  // namespace
}  // namespace overcast::dataplane::conntrack

namespace overcast::dataplane::conntrack {
namespace {

TEST(ConntrackBurst, SameResultsAsOneByOne) {
  ConnTracker one{small(256)}, burst{small(256)};
  std::vector<CtPacket> packets;
  for (uint16_t i = 0; i < 100; ++i) {
    const auto p = udp(kA, kB, i, 53);
    if (i % 3) {
      one.commit(p, 0);
      burst.commit(p, 0);
    }
    packets.push_back(i % 2 ? p : udp(kB, kA, 53, i));
  }
  std::vector<TrackResult> got(packets.size());
  burst.process_burst(packets.data(), packets.size(), 5, got.data());
  for (size_t i = 0; i < packets.size(); ++i) {
    const TrackResult want = one.process(packets[i], 5);
    EXPECT_EQ(got[i].state, want.state) << i;
    EXPECT_EQ(got[i].conn, want.conn) << i;
    EXPECT_EQ(got[i].is_reply, want.is_reply) << i;
  }
}

}  // namespace
}  // namespace overcast::dataplane::conntrack

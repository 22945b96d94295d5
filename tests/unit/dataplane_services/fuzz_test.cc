// Mutated and random bytes through every parser of the service modules: each answers
// with a reason, never reads past what it holds (run under ASan to see that) and never
// crashes. Deterministic seeds, so a failure reproduces.
#include <gtest/gtest.h>

#include <random>

#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/dhcp/dhcp_codec.h"
#include "dataplane/nat/nat_rewrite.h"
#include "dataplane/nat/router_nat.h"
#include "dataplane/nat/snat_port_allocator.h"
#include "dataplane/port_security/spoof_filter.h"
#include "dataplane/route/ipv4_router_ops.h"
#include "packet_builder.h"

namespace overcast::dataplane {
namespace {

using namespace overcast::testing;

std::vector<std::vector<uint8_t>> seeds() {
  const auto udp = ipv4_packet(0x0a000005, 0x08080808, 17, udp_datagram(1000, 53));
  return {
      ipv4_packet(0x0a000005, 0x08080808, 6, tcp_segment(1, 80, 0x02, 10)),
      udp,
      ipv4_packet(0x0a000005, 0x08080808, 1, icmp_echo(8, 5)),
      ipv4_packet(0x08080808, 0x0a000005, 1, icmp_error(3, 3, udp, 1000)),
      ipv6_packet(1, 2, 6, tcp_segment(1, 80, 0x02)),
      ipv6_packet(1, 2, 58, icmp_error(1, 0, ipv6_packet(2, 1, 17, udp_datagram(1, 2)), 1000)),
  };
}

std::vector<uint8_t> mutate(std::vector<uint8_t> p, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !p.empty(); ++e) p[rng() % p.size()] = static_cast<uint8_t>(rng());
  if (rng() % 4 == 0) p.resize(rng() % (p.size() + 1));
  return p;
}

TEST(Fuzz, ConntrackAndNatSurviveMutatedPackets) {
  std::mt19937 rng(4242);
  conntrack::ConnTracker ct{{}};
  const auto base = seeds();
  for (int i = 0; i < 200000; ++i) {
    auto p = mutate(base[rng() % base.size()], rng);
    // An exact-size heap copy, so ASan sees any read past the end.
    std::vector<uint8_t> exact(p.begin(), p.end());
    conntrack::CtPacket cp;
    const uint16_t ethertype = (exact.empty() || (exact[0] >> 4) == 4) ? 0x0800 : 0x86dd;
    if (conntrack::parse_ct_packet(exact.data(), exact.size(), ethertype, 1, cp) == conntrack::ParseResult::kOk) {
      const auto r = ct.process(cp, static_cast<uint64_t>(i));
      if (r.state == conntrack::CtState::kNew && r.conn == conntrack::kNoConn) ct.commit(cp, static_cast<uint64_t>(i));
    }
    nat::rewrite_ipv4(exact.data(), exact.size(), nat::Endpoint::kSource, 1, 2);
    nat::rewrite_icmp_error(exact.data(), exact.size(), nat::Endpoint::kDestination, 1, nat::Endpoint::kSource, 1, 2);
    route::decrement_ttl(exact.data(), exact.size());
    route::echo_reply_in_place(exact.data(), exact.size());
    uint8_t out[600];
    route::build_icmp_error(exact.data(), exact.size(), 11, 0, 1, out, sizeof(out));
    if (i % 1000 == 0) ct.expire(static_cast<uint64_t>(i), 1000);
  }
  EXPECT_LE(ct.size(), ct.capacity());
}

TEST(Fuzz, RouterNatSurvivesMutatedPacketsBothWays) {
  std::mt19937 rng(777);
  conntrack::ConnTracker ct{{}};
  nat::SnatPortAllocator ports;
  nat::SnatTranslator snat{ct, ports};
  nat::RouterNat router_nat{ct, snat};
  nat::RouterNatConfig config;
  config.zone = 3;
  config.external_ip = 0x08080808;  // the seeds' server doubles as the outside address
  config.add_floating_ip(0x08080809, 0x0a000006);
  const auto base = seeds();
  for (int i = 0; i < 100000; ++i) {
    auto p = mutate(base[rng() % base.size()], rng);
    std::vector<uint8_t> exact(p.begin(), p.end());
    if (rng() % 2) {
      router_nat.outbound(config, exact.data(), exact.size(), static_cast<uint64_t>(i));
    } else {
      router_nat.inbound(config, exact.data(), exact.size(), static_cast<uint64_t>(i));
    }
    if (i % 1000 == 0) ct.expire(static_cast<uint64_t>(i), 1000);
  }
  uint64_t decided = 0;
  for (size_t c = 0; c < router_nat.counters().size(); ++c) decided += router_nat.counters().value(c);
  EXPECT_EQ(decided, 100000u)
      << "every packet is either translated, left alone, or a counted drop";
}

TEST(Fuzz, DhcpAndPortSecuritySurviveMutatedFrames) {
  std::mt19937 rng(777);
  // A DISCOVER frame: Ethernet + IPv4 + UDP 68 -> 67 + BOOTP with options.
  std::vector<uint8_t> bootp(240, 0);
  bootp[0] = 1;
  bootp[1] = 1;
  bootp[2] = 6;
  bootp[236] = 0x63; bootp[237] = 0x82; bootp[238] = 0x53; bootp[239] = 0x63;
  for (uint8_t b : {53, 1, 1, 55, 4, 1, 3, 6, 121, 50, 4, 10, 0, 0, 5, 255}) bootp.push_back(b);
  auto udp = udp_datagram(68, 67, 0);
  for (uint8_t b : bootp) udp.push_back(b);  // (insert() trips GCC 12's -Warray-bounds)
  put16(udp, 4, static_cast<uint16_t>(udp.size()));
  std::vector<uint8_t> frame(12, 0xfa);
  frame.push_back(0x08);
  frame.push_back(0x00);
  const auto ip = ipv4_packet(0, 0xffffffff, 17, udp);
  for (uint8_t b : ip) frame.push_back(b);

  port_security::PortSecurityConfig config;
  config.mac = MacAddress::from_bytes(frame.data() + 6);
  config.fixed_ips = {{4, conntrack::ipv4_bytes(0x0a000005), 32}};
  const auto filter = port_security::SpoofFilter::compile(config);
  dhcp::Lease lease;
  lease.address = 0x0a000005;
  const dhcp::Server server{0x0a000001, MacAddress{}};
  int parsed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::vector<uint8_t> f = mutate(frame, rng);
    std::vector<uint8_t> exact(f.begin(), f.end());
    dhcp::Request r;
    if (dhcp::parse_request_frame(exact.data(), exact.size(), r) == dhcp::ParseError::kOk) {
      ++parsed;
      if (auto type = dhcp::decide_reply(r, lease, server)) {
        uint8_t out[1500];
        EXPECT_GT(dhcp::build_reply_frame(r, *type, lease, server, out, sizeof(out)), 0u);
      }
    }
    filter->check(exact.data(), exact.size());
  }
  EXPECT_GT(parsed, 1000) << "mutations must leave some frames valid, or the builder path is not exercised";
}

}  // namespace
}  // namespace overcast::dataplane

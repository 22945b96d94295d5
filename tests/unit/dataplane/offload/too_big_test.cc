// too_big: which answer a too-big frame gets, and the ICMP replies themselves, checked
// against the byte-by-byte oracles of offload_frames.h (never against net/checksum or
// the parsers the code under test uses).
#include "too_big_test_util.h"

namespace overcast::dataplane::testing {
namespace {

// ---- too_big_action ----------------------------------------------------------

TEST(TooBigActionTest, Ipv4WithoutDfAndWithoutOptionsIsFragmented) {
  for (uint8_t proto : {uint8_t{17}, uint8_t{6}, uint8_t{47}}) {
    IpSpec s = v4(0);
    s.protocol = proto;
    EXPECT_EQ(action(ip_frame(s, pattern_payload(2000))), TooBigAction::kFragment) << int{proto};
  }
  IpSpec tagged = v4(0);
  tagged.vlan = true;
  EXPECT_EQ(action(ip_frame(tagged, udp_l4(pattern_payload(2000)))), TooBigAction::kFragment);
  // An ICMP echo request is no error: fragmented like anything else.
  IpSpec echo = v4(0);
  echo.protocol = 1;
  EXPECT_EQ(action(ip_frame(echo, icmp_l4(8, 2000))), TooBigAction::kFragment);
}

TEST(TooBigActionTest, Ipv4WithDfIsAnswered) {
  EXPECT_EQ(action(ip_frame(v4(), udp_l4(pattern_payload(2000)))), TooBigAction::kReply);
  IpSpec tagged = v4();
  tagged.vlan = true;
  EXPECT_EQ(action(ip_frame(tagged, udp_l4(pattern_payload(2000)))), TooBigAction::kReply);
  for (uint8_t type : {uint8_t{0}, uint8_t{8}, uint8_t{13}}) {
    IpSpec s = v4();
    s.protocol = 1;
    EXPECT_EQ(action(ip_frame(s, icmp_l4(type, 2000))), TooBigAction::kReply) << "ICMP type " << int{type};
  }
}

TEST(TooBigActionTest, Ipv6IsAnswered) {
  EXPECT_EQ(action(ip_frame(v6(), udp_l4(pattern_payload(2000)))), TooBigAction::kReply);
  IpSpec tagged = v6();
  tagged.vlan = true;
  EXPECT_EQ(action(ip_frame(tagged, udp_l4(pattern_payload(2000)))), TooBigAction::kReply);
  IpSpec link_local = v6();
  link_local.src6 = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(action(ip_frame(link_local, udp_l4(pattern_payload(2000)))), TooBigAction::kReply);
  for (uint8_t type : {uint8_t{128}, uint8_t{129}, uint8_t{135}, uint8_t{255}}) {
    IpSpec s = v6();
    s.protocol = 58;
    EXPECT_EQ(action(ip_frame(s, icmp_l4(type, 2000))), TooBigAction::kReply) << "ICMPv6 type " << int{type};
  }
}

TEST(TooBigActionTest, NonIpAndBrokenIpAreDropped) {
  auto arp = arp_request(mac(1), 0x0a000001, 0x0a000002);
  arp.resize(2000, 0);
  EXPECT_EQ(action(arp), TooBigAction::kDrop);
  std::vector<uint8_t> other = ip_frame(v4(0), pattern_payload(2000));
  other[12] = 0x88;
  other[13] = 0xb5;  // local experimental ethertype
  EXPECT_EQ(action(other), TooBigAction::kDrop);

  EXPECT_EQ(too_big_action(nullptr, 0), TooBigAction::kDrop);
  const auto good = ip_frame(v4(0), pattern_payload(2000));
  for (size_t cut : {0u, 10u, 14u, 20u, 33u}) {
    EXPECT_EQ(too_big_action(good.data(), cut), TooBigAction::kDrop) << "cut at " << cut;
  }
  // Total length claims more than the frame holds.
  EXPECT_EQ(too_big_action(good.data(), good.size() - 1), TooBigAction::kDrop);
  auto bad_version = good;
  bad_version[14] = 0x55;
  EXPECT_EQ(action(bad_version), TooBigAction::kDrop);
  auto short_ihl = good;
  short_ihl[14] = 0x44;
  EXPECT_EQ(action(short_ihl), TooBigAction::kDrop);

  const auto good6 = ip_frame(v6(), pattern_payload(2000));
  EXPECT_EQ(too_big_action(good6.data(), 14 + 39), TooBigAction::kDrop);
  EXPECT_EQ(too_big_action(good6.data(), good6.size() - 1), TooBigAction::kDrop);
  auto bad_version6 = good6;
  bad_version6[14] = 0x40;
  EXPECT_EQ(action(bad_version6), TooBigAction::kDrop);
}

// Never answered (RFC 1122 §3.2.2); without DF fragmented like any datagram, as routers do.
TEST(TooBigActionTest, IcmpErrorsAreNeverAnsweredButMayBeFragmented) {
  for (uint8_t type : {uint8_t{3}, uint8_t{4}, uint8_t{5}, uint8_t{11}, uint8_t{12}}) {
    for (uint16_t flags : {kDf, uint16_t{0}}) {
      IpSpec s = v4(flags);
      s.protocol = 1;
      EXPECT_EQ(action(ip_frame(s, icmp_l4(type, 2000))), flags ? TooBigAction::kDrop : TooBigAction::kFragment)
          << "ICMP type " << int{type} << " flags " << flags;
    }
  }
  for (uint8_t type : {uint8_t{0}, uint8_t{1}, uint8_t{2}, uint8_t{3}, uint8_t{4}, uint8_t{127}}) {
    IpSpec s = v6();
    s.protocol = 58;
    EXPECT_EQ(action(ip_frame(s, icmp_l4(type, 2000))), TooBigAction::kDrop) << "ICMPv6 type " << int{type};
  }
}

TEST(TooBigActionTest, SourcesThatAreNoSingleHostAreDropped) {
  for (uint32_t src : {0x00000000u, 0x00000001u, 0xe0000001u, 0xefffffffu, 0xf0000001u, 0xffffffffu}) {
    for (uint16_t flags : {kDf, uint16_t{0}}) {
      IpSpec s = v4(flags);
      s.src4 = src;
      EXPECT_EQ(action(ip_frame(s, udp_l4(pattern_payload(2000)))), TooBigAction::kDrop)
          << std::hex << "source " << src << " flags " << flags;
    }
  }
  IpSpec edge = v4();
  edge.src4 = 0xdfffffff;  // 223.255.255.255: the last unicast class C address
  EXPECT_EQ(action(ip_frame(edge, udp_l4(pattern_payload(2000)))), TooBigAction::kReply);

  IpSpec multicast6 = v6();
  multicast6.src6 = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(action(ip_frame(multicast6, udp_l4(pattern_payload(2000)))), TooBigAction::kDrop);
  IpSpec unspecified6 = v6();
  unspecified6.src6 = {};
  EXPECT_EQ(action(ip_frame(unspecified6, udp_l4(pattern_payload(2000)))), TooBigAction::kDrop);
}

TEST(TooBigActionTest, Ipv4WithOptionsIsFragmentedByNobody) {
  for (size_t words : {1u, 3u, 10u}) {
    IpSpec s = v4(0);
    s.option_words = words;
    const auto f = ip_frame(s, udp_l4(pattern_payload(2000)));
    EXPECT_EQ(action(f), TooBigAction::kDrop) << words << " option words";
    EXPECT_EQ(ipv4_fragment_count(f.data(), f.size(), 1450), 0u);
    std::vector<uint8_t> out(4096);
    EXPECT_EQ(build_ipv4_fragment(f.data(), f.size(), 1450, 0, out.data(), out.size()), 0u);
  }
}

// ---- build_too_big_reply -------------------------------------------------------

TEST(TooBigReplyTest, Ipv4ReplyQuotesAtMost548BytesOfThePacket) {
  for (bool vlan : {false, true}) {
    for (size_t payload : {0u, 1u, 519u, 520u, 521u, 547u, 1000u, 1472u, 8000u}) {
      IpSpec s = v4();
      s.vlan = vlan;
      const auto f = ip_frame(s, udp_l4(pattern_payload(payload, static_cast<uint8_t>(payload))));
      for (uint32_t mtu : {1450u, 1280u, 576u, 68u, 9000u}) {
        const auto r = reply(f, mtu);
        ASSERT_FALSE(r.empty()) << "vlan " << vlan << " payload " << payload;
        EXPECT_EQ(too_big_reply_problem(f, r, mtu), "") << "vlan " << vlan << " payload " << payload << " mtu " << mtu;
      }
    }
  }
}

TEST(TooBigReplyTest, Ipv4ReplyIsAt576BytesOfIpForLargePackets) {
  const auto r = reply(ip_frame(v4(), udp_l4(pattern_payload(3000))), 1450);
  EXPECT_EQ(r.size(), 14u + 576u);
  EXPECT_EQ(get16(&r[14 + 2]), 576);
}

TEST(TooBigReplyTest, Ipv6ReplyQuotesAtMost1232BytesOfThePacket) {
  for (bool vlan : {false, true}) {
    for (size_t payload : {0u, 1u, 1183u, 1184u, 1185u, 1400u, 9000u}) {
      IpSpec s = v6();
      s.vlan = vlan;
      const auto f = ip_frame(s, udp_l4(pattern_payload(payload, static_cast<uint8_t>(payload))));
      for (uint32_t mtu : {1450u, 1280u, 9000u, 65536u}) {
        const auto r = reply(f, mtu);
        ASSERT_FALSE(r.empty()) << "vlan " << vlan << " payload " << payload;
        EXPECT_EQ(too_big_reply_problem(f, r, mtu), "") << "vlan " << vlan << " payload " << payload << " mtu " << mtu;
      }
    }
  }
  const auto big = reply(ip_frame(v6(), udp_l4(pattern_payload(3000))), 1450);
  EXPECT_EQ(big.size(), 14u + 1280u);
}

TEST(TooBigReplyTest, ReplyToAnIcmpEchoIsAnsweredAndVerifies) {
  IpSpec s = v4();
  s.protocol = 1;
  const auto f = ip_frame(s, icmp_l4(8, 1600));
  EXPECT_EQ(too_big_reply_problem(f, reply(f, 1450), 1450), "");
  IpSpec s6 = v6();
  s6.protocol = 58;
  const auto f6 = ip_frame(s6, icmp_l4(128, 1600));
  EXPECT_EQ(too_big_reply_problem(f6, reply(f6, 1450), 1450), "");
}

TEST(TooBigReplyTest, NothingIsWrittenWhenTheRoomIsTooSmall) {
  for (bool ipv6 : {false, true}) {
    IpSpec s = ipv6 ? v6() : v4();
    s.vlan = true;
    const auto f = ip_frame(s, udp_l4(pattern_payload(2000)));
    const size_t full = reply(f, 1450).size();
    ASSERT_GT(full, 0u);
    EXPECT_EQ(reply(f, 1450, full).size(), full) << "exactly enough room";
    for (size_t room : {full - 1, size_t{48}, size_t{18}, size_t{17}, size_t{0}}) {
      EXPECT_TRUE(reply(f, 1450, room).empty()) << "ipv6 " << ipv6 << " room " << room;
    }
  }
}

TEST(TooBigReplyTest, FramesThatGetNoReplyGiveZero) {
  const std::vector<std::vector<uint8_t>> frames = {
      ip_frame(v4(0), udp_l4(pattern_payload(2000))),  // fragmented instead
      [] {
        IpSpec s = v4();
        s.protocol = 1;
        return ip_frame(s, icmp_l4(3, 2000));
      }(),
      [] {
        IpSpec s = v4();
        s.src4 = 0xe0000001;
        return ip_frame(s, udp_l4(pattern_payload(2000)));
      }(),
      [] {
        IpSpec s = v6();
        s.protocol = 58;
        s.src6 = {};
        return ip_frame(s, icmp_l4(128, 2000));
      }(),
      [] {
        auto arp = arp_request(mac(1), 1, 2);
        arp.resize(2000);
        return arp;
      }(),
  };
  for (size_t i = 0; i < frames.size(); ++i) EXPECT_TRUE(reply(frames[i], 1450).empty()) << "frame " << i;
}

}  // namespace
}  // namespace overcast::dataplane::testing

// too_big: which answer a too-big frame gets, and the ICMP replies and IPv4
// fragments themselves, checked against the byte-by-byte oracles of offload_frames.h
// (never against net/checksum or the parsers the code under test uses).
#include "dataplane/offload/too_big.h"

#include <gtest/gtest.h>

#include "dataplane/offload/offload_frames.h"

namespace overcast::dataplane::testing {
namespace {

constexpr uint16_t kDf = 0x4000, kMf = 0x2000;

TooBigAction action(const std::vector<uint8_t>& f) { return too_big_action(f.data(), f.size()); }

IpSpec v4(uint16_t flags_fragment = kDf) {
  IpSpec s;
  s.flags_fragment = flags_fragment;
  return s;
}
IpSpec v6() {
  IpSpec s;
  s.ipv6 = true;
  return s;
}

std::vector<uint8_t> reply(const std::vector<uint8_t>& f, uint32_t mtu, size_t room = 4096) {
  std::vector<uint8_t> out(room + 16, 0xee);
  const size_t n = build_too_big_reply(f.data(), f.size(), mtu, out.data(), room);
  EXPECT_TRUE(std::all_of(out.begin() + static_cast<long>(room), out.end(), [](uint8_t b) { return b == 0xee; }))
      << "wrote past room";
  out.resize(n);
  return out;
}

std::vector<std::vector<uint8_t>> fragments(const std::vector<uint8_t>& f, uint32_t mtu) {
  const size_t count = ipv4_fragment_count(f.data(), f.size(), mtu);
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < count; ++i) {
    std::vector<uint8_t> buffer(f.size() + 64);
    const size_t n = build_ipv4_fragment(f.data(), f.size(), mtu, i, buffer.data(), buffer.size());
    EXPECT_GT(n, 0u) << "fragment " << i;
    buffer.resize(n);
    out.push_back(buffer);
  }
  return out;
}

// ceil(data / largest multiple of 8 that fits after the header), the count RFC 791 gives.
size_t expected_count(size_t data, uint32_t mtu) {
  const size_t chunk = (mtu - 20) / 8 * 8;
  return (data + chunk - 1) / chunk;
}

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

// ---- IPv4 fragmentation ----------------------------------------------------------

TEST(Ipv4FragmentTest, ManySizesAndMtusReassembleToTheOriginal) {
  for (bool vlan : {false, true}) {
    for (uint32_t mtu : {1450u, 1451u, 1455u, 1500u, 1000u, 576u, 68u, 29u}) {
      for (size_t data : {1u, 7u, 8u, 9u, 1429u, 1430u, 1431u, 1432u, 2861u, 3001u, 8000u, 65515u}) {
        IpSpec s = v4(0);
        s.vlan = vlan;
        s.ip_id = static_cast<uint16_t>(data);
        const auto f = ip_frame(s, pattern_payload(data, static_cast<uint8_t>(mtu)));
        const auto frags = fragments(f, mtu);
        EXPECT_EQ(frags.size(), expected_count(data, mtu)) << "mtu " << mtu << " data " << data;
        EXPECT_EQ(fragments_problem(f, frags, mtu), "") << "vlan " << vlan << " mtu " << mtu << " data " << data;
      }
    }
  }
}

TEST(Ipv4FragmentTest, DataThatFillsWholeChunksEndsWithAFullFragment) {
  for (uint32_t mtu : {1452u, 1450u, 68u}) {
    const size_t chunk = (mtu - 20) / 8 * 8;
    for (size_t chunks : {1u, 2u, 7u}) {
      const auto f = ip_frame(v4(0), pattern_payload(chunk * chunks));
      const auto frags = fragments(f, mtu);
      ASSERT_EQ(frags.size(), chunks) << "mtu " << mtu;
      EXPECT_EQ(frags.back().size(), 14 + 20 + chunk);
      EXPECT_EQ(fragments_problem(f, frags, mtu), "") << "mtu " << mtu << " chunks " << chunks;
    }
  }
}

TEST(Ipv4FragmentTest, APacketThatFitsIsItsOwnSingleFragment) {
  // mtu - 20 a multiple of 8: the packet comes out byte for byte as it went in.
  const auto f = ip_frame(v4(0), pattern_payload(1432));
  const auto frags = fragments(f, 1452);
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0], f);
}

TEST(Ipv4FragmentTest, AFragmentOfAFragmentKeepsItsPlaceAndItsMoreFragmentsFlag) {
  for (bool more : {true, false}) {
    for (uint16_t base : {uint16_t{1}, uint16_t{185}, uint16_t{5000}}) {
      const auto f = ip_frame(v4(static_cast<uint16_t>(base | (more ? kMf : 0))), pattern_payload(3000, 9));
      const auto frags = fragments(f, 1450);
      ASSERT_EQ(frags.size(), 3u);
      EXPECT_EQ(get16(&frags[0][14 + 6]) & 0x1fff, base);
      EXPECT_EQ(fragments_problem(f, frags, 1450), "") << "more " << more << " base " << base;
    }
  }
}

TEST(Ipv4FragmentTest, EthernetPaddingIsNotCarriedIntoFragments) {
  auto f = ip_frame(v4(0), pattern_payload(3000));
  const auto unpadded = f;
  f.insert(f.end(), 10, 0xaa);
  const auto frags = fragments(f, 1450);
  EXPECT_EQ(frags.size(), expected_count(3000, 1450));
  EXPECT_EQ(fragments_problem(unpadded, frags, 1450), "");
}

TEST(Ipv4FragmentTest, OutOfRangeIndexTooSmallRoomAndNonIpv4GiveZero) {
  const auto f = ip_frame(v4(0), pattern_payload(3000));
  const size_t count = ipv4_fragment_count(f.data(), f.size(), 1450);
  ASSERT_EQ(count, 3u);
  std::vector<uint8_t> out(4096);
  EXPECT_EQ(build_ipv4_fragment(f.data(), f.size(), 1450, count, out.data(), out.size()), 0u);
  EXPECT_EQ(build_ipv4_fragment(f.data(), f.size(), 1450, 1000, out.data(), out.size()), 0u);
  const size_t first = build_ipv4_fragment(f.data(), f.size(), 1450, 0, out.data(), out.size());
  ASSERT_EQ(first, 14u + 20u + 1424u);
  EXPECT_EQ(build_ipv4_fragment(f.data(), f.size(), 1450, 0, out.data(), first), first);
  EXPECT_EQ(build_ipv4_fragment(f.data(), f.size(), 1450, 0, out.data(), first - 1), 0u);

  EXPECT_EQ(ipv4_fragment_count(f.data(), f.size(), 27), 0u) << "no room for 8 data bytes";
  const auto f6 = ip_frame(v6(), pattern_payload(3000));
  EXPECT_EQ(ipv4_fragment_count(f6.data(), f6.size(), 1450), 0u);
  EXPECT_EQ(build_ipv4_fragment(f6.data(), f6.size(), 1450, 0, out.data(), out.size()), 0u);
  auto arp = arp_request(mac(1), 1, 2);
  EXPECT_EQ(ipv4_fragment_count(arp.data(), arp.size(), 1450), 0u);
  EXPECT_EQ(ipv4_fragment_count(f.data(), 30, 1450), 0u) << "truncated header";
  EXPECT_EQ(ipv4_fragment_count(f.data(), f.size() - 1, 1450), 0u) << "total length beyond the frame";
}

// The oracles themselves can fail: every field they check, broken, is caught.
TEST(TooBigOracleTest, CatchesEveryBrokenByteOfAReplyAndEveryBrokenFragmentSet) {
  for (bool ipv6 : {false, true}) {
    const auto f = ip_frame(ipv6 ? v6() : v4(), udp_l4(pattern_payload(2000)));
    const auto good = reply(f, 1450);
    ASSERT_EQ(too_big_reply_problem(f, good, 1450), "");
    EXPECT_NE(too_big_reply_problem(f, good, 1451), "");
    const size_t l4 = ipv6 ? 54 : 34;
    // Every header byte and some quoted ones; not IPv6 class/flow/hop limit, which
    // nothing covers (the IPv4 header checksum covers all of its header).
    for (size_t i = 0; i < l4 + 8 + 40; ++i) {
      if (ipv6 && (i == 14 || i == 15 || i == 16 || i == 17 || i == 21)) continue;
      auto bad = good;
      bad[i] ^= 0x01;
      EXPECT_NE(too_big_reply_problem(f, bad, 1450), "") << "ipv6 " << ipv6 << " byte " << i;
    }
    auto shorter = good;
    shorter.pop_back();
    EXPECT_NE(too_big_reply_problem(f, shorter, 1450), "");
  }
  const auto f = ip_frame(v4(0), pattern_payload(3000));
  auto frags = fragments(f, 1450);
  ASSERT_EQ(fragments_problem(f, frags, 1450), "");
  EXPECT_NE(fragments_problem(f, frags, 1443), "") << "a full fragment (1444 bytes of IP) is larger";
  auto missing = frags;
  missing.erase(missing.begin() + 1);
  EXPECT_NE(fragments_problem(f, missing, 1450), "");
  auto swapped = frags;
  std::swap(swapped[0], swapped[1]);
  EXPECT_NE(fragments_problem(f, swapped, 1450), "");
  for (size_t i : {14u + 3u, 14u + 5u, 14u + 6u, 14u + 7u, 14u + 11u, 14u + 20u, 14u + 500u}) {
    auto bad = frags;
    bad[1][i] ^= 0x01;
    EXPECT_NE(fragments_problem(f, bad, 1450), "") << "byte " << i;
  }
}

// Frames with random header bytes and lengths (the Ethernet header kept, so the
// oracles can find the IP header): whatever too_big_action says is what the
// builders then do, and what they build is well formed. Run under ASan this is
// also the out-of-bounds check.
TEST(TooBigFuzzTest, CorruptedFramesGetAConsistentAndWellFormedAnswer) {
  std::mt19937 rng(20261129);
  size_t replied = 0, fragmented = 0, dropped = 0;
  for (int round = 0; round < 20000; ++round) {
    IpSpec s = round % 2 ? v6() : v4(static_cast<uint16_t>(rng() % 2 ? kDf : 0));
    s.vlan = rng() % 4 == 0;
    s.protocol = std::array<uint8_t, 4>{1, 17, 58, 6}[rng() % 4];
    const size_t l3 = ip_l3_offset(s);
    auto f = ip_frame(s, s.protocol == 1 || s.protocol == 58 ? icmp_l4(static_cast<uint8_t>(rng()), rng() % 3000)
                                                             : pattern_payload(rng() % 3000));
    for (int flips = static_cast<int>(rng() % 4); flips > 0; --flips) {
      const size_t at = l3 + rng() % std::min<size_t>(48, f.size() - l3);
      f[at] = static_cast<uint8_t>(rng());
    }
    if (rng() % 4 == 0) f.resize(l3 + rng() % (f.size() - l3 + 1));
    const uint32_t mtu = rng() % 2 ? 68 + rng() % 9000 : rng() % 100;
    const std::string what = "round " + std::to_string(round) + " mtu " + std::to_string(mtu);

    const auto answer = reply(f, mtu);
    const size_t count = ipv4_fragment_count(f.data(), f.size(), mtu);
    switch (action(f)) {
      case TooBigAction::kReply:
        ++replied;
        ASSERT_FALSE(answer.empty()) << what;
        ASSERT_EQ(too_big_reply_problem(f, answer, mtu), "") << what;
        break;
      case TooBigAction::kFragment: {
        ++fragmented;
        ASSERT_TRUE(answer.empty()) << what;
        if (mtu < 28 || get16(&f[l3 + 2]) == 20) {
          ASSERT_EQ(count, 0u) << what;
          break;
        }
        // A fragment whose last piece would lie past the 13-bit offset field is not cut.
        if ((get16(&f[l3 + 6]) & 0x1fffu) + (get16(&f[l3 + 2]) - 20u - 1u) / 8u > 0x1fffu) {
          ASSERT_EQ(count, 0u) << what;
          break;
        }
        ASSERT_EQ(count, expected_count(get16(&f[l3 + 2]) - 20, mtu)) << what;
        if (count > 200) break;  // tiny MTUs: the sizes above already cover them
        ASSERT_EQ(fragments_problem(f, fragments(f, mtu), mtu), "") << what;
        break;
      }
      case TooBigAction::kDrop:
        ++dropped;
        ASSERT_TRUE(answer.empty()) << what;
        break;
    }
  }
  // The corruption must leave every outcome common, or this tests little.
  EXPECT_GT(replied, 1000u);
  EXPECT_GT(fragmented, 1000u);
  EXPECT_GT(dropped, 1000u);
}

// Found by these tests and fixed: ICMP errors, non-initial fragments and multicast never
// answered; fragment offsets never wrap; VLAN tags come off the IP MTU.
TEST(TooBigRegressionTest, FirstFragmentOfAnIcmpErrorIsNotAnswered) {
  IpSpec s = v4(static_cast<uint16_t>(kDf | kMf));  // offset 0: the ICMP header is here
  s.protocol = 1;
  EXPECT_EQ(action(ip_frame(s, icmp_l4(3, 2000))), TooBigAction::kDrop);
}
TEST(TooBigRegressionTest, NonInitialFragmentIsNotAnswered) {
  EXPECT_EQ(action(ip_frame(v4(static_cast<uint16_t>(kDf | 185)), pattern_payload(2000))), TooBigAction::kDrop);
}
TEST(TooBigRegressionTest, MulticastOrBroadcastDestinationIsNotAnsweredFromThatAddress) {
  for (uint32_t dst : {0xe00000fbu, 0xffffffffu}) {
    IpSpec s = v4();
    s.dst4 = dst;
    const auto f = ip_frame(s, udp_l4(pattern_payload(2000)));
    EXPECT_EQ(action(f), TooBigAction::kDrop) << std::hex << dst;
    const auto r = reply(f, 1450);
    if (!r.empty()) {
      EXPECT_LT(r[14 + 12], 224) << "reply sourced from " << std::hex << dst;
    }
  }
  IpSpec s6 = v6();
  s6.dst6 = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const auto f6 = ip_frame(s6, udp_l4(pattern_payload(2000)));
  const auto r6 = reply(f6, 1450);
  if (!r6.empty()) {
    EXPECT_NE(r6[14 + 8], 0xff) << "ICMPv6 reply sourced from a multicast address (RFC 4443 2.2)";
  }
}

TEST(TooBigRegressionTest, FragmentReachingBeyond65535IsNotFragmentedIntoWrappedOffsets) {
  // Offset 8000*8 = 64000 plus 3000 bytes of data ends past 65535 (RFC 791's limit).
  const auto f = ip_frame(v4(8000), pattern_payload(3000));
  const auto frags = fragments(f, 1450);
  for (size_t i = 0; i < frags.size(); ++i) {
    const uint16_t ff = get16(&frags[i][14 + 6]);
    EXPECT_GE(size_t{ff & 0x1fffu}, 8000u) << "fragment " << i << " offset wrapped: flags/offset " << std::hex << ff;
    EXPECT_EQ(ff & 0x4000, 0) << "fragment " << i << " got DF from the carry: " << std::hex << ff;
  }
}


}  // namespace
}  // namespace overcast::dataplane::testing

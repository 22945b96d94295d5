// The too_big oracles can fail; fuzzed frames get a consistent, well-formed answer; and
// the regressions these tests found stay fixed.
#include "too_big_test_util.h"

namespace overcast::dataplane::testing {
namespace {

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

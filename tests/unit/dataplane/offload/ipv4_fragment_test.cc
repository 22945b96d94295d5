// IPv4 fragmentation of a too-big frame without DF, reassembled and checked by the
// oracles of offload_frames.h.
#include "too_big_test_util.h"

namespace overcast::dataplane::testing {
namespace {


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

}  // namespace
}  // namespace overcast::dataplane::testing

#include "net/ethernet.h"

#include <gtest/gtest.h>

#include <vector>

namespace overcast::net {
namespace {

std::vector<uint8_t> untagged_frame() {
  return {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // dst
          0xfa, 0x16, 0x3e, 0x00, 0x00, 0x01,  // src
          0x08, 0x00,                          // IPv4
          0x45, 0x00};
}

std::vector<uint8_t> tagged_frame(int tags) {
  std::vector<uint8_t> f = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
  for (int i = 0; i < tags; ++i) {
    const uint16_t tpid = i == 0 && tags == 2 ? ethertype::kQinQ : ethertype::kVlan;
    f.push_back(static_cast<uint8_t>(tpid >> 8));
    f.push_back(static_cast<uint8_t>(tpid));
    f.push_back(0x20);  // PCP 1
    f.push_back(static_cast<uint8_t>(100 + i));
  }
  f.push_back(0x86);
  f.push_back(0xdd);
  return f;
}

TEST(Ethernet, ParsesUntaggedFrame) {
  auto f = untagged_frame();
  auto eth = parse_ethernet(f.data(), f.size());
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->ethertype, ethertype::kIpv4);
  EXPECT_EQ(eth->l3_offset, 14);
  EXPECT_EQ(eth->vlan_count, 0);
  EXPECT_TRUE(eth->header->dst_mac().is_broadcast());
  EXPECT_EQ(eth->header->src_mac().to_string(), "fa:16:3e:00:00:01");
}

TEST(Ethernet, SkipsOneAndTwoVlanTags) {
  auto one = tagged_frame(1);
  auto eth = parse_ethernet(one.data(), one.size());
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->vlan_count, 1);
  EXPECT_EQ(eth->outer_vid, 100);
  EXPECT_EQ(eth->ethertype, ethertype::kIpv6);
  EXPECT_EQ(eth->l3_offset, 18);

  auto two = tagged_frame(2);
  eth = parse_ethernet(two.data(), two.size());
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->vlan_count, 2);
  EXPECT_EQ(eth->outer_vid, 100);
  EXPECT_EQ(eth->ethertype, ethertype::kIpv6);
  EXPECT_EQ(eth->l3_offset, 22);
}

TEST(Ethernet, RejectsThreeTags) {
  auto f = tagged_frame(3);
  EXPECT_FALSE(parse_ethernet(f.data(), f.size()));
}

TEST(Ethernet, RejectsEveryTruncation) {
  for (int tags = 0; tags <= 2; ++tags) {
    auto f = tags == 0 ? untagged_frame() : tagged_frame(tags);
    const size_t needed = 14 + 4 * static_cast<size_t>(tags);
    for (size_t len = 0; len < needed; ++len) {
      EXPECT_FALSE(parse_ethernet(f.data(), len)) << "tags " << tags << " len " << len;
    }
    EXPECT_TRUE(parse_ethernet(f.data(), needed)) << "tags " << tags;
  }
}

}  // namespace
}  // namespace overcast::net

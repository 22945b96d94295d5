#include "net/vxlan.h"

#include <gtest/gtest.h>

#include <array>

namespace overcast::net {
namespace {

TEST(Vxlan, WritesRfc7348Header) {
  std::array<uint8_t, 8> h;
  h.fill(0xee);
  write_vxlan_header(h.data(), 0x123456);
  EXPECT_EQ(h, (std::array<uint8_t, 8>{0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0}));
  const auto* v = header_at<VxlanHeader>(h.data());
  EXPECT_TRUE(v->is_well_formed());
  EXPECT_EQ(v->vni_value(), 0x123456u);
}

TEST(Vxlan, VniKeepsLow24Bits) {
  std::array<uint8_t, 8> h{};
  write_vxlan_header(h.data(), 0xff000001);
  EXPECT_EQ(header_at<VxlanHeader>(h.data())->vni_value(), 1u);
}

TEST(Vxlan, AnyOtherFlagOrReservedBitIsMalformed) {
  for (size_t byte : {0, 1, 2, 3, 7}) {
    for (int bit = 0; bit < 8; ++bit) {
      std::array<uint8_t, 8> h{};
      write_vxlan_header(h.data(), 42);
      h[byte] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(header_at<VxlanHeader>(h.data())->is_well_formed()) << "byte " << byte << " bit " << bit;
    }
  }
}

}  // namespace
}  // namespace overcast::net

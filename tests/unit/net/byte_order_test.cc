#include "net/byte_order.h"

#include <gtest/gtest.h>

#include <cstring>
#include <type_traits>

namespace overcast::net {
namespace {

TEST(ByteOrder, Be16StoresNetworkOrder) {
  be16 v = be16::from_host(0x1234);
  uint8_t raw[2];
  std::memcpy(raw, &v, 2);
  EXPECT_EQ(raw[0], 0x12);
  EXPECT_EQ(raw[1], 0x34);
  EXPECT_EQ(v.host(), 0x1234);
}

TEST(ByteOrder, Be32StoresNetworkOrder) {
  be32 v = be32::from_host(0x0a000001);
  uint8_t raw[4];
  std::memcpy(raw, &v, 4);
  EXPECT_EQ(raw[0], 0x0a);
  EXPECT_EQ(raw[3], 0x01);
  EXPECT_EQ(v.host(), 0x0a000001u);
}

TEST(ByteOrder, DoesNotConvertSilentlyToHostIntegers) {
  static_assert(!std::is_convertible_v<be16, uint16_t>);
  static_assert(!std::is_convertible_v<uint16_t, be16>);
  static_assert(!std::is_convertible_v<be32, uint32_t>);
  static_assert(!std::is_convertible_v<uint32_t, be32>);
  SUCCEED();
}

}  // namespace
}  // namespace overcast::net

#include <gtest/gtest.h>

#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast {
namespace {

TEST(MacAddress, ParsesAndFormats) {
  auto mac = MacAddress::parse("FA:16:3e:00:0a:ff");
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->to_string(), "fa:16:3e:00:0a:ff");
  EXPECT_FALSE(mac->is_multicast());
  EXPECT_TRUE(MacAddress::parse("01:00:5e:00:00:01")->is_multicast());
  EXPECT_TRUE(MacAddress::broadcast().is_broadcast());
}

TEST(MacAddress, RejectsMalformed) {
  for (const char* text : {"", "fa:16:3e:00:0a", "fa:16:3e:00:0a:fg", "fa:16-3e:00:0a:ff",
                           "fa:16:3e:00:0a:ff:00", "fa163e000aff"}) {
    EXPECT_FALSE(MacAddress::parse(text)) << text;
  }
}

TEST(IpAddress, ParsesBothFamilies) {
  auto v4 = IpAddress::parse("10.0.0.1");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->is_v4());
  EXPECT_EQ(v4->v4().value, 0x0a000001u);
  auto v6 = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->version(), 6);
  EXPECT_EQ(v6->to_string(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::parse("10.0.0.256"));
  EXPECT_FALSE(IpAddress::parse("1.2.3"));
  EXPECT_FALSE(IpAddress::parse("gg::1"));
}

TEST(IpPrefix, NetworkAndContainment) {
  auto net = IpPrefix::parse("10.0.0.0/24");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->is_network());
  EXPECT_TRUE(net->contains(*IpAddress::parse("10.0.0.77")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("10.0.1.1")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("2001:db8::1")));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/24")->is_network());
  EXPECT_TRUE(IpPrefix::parse("2001:db8::/64")->is_network());
  EXPECT_FALSE(IpPrefix::parse("2001:db8::1/64")->is_network());
  for (const char* text : {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "x/8",
                           "2001:db8::/129", "10.0.0.0/2a"}) {
    EXPECT_FALSE(IpPrefix::parse(text)) << text;
  }
}

}  // namespace
}  // namespace overcast

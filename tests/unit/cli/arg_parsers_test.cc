#include "cli/main/arg_parsers.h"

#include <gtest/gtest.h>

namespace overcast::cli {
namespace {

TEST(FixedIpTest, SubnetAndIp) {
  std::string error;
  auto spec = parse_fixed_ip("subnet=web-v4,ip=10.0.0.5", error);
  ASSERT_TRUE(spec) << error;
  EXPECT_EQ(spec->subnet, "web-v4");
  EXPECT_EQ(spec->ip, "10.0.0.5");
}

TEST(FixedIpTest, EitherKeyAloneAndOpenstackSpelling) {
  std::string error;
  auto ip_only = parse_fixed_ip("ip-address=2001:db8::5", error);
  ASSERT_TRUE(ip_only) << error;
  EXPECT_EQ(ip_only->subnet, "");
  EXPECT_EQ(ip_only->ip, "2001:db8::5");
  auto subnet_only = parse_fixed_ip("subnet=s1", error);
  ASSERT_TRUE(subnet_only) << error;
  EXPECT_EQ(subnet_only->subnet, "s1");
  EXPECT_EQ(subnet_only->ip, "");
}

TEST(FixedIpTest, RejectsMalformed) {
  for (const char* bad : {"", "10.0.0.5", "ip=", "ip=10.0.0.300", "mac=aa",
                          "ip=10.0.0.1,ip=10.0.0.2", "subnet=a,", "subnet=a,,ip=10.0.0.1"}) {
    std::string error;
    EXPECT_FALSE(parse_fixed_ip(bad, error)) << bad;
    EXPECT_NE(error.find("--fixed-ip"), std::string::npos) << bad << ": " << error;
  }
}

TEST(AllocationPoolTest, ParsesRange) {
  std::string error;
  auto pool = parse_allocation_pool("10.0.0.10-10.0.0.99", error);
  ASSERT_TRUE(pool) << error;
  EXPECT_EQ(*pool, nlohmann::json({{"start", "10.0.0.10"}, {"end", "10.0.0.99"}}));
}

TEST(AllocationPoolTest, RejectsBadRanges) {
  for (const char* bad : {"10.0.0.10", "10.0.0.99-10.0.0.10", "10.0.0.1-2001:db8::1", "a-b"}) {
    std::string error;
    EXPECT_FALSE(parse_allocation_pool(bad, error)) << bad;
    EXPECT_NE(error.find("--pool"), std::string::npos) << error;
  }
}

TEST(GatewayTest, NoneIsNullAndIpIsString) {
  std::string error;
  auto none = parse_gateway("none", error);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->is_null());
  auto ip = parse_gateway("10.0.0.1", error);
  ASSERT_TRUE(ip);
  EXPECT_EQ(*ip, "10.0.0.1");
  EXPECT_FALSE(parse_gateway("gateway.example", error));
  EXPECT_NE(error.find("none"), std::string::npos);
}

}  // namespace
}  // namespace overcast::cli

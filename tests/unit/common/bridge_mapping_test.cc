// Bridge mappings "physnet:iface": what the agent accepts and the controller checks.
#include "common/bridge_mapping.h"

#include <gtest/gtest.h>

namespace overcast {
namespace {

TEST(BridgeMapping, SplitsPhysnetAndInterface) {
  std::string error;
  auto mapping = parse_bridge_mapping("physnet1:eth1", error);
  ASSERT_TRUE(mapping) << error;
  EXPECT_EQ(mapping->physical_network, "physnet1");
  EXPECT_EQ(mapping->interface, "eth1");
  // The longest Linux interface name (15) is fine.
  EXPECT_TRUE(parse_bridge_mapping("provider:abcdefghijklmno", error)) << error;
}

TEST(BridgeMapping, RefusesWhatIsNotPhysnetColonInterface) {
  for (const char* bad : {"", "physnet1", ":eth1", "physnet1:", "phys net:eth1", "physnet1:eth 1",
                          "physnet1:abcdefghijklmnop", "physnet1:eth/1", "physnet1:eth1:2", "p:.", "p:.."}) {
    std::string error;
    EXPECT_FALSE(parse_bridge_mapping(bad, error)) << bad;
    EXPECT_NE(error.find("bridge mapping"), std::string::npos) << bad << ": " << error;
  }
  std::string error;
  EXPECT_FALSE(parse_bridge_mapping(std::string(65, 'p') + ":eth1", error));
}

}  // namespace
}  // namespace overcast

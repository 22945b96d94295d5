// overcast port create/set with the port-security flags (the openstack client's names):
// the fields they send, and the typos refused before any request.
#include "cli_fixture.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::CliCommandsTest;
using testing::kNetId;

constexpr const char* kGroupId = "66666666-6666-6666-6666-666666666666";

class PortSecurityCommandsTest : public CliCommandsTest {
 protected:
  void know_group_web() {
    server.on("GET /v2.0/security-groups?name=web", 200,
              {{"security_groups", json::array({{{"id", kGroupId}, {"name", "web"}}})}});
  }
  void know_port_p1() {
    server.on("GET /v2.0/ports/p1", 200, {{"port", {{"id", "p1"}}}});
    server.on("PUT /v2.0/ports/p1", 200, {{"port", {{"id", "p1"}}}});
  }
};

TEST_F(PortSecurityCommandsTest, DisablingPortSecurityAlsoClearsTheGroups) {
  know_network_web();
  server.on("POST /v2.0/ports", 201, {{"port", {{"id", "p1"}}}});
  EXPECT_EQ(run({"port", "create", "vm1", "--network", "web", "--disable-port-security"}), kExitOk) << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(), json({{"port",
                                    {{"name", "vm1"},
                                     {"network_id", kNetId},
                                     {"security_groups", json::array()},
                                     {"port_security_enabled", false}}}}));
}

TEST_F(PortSecurityCommandsTest, GroupsByNameAndAllowedAddressPairs) {
  know_network_web();
  know_group_web();
  server.on("POST /v2.0/ports", 201, {{"port", {{"id", "p1"}}}});
  EXPECT_EQ(run({"port", "create", "vm1", "--network", "web", "--enable-port-security", "--security-group", "web",
                 "--allowed-address", "ip-address=10.0.0.100,mac-address=FA:16:3E:00:00:09", "--allowed-address",
                 "ip-address=10.1.0.0/24"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(),
            json({{"port",
                   {{"name", "vm1"},
                    {"network_id", kNetId},
                    {"allowed_address_pairs", json::array({{{"ip_address", "10.0.0.100"}, {"mac_address", "fa:16:3e:00:00:09"}},
                                                           {{"ip_address", "10.1.0.0/24"}}})},
                    {"security_groups", json::array({kGroupId})},
                    {"port_security_enabled", true}}}}));
}

TEST_F(PortSecurityCommandsTest, SetClearsGroupsAndPairs) {
  know_port_p1();
  EXPECT_EQ(run({"port", "set", "p1", "--no-security-group", "--no-allowed-address"}), kExitOk) << err;
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].json(),
            json({{"port", {{"allowed_address_pairs", json::array()}, {"security_groups", json::array()}}}}));
}

TEST_F(PortSecurityCommandsTest, SetReenablesWithAGroup) {
  know_port_p1();
  know_group_web();
  EXPECT_EQ(run({"port", "set", "p1", "--enable-port-security", "--security-group", "web"}), kExitOk) << err;
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].json(),
            json({{"port", {{"security_groups", json::array({kGroupId})}, {"port_security_enabled", true}}}}));
}

TEST_F(PortSecurityCommandsTest, MalformedAllowedAddressIsAUsageErrorBeforeAnyRequest) {
  for (const char* bad : {"10.0.0.100", "ip-address=10.0.0.1,mac-address=ff:ff:ff:ff:ff:ff",
                          "mac-address=fa:16:3e:00:00:01", "ip-address=10.0.0.1,colour=blue", "ip-address="}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(run({"port", "set", "p1", "--allowed-address", bad}), kExitUsage);
    EXPECT_NE(err.find("--allowed-address"), std::string::npos) << err;
  }
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(run({"port", "set", "p1", "--enable-port-security", "--disable-port-security"}), kExitUsage);
  EXPECT_EQ(run({"port", "set", "p1", "--security-group", "web", "--no-security-group"}), kExitUsage);
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace overcast::cli

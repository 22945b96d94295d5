// The commands run in-process (run_cli) against a scripted fake API: what each command line
// sends, what it prints, and how it exits.
#include "cli_fixture.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::CliCommandsTest;
using testing::FakeNeutronServer;
using testing::kNetId;
using testing::kSubnetId;

TEST_F(CliCommandsTest, NetworkListPrintsTable) {
  server.on("GET /v2.0/networks", 200,
            {{"networks", json::array({{{"id", "n1"},
                                        {"name", "web"},
                                        {"provider:segmentation_id", 1001},
                                        {"mtu", 1450},
                                        {"subnets", json::array({"s1", "s2"})},
                                        {"project_id", "demo"}}})}});
  EXPECT_EQ(run({"network", "list"}), kExitOk) << err;
  EXPECT_EQ(out,
            "+----+------+------+------+---------+---------+\n"
            "| ID | Name | VNI  | MTU  | Subnets | Project |\n"
            "+----+------+------+------+---------+---------+\n"
            "| n1 | web  | 1001 | 1450 | s1      | demo    |\n"
            "|    |      |      |      | s2      |         |\n"
            "+----+------+------+------+---------+---------+\n");
  EXPECT_EQ(err, "");
}

TEST_F(CliCommandsTest, JsonFormatPrintsTheApiList) {
  const json networks = json::array({{{"id", "n1"}, {"name", "web"}}});
  server.on("GET /v2.0/networks", 200, {{"networks", networks}});
  // The global option also works after the command.
  EXPECT_EQ(run({"network", "list", "-f", "json"}), kExitOk) << err;
  EXPECT_EQ(json::parse(out), networks);
}

TEST_F(CliCommandsTest, NetworkCreateSendsProviderAttributes) {
  server.on("POST /v2.0/networks", 201, {{"network", {{"id", "n1"}, {"name", "web"}}}});
  EXPECT_EQ(run({"network", "create", "web", "--vni", "5001", "--mtu", "1400", "--project",
                 "demo", "--disable"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(), json({{"network",
                                    {{"name", "web"},
                                     {"provider:network_type", "vxlan"},
                                     {"provider:segmentation_id", 5001},
                                     {"mtu", 1400},
                                     {"project_id", "demo"},
                                     {"admin_state_up", false}}}}));
  EXPECT_NE(out.find("| name  | web"), std::string::npos) << out;
}

TEST_F(CliCommandsTest, NetworkCreateRefusesOutOfRangeVniWithoutCallingTheApi) {
  EXPECT_EQ(run({"network", "create", "web", "--vni", "16777216"}), kExitUsage);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_NE(err.find("error: "), std::string::npos) << err;
}

TEST_F(CliCommandsTest, SubnetCreateMapsEveryOption) {
  know_network_web();
  server.on("POST /v2.0/subnets", 201, {{"subnet", {{"id", kSubnetId}}}});
  EXPECT_EQ(run({"subnet", "create", "web-v4", "--network", "web", "--cidr", "10.0.0.0/24",
                 "--gateway", "none", "--pool", "10.0.0.10-10.0.0.99", "--pool",
                 "10.0.0.200-10.0.0.250", "--no-dhcp", "--dns", "10.0.0.2", "--project", "demo"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(),
            json({{"subnet",
                   {{"name", "web-v4"},
                    {"network_id", kNetId},
                    {"cidr", "10.0.0.0/24"},
                    {"ip_version", 4},
                    {"gateway_ip", nullptr},
                    {"allocation_pools",
                     json::array({{{"start", "10.0.0.10"}, {"end", "10.0.0.99"}},
                                  {{"start", "10.0.0.200"}, {"end", "10.0.0.250"}}})},
                    {"enable_dhcp", false},
                    {"dns_nameservers", json::array({"10.0.0.2"})},
                    {"project_id", "demo"}}}}));
}

TEST_F(CliCommandsTest, SubnetCreateBadCidrIsUsageErrorBeforeAnyRequest) {
  EXPECT_EQ(run({"subnet", "create", "s", "--network", "web", "--cidr", "10.0.0.0/33"}),
            kExitUsage);
  EXPECT_EQ(err, "error: --cidr '10.0.0.0/33' is not a prefix like 10.0.0.0/24\n");
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(CliCommandsTest, PortCreateResolvesNamesInFixedIps) {
  know_network_web();
  know_subnet_web_v4();
  server.on("POST /v2.0/ports", 201, {{"port", {{"id", "p1"}}}});
  EXPECT_EQ(run({"port", "create", "vm1", "--network", "web", "--mac", "FA:16:3E:00:00:01",
                 "--fixed-ip", "subnet=web-v4,ip=10.0.0.5", "--fixed-ip", "ip=10.0.0.6",
                 "--host", "hv1"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json(),
            json({{"port",
                   {{"name", "vm1"},
                    {"network_id", kNetId},
                    {"mac_address", "fa:16:3e:00:00:01"},
                    {"fixed_ips",
                     json::array({{{"subnet_id", kSubnetId}, {"ip_address", "10.0.0.5"}},
                                  {{"ip_address", "10.0.0.6"}}})},
                    {"binding:host_id", "hv1"}}}}));
}

TEST_F(CliCommandsTest, PortCreateBadFixedIpIsUsageError) {
  EXPECT_EQ(run({"port", "create", "vm1", "--network", "web", "--fixed-ip", "ip=10.0.0.300"}),
            kExitUsage);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_NE(err.find("--fixed-ip address '10.0.0.300' is not an IP address"), std::string::npos)
      << err;
}

TEST_F(CliCommandsTest, PortListFiltersAndShowsNetworkNames) {
  know_network_web();
  const std::string query = std::string("GET /v2.0/ports?network_id=") + kNetId +
                            "&binding%3Ahost_id=hv1";
  server.on(query, 200,
            {{"ports", json::array({{{"id", "p1"},
                                     {"name", "vm1"},
                                     {"network_id", kNetId},
                                     {"mac_address", "fa:16:3e:00:00:01"},
                                     {"fixed_ips", json::array({{{"subnet_id", kSubnetId},
                                                                 {"ip_address", "10.0.0.5"}}})},
                                     {"binding:host_id", "hv1"},
                                     {"status", "ACTIVE"}}})}});
  server.on("GET /v2.0/networks", 200,
            {{"networks", json::array({{{"id", kNetId}, {"name", "web"}}})}});
  EXPECT_EQ(run({"port", "list", "--network", "web", "--host", "hv1"}), kExitOk) << err;
  EXPECT_EQ(out,
            "+----+------+---------+-------------------+-----------+------+--------+\n"
            "| ID | Name | Network | MAC               | Fixed IPs | Host | Status |\n"
            "+----+------+---------+-------------------+-----------+------+--------+\n"
            "| p1 | vm1  | web     | fa:16:3e:00:00:01 | 10.0.0.5  | hv1  | ACTIVE |\n"
            "+----+------+---------+-------------------+-----------+------+--------+\n");
}

TEST_F(CliCommandsTest, PortSetSendsOnlyTheChanges) {
  server.on("GET /v2.0/ports/p1", 200, {{"port", {{"id", "p1"}}}});
  server.on("PUT /v2.0/ports/p1", 200, {{"port", {{"id", "p1"}}}});
  EXPECT_EQ(run({"port", "set", "p1", "--host", "hv2", "--disable"}), kExitOk) << err;
  auto puts = sent("PUT");
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].json(),
            json({{"port", {{"binding:host_id", "hv2"}, {"admin_state_up", false}}}}));
}

TEST_F(CliCommandsTest, SetWithNothingToChangeIsUsageError) {
  EXPECT_EQ(run({"network", "set", "web"}), kExitUsage);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(run({"network", "set", "web", "--enable", "--disable"}), kExitUsage);
}

TEST_F(CliCommandsTest, ShowPrintsFieldValueTable) {
  server.on("GET /v2.0/networks/n1", 200,
            {{"network", {{"id", "n1"}, {"name", "web"}, {"admin_state_up", true}}}});
  EXPECT_EQ(run({"network", "show", "n1"}), kExitOk) << err;
  EXPECT_EQ(out,
            "+----------------+-------+\n"
            "| Field          | Value |\n"
            "+----------------+-------+\n"
            "| admin_state_up | True  |\n"
            "| id             | n1    |\n"
            "| name           | web   |\n"
            "+----------------+-------+\n");
}

TEST_F(CliCommandsTest, NotFoundIsApiRefusal) {
  server.on("GET /v2.0/networks?name=ghost", 200, {{"networks", json::array()}});
  EXPECT_EQ(run({"network", "show", "ghost"}), kExitApiRefused);
  EXPECT_EQ(err, "error: no network with name or ID 'ghost'\n");
  EXPECT_EQ(out, "");
}

TEST_F(CliCommandsTest, ApiValidationErrorIsPrinted) {
  know_network_web();
  server.on("POST /v2.0/subnets", 409,
            FakeNeutronServer::error_body("OverlappingSubnet", "10.0.0.0/24 overlaps subnet s1"));
  EXPECT_EQ(run({"subnet", "create", "s2", "--network", "web", "--cidr", "10.0.0.0/24"}),
            kExitApiRefused);
  EXPECT_EQ(err, "error: 10.0.0.0/24 overlaps subnet s1\n");
}

TEST_F(CliCommandsTest, ServerFailureIsUnavailable) {
  server.on("GET /v2.0/agents", 500, FakeNeutronServer::error_body("Internal", "store is down"));
  EXPECT_EQ(run({"host", "list"}), kExitUnavailable);
  EXPECT_EQ(err, "error: store is down\n");
}

TEST_F(CliCommandsTest, DeleteContinuesPastFailuresAndReportsTheWorst) {
  know_network_web();
  server.on("GET /v2.0/networks?name=ghost", 200, {{"networks", json::array()}});
  server.on(std::string("DELETE /v2.0/networks/") + kNetId, 204, nullptr);
  EXPECT_EQ(run({"network", "delete", "ghost", "web"}), kExitApiRefused);
  EXPECT_EQ(err, "error: no network with name or ID 'ghost'\n");
  EXPECT_EQ(out, std::string("Deleted network web (") + kNetId + ")\n");
  EXPECT_EQ(sent("DELETE").size(), 1u);
}

TEST_F(CliCommandsTest, VersionShowsCliAndControllerVersions) {
  const json self_link = {{"rel", "self"}, {"href", "http://x/v2.0/"}};
  server.on("GET /", 200,
            {{"versions", json::array({{{"id", "v2.0"},
                                        {"status", "CURRENT"},
                                        {"links", json::array({self_link})}}})}});
  EXPECT_EQ(run({"version"}), kExitOk) << err;
  EXPECT_NE(out.find("overcast CLI "), std::string::npos) << out;
  EXPECT_NE(out.find("| v2.0    | CURRENT | http://x/v2.0/ |"), std::string::npos) << out;
}

TEST_F(CliCommandsTest, UsageErrors) {
  EXPECT_EQ(run({}), kExitUsage);
  EXPECT_EQ(run({"network"}), kExitUsage);
  EXPECT_EQ(run({"network", "frobnicate"}), kExitUsage);
  EXPECT_EQ(run({"network", "show"}), kExitUsage);
  EXPECT_EQ(run({"-f", "yaml", "network", "list"}), kExitUsage);
  EXPECT_EQ(run({"subnet", "create", "s"}), kExitUsage);  // --network, --cidr missing
  EXPECT_TRUE(server.requests().empty());
  EXPECT_NE(err.find("error: "), std::string::npos) << err;
}

TEST_F(CliCommandsTest, HelpDocumentsExitCodes) {
  EXPECT_EQ(run({"--help"}), kExitOk);
  EXPECT_NE(out.find("Exit codes: 0 ok; 1 the API refused"), std::string::npos) << out;
  EXPECT_EQ(run({"port", "create", "--help"}), kExitOk);
  EXPECT_NE(out.find("--fixed-ip"), std::string::npos) << out;
}

TEST_F(CliCommandsTest, RepeatableOptionTakesOneValueEach) {
  // `--fixed-ip X vm1`: vm1 is the port's name, not a second fixed IP.
  know_network_web();
  server.on("POST /v2.0/ports", 201, {{"port", {{"id", "p1"}}}});
  EXPECT_EQ(run({"port", "create", "--fixed-ip", "ip=10.0.0.6", "vm1", "--network", "web"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json()["port"]["name"], "vm1");
  EXPECT_EQ(posts[0].json()["port"]["fixed_ips"], json::array({{{"ip_address", "10.0.0.6"}}}));
}

TEST(CliEndpointTest, MalformedEndpointIsUsageError) {
  const char* argv[] = {"overcast", "--endpoint", "ftp://controller", "network", "list"};
  std::ostringstream out, err;
  EXPECT_EQ(run_cli(5, argv, out, err), kExitUsage);
  EXPECT_NE(err.str().find("scheme must be http or https"), std::string::npos) << err.str();
}

TEST(CliTransportTest, UnreachableControllerIsUnavailable) {
  const std::string endpoint =
      "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port());
  const char* argv[] = {"overcast", "--endpoint", endpoint.c_str(), "network", "list"};
  std::ostringstream out, err;
  EXPECT_EQ(run_cli(5, argv, out, err), kExitUnavailable);
  EXPECT_EQ(err.str().rfind("error: cannot reach the controller at " + endpoint, 0), 0u)
      << err.str();
}

}  // namespace
}  // namespace overcast::cli

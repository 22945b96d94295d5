// overcast host list | show | create | delete against the scripted fake API.
#include "cli_fixture.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::CliCommandsTest;

using HostCommandsTest = CliCommandsTest;

const json kStaticVtep = {{"id", "s1"},
                          {"host", "kvm1"},
                          {"agent_type", "Static VTEP"},
                          {"alive", true},
                          {"heartbeat_timestamp", nullptr},
                          {"configurations",
                           {{"tunneling_ip", "172.16.1.50"}, {"tunnel_types", json::array({"vxlan"})}}}};

TEST_F(HostCommandsTest, ListShowsTheTypeOfEachHost) {
  server.on("GET /v2.0/agents", 200,
            {{"agents", json::array({{{"id", "a1"},
                                      {"host", "hv1"},
                                      {"agent_type", "Overcast agent"},
                                      {"alive", true},
                                      {"heartbeat_timestamp", "2026-01-01 10:00:00"},
                                      {"configurations",
                                       {{"tunneling_ip", "192.0.2.11"},
                                        {"tunnel_types", json::array({"vxlan"})}}}},
                                     kStaticVtep})}});
  EXPECT_EQ(run({"host", "list"}), kExitOk) << err;
  EXPECT_EQ(out,
            "+------+--------+-------------+-------+----------------+---------------------+----+\n"
            "| Host | Type   | Underlay IP | Alive | Encapsulations | Heartbeat           | ID |\n"
            "+------+--------+-------------+-------+----------------+---------------------+----+\n"
            "| hv1  | agent  | 192.0.2.11  | yes   | vxlan          | 2026-01-01 10:00:00 | a1 |\n"
            "| kvm1 | static | 172.16.1.50 | yes   | vxlan          |                     | s1 |\n"
            "+------+--------+-------------+-------+----------------+---------------------+----+\n");
}

TEST_F(HostCommandsTest, ShowLooksUpByHostName) {
  server.on("GET /v2.0/agents?host=hv1", 200,
            {{"agents", json::array({{{"id", "a1"}, {"host", "hv1"}}})}});
  EXPECT_EQ(run({"host", "show", "hv1", "-f", "json"}), kExitOk) << err;
  EXPECT_EQ(json::parse(out), json({{"id", "a1"}, {"host", "hv1"}}));
}

TEST_F(HostCommandsTest, ShowUnknownHostSaysSo) {
  server.on("GET /v2.0/agents?host=hv9", 200, {{"agents", json::array()}});
  EXPECT_EQ(run({"host", "show", "hv9"}), kExitApiRefused);
  EXPECT_EQ(err,
            "error: no host 'hv9': no agent has registered and no static VTEP is declared under "
            "that name or ID\n");
}

TEST_F(HostCommandsTest, CreateDeclaresAStaticVtep) {
  server.on("POST /v2.0/agents", 201, {{"agent", kStaticVtep}});
  EXPECT_EQ(run({"host", "create", "kvm1", "--underlay-ip", "172.16.1.50", "-f", "json"}), kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].target, "/v2.0/agents");
  EXPECT_EQ(posts[0].json(),
            json({{"agent",
                   {{"host", "kvm1"},
                    {"agent_type", "Static VTEP"},
                    {"configurations",
                     {{"tunneling_ip", "172.16.1.50"}, {"tunnel_types", json::array({"vxlan"})}}}}}}));
  EXPECT_EQ(json::parse(out), kStaticVtep);
}

TEST_F(HostCommandsTest, CreatePassesDescriptionAndAdminState) {
  server.on("POST /v2.0/agents", 201, {{"agent", kStaticVtep}});
  EXPECT_EQ(run({"host", "create", "kvm1", "--underlay-ip", "172.16.1.50", "--description", "rack 4",
                 "--disable"}),
            kExitOk)
      << err;
  auto posts = sent("POST");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json()["agent"]["description"], "rack 4");
  EXPECT_EQ(posts[0].json()["agent"]["admin_state_up"], false);
}

TEST_F(HostCommandsTest, CreateRefusesANonIpv4UnderlayBeforeAnyRequest) {
  EXPECT_EQ(run({"host", "create", "kvm1", "--underlay-ip", "2001:db8::5"}), kExitUsage);
  EXPECT_EQ(err, "error: host create: --underlay-ip '2001:db8::5' is not an IPv4 address\n");
  EXPECT_EQ(run({"host", "create", "kvm1", "--underlay-ip", "172.16.1.500"}), kExitUsage);
  EXPECT_EQ(run({"host", "create", "kvm1"}), kExitUsage);  // --underlay-ip is required
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HostCommandsTest, CreateReportsTheControllersRefusal) {
  server.on("POST /v2.0/agents", 409,
            testing::FakeNeutronServer::error_body("UnderlayIpInUse",
                                                   "Underlay IP 172.16.1.50 is already used by host hv1."));
  EXPECT_EQ(run({"host", "create", "kvm1", "--underlay-ip", "172.16.1.50"}), kExitApiRefused);
  EXPECT_EQ(err, "error: Underlay IP 172.16.1.50 is already used by host hv1.\n");
}

TEST_F(HostCommandsTest, DeleteResolvesHostNamesAndReportsFailures) {
  server.on("GET /v2.0/agents?host=kvm1", 200, {{"agents", json::array({kStaticVtep})}});
  server.on("GET /v2.0/agents?host=ghost", 200, {{"agents", json::array()}});
  server.on("DELETE /v2.0/agents/s1", 204, nullptr);
  EXPECT_EQ(run({"host", "delete", "ghost", "kvm1"}), kExitApiRefused);
  EXPECT_NE(err.find("no host 'ghost'"), std::string::npos) << err;
  EXPECT_EQ(out, "Deleted host kvm1 (s1)\n");
  auto deletes = sent("DELETE");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].target, "/v2.0/agents/s1");
}

TEST_F(HostCommandsTest, DeleteOfAHostWithPortsShowsTheConflict) {
  server.on("GET /v2.0/agents?host=kvm1", 200, {{"agents", json::array({kStaticVtep})}});
  server.on("DELETE /v2.0/agents/s1", 409,
            testing::FakeNeutronServer::error_body("StaticVtepInUse", "1 port(s) are bound to it"));
  EXPECT_EQ(run({"host", "delete", "kvm1"}), kExitApiRefused);
  EXPECT_EQ(err, "error: 1 port(s) are bound to it\n");
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace overcast::cli

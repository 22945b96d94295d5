// Security groups in the view: which hosts get "sg/" and "sgm/" entries, that a rule
// change reaches only the hosts of the group's ports, and that a port joining or
// leaving a group reaches the hosts whose rules reference that group.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

SecurityGroupRuleFacts rule(const std::string& id, const std::string& direction, const std::string& protocol = "",
                            const std::string& prefix = "", const std::string& remote_group = "") {
  SecurityGroupRuleFacts r;
  r.id = id;
  r.direction = direction;
  r.protocol = protocol;
  r.remote_ip_prefix = prefix;
  r.remote_group_id = remote_group;
  return r;
}

PortFacts member(const std::string& id, const std::string& host, const std::string& ip,
                 std::vector<std::string> groups) {
  PortFacts p = port(id, "A", host, "fa:16:3e:00:00:01", {ip});
  p.security_groups = std::move(groups);
  return p;
}

std::vector<std::string> addresses_of(const View& view, const std::string& group) {
  const auto& a = view.at("sgm/" + group).security_group_members().addresses();
  return {a.begin(), a.end()};
}

// Group "def" (ingress from its own members, all egress) and "web" (TCP 80 from a
// prefix). p1 on hv1 and p2 on hv2 are in def; p3 on hv3 in web only.
class ViewSecurityGroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100)};
    changes.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3")};
    changes.security_groups = {
        SecurityGroupFacts{"def", {rule("r1", "ingress", "", "", "def"), rule("r2", "egress")}},
        SecurityGroupFacts{"web", {rule("r3", "ingress", "tcp", "198.51.100.0/24")}}};
    changes.ports = {member("p1", "hv1", "10.1.0.1", {"def"}), member("p2", "hv2", "10.1.0.2", {"def"}),
                     member("p3", "hv3", "10.1.0.3", {"web"})};
    compiler.apply(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
};

TEST_F(ViewSecurityGroupTest, HostsGetTheirPortsGroupsAndTheMembersTheirRulesReference) {
  const View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_THAT(keys_of(hv1), Contains("sg/def"));
  EXPECT_THAT(keys_of(hv1), Not(Contains("sg/web")));
  EXPECT_THAT(addresses_of(hv1, "def"), ElementsAre("10.1.0.1", "10.1.0.2"));
  const auto& rules = hv1.at("sg/def").security_group().rules();
  ASSERT_EQ(rules.size(), 2);
  EXPECT_EQ(rules[0].rule_id(), "r1");
  EXPECT_EQ(rules[0].direction(), "ingress");
  EXPECT_EQ(rules[0].remote_group_id(), "def");
  EXPECT_FALSE(rules[0].has_port_range_min());
  const auto& lport = hv1.at("lport/p1").local_port();
  EXPECT_THAT(std::vector<std::string>(lport.security_groups().begin(), lport.security_groups().end()),
              ElementsAre("def"));

  const View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_THAT(keys_of(hv3), Contains("sg/web"));
  EXPECT_THAT(keys_of(hv3), Not(Contains("sg/def")));
  EXPECT_THAT(keys_of(hv3), Not(Contains("sgm/def")));  // web references no group
  EXPECT_EQ(hv3.at("sg/web").security_group().rules(0).remote_ip_prefix(), "198.51.100.0/24");
}

TEST_F(ViewSecurityGroupTest, ARuleChangeReachesOnlyTheHostsOfTheGroupsPorts) {
  ChangeSet changes;
  SecurityGroupRuleFacts http = rule("r4", "ingress", "tcp", "0.0.0.0/0");
  http.port_range_min = 80;
  http.port_range_max = 80;
  changes.security_groups = {SecurityGroupFacts{"web", {rule("r3", "ingress", "tcp", "198.51.100.0/24"), http}}};
  const auto deltas = compiler.apply_changes(changes);
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].host, "hv3");
  EXPECT_THAT(upsert_keys(deltas[0].delta), ElementsAre("sg/web"));
  const auto& r4 = deltas[0].delta.upserts(0).security_group().rules(1);
  EXPECT_EQ(r4.port_range_min(), 80);
  EXPECT_EQ(r4.port_range_max(), 80);

  // The same facts again change nothing.
  EXPECT_THAT(compiler.apply_changes(changes), IsEmpty());
}

TEST_F(ViewSecurityGroupTest, APortJoiningAGroupReachesTheHostsThatReferenceIt) {
  ChangeSet changes;
  changes.ports = {member("p3", "hv3", "10.1.0.3", {"web", "def"})};
  const auto deltas = compiler.apply_changes(changes);
  // hv1 and hv2 reference def (rule r1): their member lists grow; hv3 gains def's entries.
  for (const std::string h : {"hv1", "hv2"}) {
    auto d = delta_for(deltas, h);
    ASSERT_TRUE(d.has_value()) << h;
    EXPECT_THAT(upsert_keys(*d), Contains("sgm/def")) << h;
  }
  EXPECT_THAT(addresses_of(view_of(compiler.snapshot("hv1")), "def"),
              ElementsAre("10.1.0.1", "10.1.0.2", "10.1.0.3"));
  const View hv3 = view_of(compiler.snapshot("hv3"));
  EXPECT_THAT(keys_of(hv3), Contains("sg/def"));
  EXPECT_THAT(addresses_of(hv3, "def"), ElementsAre("10.1.0.1", "10.1.0.2", "10.1.0.3"));

  // Leaving again: hv3 loses def's entries, the others' lists shrink.
  changes.ports = {member("p3", "hv3", "10.1.0.3", {"web"})};
  const auto back = compiler.apply_changes(changes);
  auto d3 = delta_for(back, "hv3");
  ASSERT_TRUE(d3.has_value());
  EXPECT_THAT(removal_keys(*d3), Contains("sg/def"));
  EXPECT_THAT(removal_keys(*d3), Contains("sgm/def"));
  EXPECT_THAT(addresses_of(view_of(compiler.snapshot("hv2")), "def"), ElementsAre("10.1.0.1", "10.1.0.2"));
}

TEST_F(ViewSecurityGroupTest, PortSecurityOffMeansNoFilteringAndNoMembership) {
  ChangeSet changes;
  PortFacts off = member("p2", "hv2", "10.1.0.2", {"def"});
  off.port_security_enabled = false;
  changes.ports = {off};
  compiler.apply(changes);
  const View hv2 = view_of(compiler.snapshot("hv2"));
  EXPECT_THAT(keys_of(hv2), Not(Contains("sg/def")));
  EXPECT_THAT(hv2.at("lport/p2").local_port().security_groups(), IsEmpty());
  EXPECT_THAT(addresses_of(view_of(compiler.snapshot("hv1")), "def"), ElementsAre("10.1.0.1"));
}

TEST_F(ViewSecurityGroupTest, AllowedAddressPairsAreMembersAndRemovalsClearEntries) {
  ChangeSet changes;
  PortFacts p2 = member("p2", "hv2", "10.1.0.2", {"def"});
  p2.allowed_address_pairs = {{"10.1.0.200", "fa:16:3e:00:00:01"}};
  changes.ports = {p2};
  compiler.apply(changes);
  EXPECT_THAT(addresses_of(view_of(compiler.snapshot("hv1")), "def"),
              ElementsAre("10.1.0.1", "10.1.0.2", "10.1.0.200"));

  ChangeSet removal;
  removal.removed_ports = {"p2"};
  const auto deltas = compiler.apply_changes(removal);
  auto d2 = delta_for(deltas, "hv2");
  ASSERT_TRUE(d2.has_value());
  EXPECT_THAT(removal_keys(*d2), Contains("sg/def"));
  EXPECT_THAT(addresses_of(view_of(compiler.snapshot("hv1")), "def"), ElementsAre("10.1.0.1"));

  ChangeSet gone;
  gone.removed_security_groups = {"web"};
  const auto deltas3 = compiler.apply_changes(gone);
  auto d3 = delta_for(deltas3, "hv3");
  ASSERT_TRUE(d3.has_value());
  EXPECT_THAT(removal_keys(*d3), ElementsAre("sg/web"));
}

}  // namespace
}  // namespace overcast::controller

// Security groups on the agent: malformed rules are NACKed with a reason that names the
// rule and field; each port's groups compile into a policy the data plane can ask; the
// policy pointer stays the same while its rules do (so the data plane keeps its
// connections) and changes when a rule goes; remote groups' members are published.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/view/agent_view_sink.h"
#include "agent/view/security_group_policies.h"
#include "table_capture_fixture.h"
#include "view_test_util.h"

namespace overcast::agent {
namespace {

using namespace viewtest;  // NOLINT: the builders
using ::testing::HasSubstr;
using Table = std::shared_ptr<const dataplane::ForwardingTable>;
namespace fw = dataplane::firewall;

sb::SecurityGroupRule sg_rule(const std::string& id, const std::string& direction, const std::string& protocol = "",
                              std::optional<int> port = std::nullopt, const std::string& prefix = "",
                              const std::string& remote_group = "") {
  sb::SecurityGroupRule r;
  r.set_rule_id(id);
  r.set_direction(direction);
  r.set_ethertype("IPv4");
  r.set_protocol(protocol);
  if (port) {
    r.set_port_range_min(*port);
    r.set_port_range_max(*port);
  }
  r.set_remote_ip_prefix(prefix);
  r.set_remote_group_id(remote_group);
  return r;
}

sb::ViewEntry group(const std::string& id, std::vector<sb::SecurityGroupRule> rules) {
  sb::ViewEntry e;
  e.set_key("sg/" + id);
  e.mutable_security_group()->set_security_group_id(id);
  for (auto& r : rules) *e.mutable_security_group()->add_rules() = r;
  return e;
}

sb::ViewEntry members(const std::string& id, std::vector<std::string> addresses) {
  sb::ViewEntry e;
  e.set_key("sgm/" + id);
  e.mutable_security_group_members()->set_security_group_id(id);
  for (auto& a : addresses) e.mutable_security_group_members()->add_addresses(a);
  return e;
}

sb::ViewEntry guarded_port(const std::string& id, const std::string& mac, const std::string& ip,
                           std::vector<std::string> groups, bool port_security = true) {
  sb::ViewEntry e = local_port(id, "blue", 100, mac, {ip});
  e.mutable_local_port()->set_port_security_enabled(port_security);
  for (auto& g : groups) e.mutable_local_port()->add_security_groups(g);
  return e;
}

fw::FirewallQuery ingress_tcp(const char* from, uint16_t port) {
  fw::FirewallQuery q;
  q.direction = fw::Direction::kIngress;
  q.family = 4;
  q.protocol = 6;
  q.remote = dataplane::conntrack::ipv4_bytes(Ipv4Address::parse(from)->value);
  q.port_key = port;
  return q;
}

TEST(SecurityGroupValidation, MalformedRulesAreRefusedNamingTheRuleAndField) {
  auto reason_of = [](sb::SecurityGroupRule r) {
    return validate_entry(group("g1", {sg_rule("ok", "egress"), r})).value_or("");
  };
  EXPECT_THAT(reason_of(sg_rule("r1", "sideways")), HasSubstr("sg/g1: rule 'r1': direction 'sideways'"));
  auto bad_ether = sg_rule("r2", "ingress");
  bad_ether.set_ethertype("IPX");
  EXPECT_THAT(reason_of(bad_ether), HasSubstr("rule 'r2': ethertype 'IPX'"));
  EXPECT_THAT(reason_of(sg_rule("r3", "ingress", "tcpx")), HasSubstr("rule 'r3': protocol 'tcpx'"));
  EXPECT_THAT(reason_of(sg_rule("r4", "ingress", "tcp", 70000)), HasSubstr("rule 'r4': port_range_min 70000"));
  auto inverted = sg_rule("r5", "ingress", "tcp", 90);
  inverted.set_port_range_max(80);
  EXPECT_THAT(reason_of(inverted), HasSubstr("rule 'r5'"));
  EXPECT_THAT(reason_of(inverted), HasSubstr("port_range"));
  EXPECT_THAT(reason_of(sg_rule("r6", "ingress", "gre", 80)), HasSubstr("rule 'r6'"));  // no ports on GRE
  EXPECT_THAT(reason_of(sg_rule("r7", "ingress", "tcp", 80, "10.0.0.0/99")), HasSubstr("remote_ip_prefix"));
  EXPECT_THAT(reason_of(sg_rule("r8", "ingress", "tcp", 80, "2001:db8::/64")), HasSubstr("not of ethertype IPv4"));
  EXPECT_THAT(reason_of(sg_rule("r9", "ingress", "tcp", 80, "10.0.0.0/8", "g2")), HasSubstr("rule 'r9'"));
  EXPECT_EQ(validate_entry(group("g1", {sg_rule("r10", "ingress", "tcp", 80, "10.0.0.0/8")})), std::nullopt);

  auto wrong_key = group("g1", {});
  wrong_key.set_key("sg/other");
  EXPECT_THAT(validate_entry(wrong_key).value_or(""), HasSubstr("does not match"));
  EXPECT_THAT(validate_entry(members("g1", {"10.0.0.1", "not-an-ip"})).value_or(""),
              HasSubstr("sgm/g1: address 'not-an-ip'"));
  EXPECT_EQ(validate_removal_key("sg/g1"), std::nullopt);
  EXPECT_EQ(validate_removal_key("sgm/g1"), std::nullopt);
}

class SecurityGroupPoliciesTest : public TableCaptureTest {
 protected:
  const dataplane::PortEntry& port(const dataplane::ForwardingTable& t, const std::string& id) {
    for (const auto& p : t.ports) {
      if (p.port_id == id) return p;
    }
    ADD_FAILURE() << "no port " << id;
    return t.ports.front();
  }
};

TEST_F(SecurityGroupPoliciesTest, PortsGetTheirGroupsRulesAndTheRemoteMembers) {
  const std::vector<sb::ViewEntry> view = {
      network("blue", 100),
      guarded_port("p1", "fa:16:3e:00:00:01", "10.0.0.1", {"web", "def"}),
      guarded_port("p2", "fa:16:3e:00:00:02", "10.0.0.2", {}, /*port_security=*/false),
      group("web", {sg_rule("w1", "ingress", "tcp", 80, "198.51.100.0/24")}),
      group("def", {sg_rule("d1", "ingress", "", std::nullopt, "", "def"), sg_rule("d2", "egress")}),
      members("def", {"10.0.0.1", "10.0.0.7"}),
  };
  const auto& t = apply(view);
  const auto& p1 = port(t, "p1");
  ASSERT_TRUE(p1.firewall);
  ASSERT_TRUE(t.security_group_members);
  const auto& m = *t.security_group_members;
  EXPECT_TRUE(p1.firewall->allows(ingress_tcp("198.51.100.9", 80), m));   // web's rule
  EXPECT_FALSE(p1.firewall->allows(ingress_tcp("198.51.100.9", 81), m));
  EXPECT_TRUE(p1.firewall->allows(ingress_tcp("10.0.0.7", 22), m));       // a member of def
  EXPECT_FALSE(p1.firewall->allows(ingress_tcp("10.0.0.8", 22), m));      // not a member
  EXPECT_FALSE(port(t, "p2").firewall) << "port security off: not filtered";

  // Rebuilt for an unrelated reason: the same policy and members objects.
  auto again = view;
  again.push_back(remote_port("r9", "blue", 100, "fa:16:3e:00:00:09", "192.0.2.9", {"10.0.0.9"}));
  const auto& t2 = apply(again);
  EXPECT_EQ(port(t2, "p1").firewall, p1.firewall);
  EXPECT_EQ(t2.security_group_members, t.security_group_members);

  // A rule removed: a new policy (the data plane re-asks the port's connections).
  again[3] = group("web", {});
  const auto& t3 = apply(again);
  EXPECT_NE(port(t3, "p1").firewall, p1.firewall);
  EXPECT_FALSE(port(t3, "p1").firewall->allows(ingress_tcp("198.51.100.9", 80), *t3.security_group_members));

  // A member leaves def: a new members snapshot, the policy stays.
  again[5] = members("def", {"10.0.0.1"});
  const auto& t4 = apply(again);
  EXPECT_EQ(port(t4, "p1").firewall, port(t3, "p1").firewall);
  EXPECT_FALSE(port(t4, "p1").firewall->allows(ingress_tcp("10.0.0.7", 22), *t4.security_group_members));
}

TEST_F(SecurityGroupPoliciesTest, APortWhoseGroupsAreUnknownDeniesEverything) {
  const auto& t = apply({network("blue", 100), guarded_port("p1", "fa:16:3e:00:00:01", "10.0.0.1", {"missing"})});
  ASSERT_TRUE(port(t, "p1").firewall);
  const fw::RemoteGroupMembers none;
  EXPECT_FALSE(port(t, "p1").firewall->allows(ingress_tcp("10.0.0.2", 80), none));
}

TEST_F(SecurityGroupPoliciesTest, AViewWithAMalformedRuleIsRejectedAsAWhole) {
  apply({network("blue", 100), guarded_port("p1", "fa:16:3e:00:00:01", "10.0.0.1", {"g"}),
         group("g", {sg_rule("ok", "egress")})});
  std::string reason;
  EXPECT_FALSE(sink_.apply_delta({group("g", {sg_rule("bad", "egress", "tcp", 0)})}, {}, reason));
  EXPECT_THAT(reason, HasSubstr("sg/g: rule 'bad'"));
  EXPECT_EQ(sink_.view().count("sg/g"), 1u);
  EXPECT_EQ(sink_.view().at("sg/g").security_group().rules(0).rule_id(), "ok");
}

}  // namespace
}  // namespace overcast::agent

// Security groups: the per-project default group and its rules, rule validation,
// duplicates, in-use refusals, and ports' security attributes.
#include "controller/model/security_group_rules.h"
#include "l3_fixture.h"

namespace overcast::controller::testing {
namespace {

class SecurityGroups : public L3Test {
 protected:
  std::string make_group(const std::string& name, const std::string& project = "p") {
    SecurityGroupCreate request;
    request.project_id = project;
    request.name = name;
    auto created = model->create_security_groups({request});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created ? created.value().front().group.id : "";
  }
  SecurityGroupRuleCreate tcp_rule(const std::string& group, int64_t min, int64_t max) {
    SecurityGroupRuleCreate rule;
    rule.project_id = "p";
    rule.security_group_id = group;
    rule.direction = "ingress";
    rule.protocol = "tcp";
    rule.port_range_min = min;
    rule.port_range_max = max;
    return rule;
  }
  const SecurityGroupView* default_of(const std::vector<SecurityGroupView>& groups, const std::string& project) {
    for (const auto& g : groups) {
      if (g.group.project_id == project && g.group.name == "default") return &g;
    }
    return nullptr;
  }
};

TEST_F(SecurityGroups, DefaultGroupComesWithTheFirstPortWithNeutronsRules) {
  EXPECT_TRUE(model->list_security_groups().empty());
  const std::string port = make_vm_port(make_network());
  auto groups = model->list_security_groups();
  ASSERT_EQ(groups.size(), 1u);
  const SecurityGroupView& d = groups[0];
  EXPECT_EQ(d.group.name, "default");
  EXPECT_EQ(model->show_port(port).value().port.security_groups, std::vector<std::string>{d.group.id});
  ASSERT_EQ(d.rules.size(), 4u);
  int egress = 0, ingress_from_self = 0;
  for (const auto& rule : d.rules) {
    EXPECT_FALSE(rule.protocol);
    EXPECT_FALSE(rule.remote_ip_prefix);
    if (rule.direction == "egress" && !rule.remote_group_id) ++egress;
    if (rule.direction == "ingress" && rule.remote_group_id == d.group.id) ++ingress_from_self;
  }
  EXPECT_EQ(egress, 2);
  EXPECT_EQ(ingress_from_self, 2);
  // One per project, made once.
  make_vm_port(make_network());
  EXPECT_EQ(model->list_security_groups().size(), 1u);
  ASSERT_FALSE(model->ensure_default_security_group("q"));
  ASSERT_FALSE(model->ensure_default_security_group("q"));
  EXPECT_NE(default_of(model->list_security_groups(), "q"), nullptr);
  EXPECT_EQ(model->list_security_groups().size(), 2u);
}

TEST_F(SecurityGroups, NewGroupsAllowEgressOnly) {
  const std::string web = make_group("web");
  auto view = model->show_security_group(web).value();
  ASSERT_EQ(view.rules.size(), 2u);
  for (const auto& rule : view.rules) EXPECT_EQ(rule.direction, "egress");
  SecurityGroupCreate again;
  again.project_id = "p";
  again.name = "default";
  ASSERT_FALSE(model->ensure_default_security_group("p"));
  auto refused = model->create_security_groups({again});
  expect_error(refused, 409, "SecurityGroupDefaultAlreadyExists", "default");
}

TEST_F(SecurityGroups, RuleValidation) {
  const std::string g = make_group("web");
  auto ok = model->create_security_group_rules({tcp_rule(g, 80, 80)});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok.value()[0].protocol, "tcp");
  EXPECT_EQ(ok.value()[0].ethertype, "IPv4");
  expect_error(model->create_security_group_rules({tcp_rule(g, 80, 80)}), 409, "SecurityGroupRuleExists",
               ok.value()[0].id);
  // The same rule by protocol number is the same rule.
  auto by_number = tcp_rule(g, 80, 80);
  by_number.protocol = "6";
  expect_error(model->create_security_group_rules({by_number}), 409, "SecurityGroupRuleExists", "");
  expect_error(model->create_security_group_rules({tcp_rule(g, 90, 80)}), 400, "SecurityGroupInvalidPortRange",
               "port_range_min");
  expect_error(model->create_security_group_rules({tcp_rule(g, 0, 80)}), 400, "SecurityGroupInvalidPortValue",
               "port_range_min");
  auto gre = tcp_rule(g, 1, 2);
  gre.protocol = "gre";
  expect_error(model->create_security_group_rules({gre}), 400, "SecurityGroupInvalidProtocolForPortRange", "gre");
  auto no_protocol = tcp_rule(g, 1, 2);
  no_protocol.protocol.reset();
  expect_error(model->create_security_group_rules({no_protocol}), 400, "SecurityGroupProtocolRequiredWithPorts",
               "protocol");
  auto bad_protocol = tcp_rule(g, 1, 2);
  bad_protocol.protocol = "256";
  expect_error(model->create_security_group_rules({bad_protocol}), 400, "SecurityGroupRuleInvalidProtocol", "256");
  auto direction = tcp_rule(g, 1, 2);
  direction.direction = "sideways";
  expect_error(model->create_security_group_rules({direction}), 400, "BadRequest", "direction");
  auto ethertype = tcp_rule(g, 1, 2);
  ethertype.ethertype = "IPv5";
  expect_error(model->create_security_group_rules({ethertype}), 400, "BadRequest", "ethertype");
  auto prefix = tcp_rule(g, 22, 22);
  prefix.remote_ip_prefix = "2001:db8::/64";
  expect_error(model->create_security_group_rules({prefix}), 400, "SecurityGroupRuleParameterConflict", "IPv4");
  prefix.remote_ip_prefix = "192.0.2.7/24";  // stored as the network
  auto normalized = model->create_security_group_rules({prefix});
  ASSERT_TRUE(normalized) << normalized.error().message;
  EXPECT_EQ(normalized.value()[0].remote_ip_prefix, "192.0.2.0/24");
  auto remote = tcp_rule(g, 23, 23);
  remote.remote_group_id = "missing";
  expect_error(model->create_security_group_rules({remote}), 404, "SecurityGroupNotFound", "missing");
  auto missing_group = tcp_rule("nope", 1, 1);
  expect_error(model->create_security_group_rules({missing_group}), 404, "SecurityGroupNotFound", "nope");
}

TEST_F(SecurityGroups, IcmpTypesAndCodes) {
  const std::string g = make_group("ping");
  SecurityGroupRuleCreate icmp;
  icmp.security_group_id = g;
  icmp.direction = "ingress";
  icmp.protocol = "icmp";
  icmp.port_range_min = 8;
  icmp.port_range_max = 0;  // type 8 code 0: a code below the type is fine
  ASSERT_TRUE(model->create_security_group_rules({icmp}));
  icmp.port_range_min = 256;
  expect_error(model->create_security_group_rules({icmp}), 400, "SecurityGroupInvalidIcmpValue", "256");
  icmp.port_range_min.reset();
  expect_error(model->create_security_group_rules({icmp}), 400, "SecurityGroupMissingIcmpType", "type");
  // IPv6: "icmp" means ICMPv6; icmpv6 with IPv4 is refused.
  SecurityGroupRuleCreate v6 = icmp;
  v6.ethertype = "IPv6";
  v6.port_range_min = 128;
  v6.port_range_max.reset();
  auto created = model->create_security_group_rules({v6});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created.value()[0].protocol, "ipv6-icmp");
  SecurityGroupRuleCreate wrong = v6;
  wrong.ethertype = "IPv4";
  wrong.protocol = "icmpv6";
  expect_error(model->create_security_group_rules({wrong}), 400, "BadRequest", "IPv6");
}

TEST_F(SecurityGroups, InUseAndDefaultGroupsCannotBeDeleted) {
  const std::string web = make_group("web");
  PortCreate request;
  request.project_id = "p";
  request.network_id = make_network();
  request.security_groups = std::vector<std::string>{web};
  auto port = model->create_ports({request});
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_EQ(port.value()[0].port.security_groups, std::vector<std::string>{web});
  expect_error(model->delete_security_group(web), 409, "SecurityGroupInUse", web);
  ASSERT_FALSE(model->ensure_default_security_group("p"));
  const std::string def = default_of(model->list_security_groups(), "p")->group.id;
  expect_error(model->delete_security_group(def), 409, "SecurityGroupCannotRemoveDefault", def);
  // Rules elsewhere that admit this group's members go with it.
  const std::string other = make_group("other");
  auto from_web = tcp_rule(other, 22, 22);
  from_web.remote_group_id = web;
  ASSERT_TRUE(model->create_security_group_rules({from_web}));
  PortUpdate none;
  none.security_groups = std::vector<std::string>{};
  ASSERT_TRUE(model->update_port(port.value()[0].port.id, none));
  ASSERT_FALSE(model->delete_security_group(web));
  EXPECT_EQ(model->show_security_group(other).value().rules.size(), 2u);  // the egress pair only
}

TEST_F(SecurityGroups, PortSecurityAttributes) {
  const std::string net = make_network();
  const std::string web = make_group("web");
  PortCreate request;
  request.project_id = "p";
  request.network_id = net;
  request.port_security_enabled = false;
  auto open = model->create_ports({request});
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_TRUE(open.value()[0].port.security_groups.empty());  // no default group without port security
  request.security_groups = std::vector<std::string>{web};
  expect_error(model->create_ports({request}), 400, "PortSecurityAndIPRequiredForSecurityGroups", "security_groups");
  request.security_groups.reset();
  request.allowed_address_pairs = std::vector<AllowedAddressPair>{{"10.0.0.0/24", ""}};
  expect_error(model->create_ports({request}), 409, "AddressPairAndPortSecurityRequired", "allowed_address_pairs");
  request.port_security_enabled = true;
  request.security_groups = std::vector<std::string>{"missing"};
  expect_error(model->create_ports({request}), 404, "SecurityGroupNotFound", "missing");
  request.security_groups = std::vector<std::string>{web};
  request.allowed_address_pairs = std::vector<AllowedAddressPair>{{"10.0.0.7/24", ""}, {"10.0.1.5", "fa:16:3e:00:00:09"}};
  auto guarded = model->create_ports({request});
  ASSERT_TRUE(guarded) << guarded.error().message;
  const Port& p = guarded.value()[0].port;
  ASSERT_EQ(p.allowed_address_pairs.size(), 2u);
  EXPECT_EQ(p.allowed_address_pairs[0].ip_address, "10.0.0.7/24");
  EXPECT_EQ(p.allowed_address_pairs[0].mac_address, p.mac_address);
  EXPECT_EQ(p.allowed_address_pairs[1].mac_address, "fa:16:3e:00:00:09");
  request.allowed_address_pairs = std::vector<AllowedAddressPair>{{"10.0.0.300", ""}};
  expect_error(model->create_ports({request}), 400, "BadRequest", "10.0.0.300");
  request.allowed_address_pairs = std::vector<AllowedAddressPair>{{"10.0.0.5", ""}, {"10.0.0.5", ""}};
  expect_error(model->create_ports({request}), 400, "DuplicateAddressPairInRequest", "10.0.0.5");
  // Turning port security off needs the groups and pairs gone first.
  PortUpdate off;
  off.port_security_enabled = false;
  expect_error(model->update_port(p.id, off), 409, "PortSecurityPortHasSecurityGroup", "security_groups");
  off.security_groups = std::vector<std::string>{};
  expect_error(model->update_port(p.id, off), 409, "AddressPairAndPortSecurityRequired", "allowed_address_pairs");
  off.allowed_address_pairs = std::vector<AllowedAddressPair>{};
  EXPECT_TRUE(model->update_port(p.id, off));
}

TEST_F(SecurityGroups, SurviveARestart) {
  const std::string g = make_group("web");
  ASSERT_TRUE(model->create_security_group_rules({tcp_rule(g, 80, 81)}));
  const std::string port = make_vm_port(make_network());
  restart();
  auto view = model->show_security_group(g);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view.value().rules.size(), 3u);
  EXPECT_EQ(model->show_port(port).value().port.security_groups.size(), 1u);
  expect_error(model->create_security_group_rules({tcp_rule(g, 80, 81)}), 409, "SecurityGroupRuleExists", "");
}

}  // namespace
}  // namespace overcast::controller::testing

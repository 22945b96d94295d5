// Subnets and port security in the view: which hosts get them, and that a change
// reaches only the hosts of the network it concerns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/topology/view_entries.h"
#include "controller_southbound/view_test_support.h"

namespace overcast::controller {
namespace {

using namespace testing;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

SubnetFacts subnet(const std::string& id, const std::string& network, const std::string& cidr,
                   const std::string& gateway = "") {
  SubnetFacts facts;
  facts.id = id;
  facts.network_id = network;
  facts.cidr = cidr;
  facts.gateway_ip = gateway;
  return facts;
}

// hv1 and hv2 hold network A, hv3 only B; subnet sC's network C has no host yet.
class ViewL3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ChangeSet changes;
    changes.networks = {net("A", 100, 1400), net("B", 200)};
    changes.hosts = {host("hv1", "192.0.2.1"), host("hv2", "192.0.2.2"), host("hv3", "192.0.2.3")};
    SubnetFacts sa = subnet("sA", "A", "10.1.0.0/24", "10.1.0.1");
    sa.dns_nameservers = {"192.0.2.53"};
    sa.host_routes = {{"172.16.0.0/16", "10.1.0.254"}};
    changes.subnets = {sa, subnet("sB", "B", "10.2.0.0/24", "10.2.0.1"), subnet("sC", "C", "10.3.0.0/24")};
    changes.ports = {port("pa1", "A", "hv1", "fa:16:3e:00:00:a1"), port("pa2", "A", "hv2", "fa:16:3e:00:00:a2"),
                     port("pb3", "B", "hv3", "fa:16:3e:00:00:b3")};
    compiler.apply(changes);
  }
  ViewCompiler compiler{ViewCompilerConfig{.epoch = "e1"}};
};

TEST_F(ViewL3Test, HostsGetTheSubnetsOfTheirNetworksOnly) {
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv1"))),
              ElementsAre("lport/pa1", "net/A", "rport/pa2", "subnet/sA"));
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv3"))), ElementsAre("lport/pb3", "net/B", "subnet/sB"));
  const View hv2 = view_of(compiler.snapshot("hv2"));
  const auto& sa = hv2.at("subnet/sA").subnet();
  EXPECT_EQ(sa.subnet_id(), "sA");
  EXPECT_EQ(sa.network_id(), "A");
  EXPECT_EQ(sa.ip_version(), 4u);
  EXPECT_EQ(sa.cidr(), "10.1.0.0/24");
  EXPECT_EQ(sa.gateway_ip(), "10.1.0.1");
  EXPECT_TRUE(sa.enable_dhcp());
  EXPECT_THAT(std::vector<std::string>(sa.dns_nameservers().begin(), sa.dns_nameservers().end()),
              ElementsAre("192.0.2.53"));
  ASSERT_EQ(sa.host_routes_size(), 1);
  EXPECT_EQ(sa.host_routes(0).destination(), "172.16.0.0/16");
  EXPECT_EQ(sa.host_routes(0).nexthop(), "10.1.0.254");
  // hv1 and hv2 hold one shared subnet/sA object; every other entry is on one host only.
  EXPECT_EQ(compiler.stats().entries, 11u);
  EXPECT_EQ(compiler.stats().distinct_entries, 10u);
}

TEST_F(ViewL3Test, SubnetChangeReachesOnlyTheHostsOfItsNetwork) {
  SubnetFacts changed = subnet("sA", "A", "10.1.0.0/24", "10.1.0.1");
  changed.enable_dhcp = false;
  ChangeSet changes;
  changes.subnets = {changed};
  auto deltas = compiler.apply_changes(changes);
  ASSERT_EQ(deltas.size(), 2u);
  for (const char* h : {"hv1", "hv2"}) {
    auto delta = delta_for(deltas, h);
    ASSERT_TRUE(delta.has_value()) << h;
    EXPECT_THAT(upsert_keys(*delta), ElementsAre("subnet/sA"));
    EXPECT_THAT(removal_keys(*delta), IsEmpty());
    EXPECT_FALSE(delta->upserts(0).subnet().enable_dhcp());
  }
  EXPECT_FALSE(delta_for(deltas, "hv3").has_value());
}

TEST_F(ViewL3Test, UnchangedSubnetSendsNothing) {
  ChangeSet changes;
  SubnetFacts same = subnet("sB", "B", "10.2.0.0/24", "10.2.0.1");
  changes.subnets = {same};
  EXPECT_THAT(compiler.apply_changes(changes), IsEmpty());
}

TEST_F(ViewL3Test, SubnetRemovalReachesOnlyTheHostsOfItsNetwork) {
  ChangeSet changes;
  changes.removed_subnets = {"sB"};
  auto deltas = compiler.apply_changes(changes);
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].host, "hv3");
  EXPECT_THAT(removal_keys(deltas[0].delta), ElementsAre("subnet/sB"));
  EXPECT_THAT(upsert_keys(deltas[0].delta), IsEmpty());
  EXPECT_THAT(keys_of(view_of(compiler.snapshot("hv3"))), Not(Contains("subnet/sB")));
}

TEST_F(ViewL3Test, SubnetOfANetworkWithoutHostsSendsNothingUntilAHostJoins) {
  ChangeSet changes;
  changes.subnets = {subnet("sC2", "C", "10.4.0.0/24")};
  EXPECT_THAT(compiler.apply_changes(changes), IsEmpty());
  ChangeSet join;
  join.networks = {net("C", 300)};
  join.ports = {port("pc3", "C", "hv3", "fa:16:3e:00:00:c3")};
  auto deltas = compiler.apply_changes(join);
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].host, "hv3");
  EXPECT_THAT(upsert_keys(deltas[0].delta), ElementsAre("lport/pc3", "net/C", "subnet/sC", "subnet/sC2"));
}

TEST_F(ViewL3Test, HostLeavingTheNetworkLosesItsSubnets) {
  ChangeSet changes;
  changes.removed_ports = {"pa2"};
  auto deltas = compiler.apply_changes(changes);
  auto hv2 = delta_for(deltas, "hv2");
  ASSERT_TRUE(hv2.has_value());
  EXPECT_THAT(removal_keys(*hv2), ElementsAre("lport/pa2", "net/A", "rport/pa1", "subnet/sA"));
  auto hv1 = delta_for(deltas, "hv1");
  ASSERT_TRUE(hv1.has_value());
  EXPECT_THAT(removal_keys(*hv1), ElementsAre("rport/pa2"));
  EXPECT_THAT(upsert_keys(*hv1), ElementsAre("net/A"));  // flood list
}

TEST_F(ViewL3Test, SubnetMovingNetworksLeavesTheOldHostsAndReachesTheNew) {
  ChangeSet changes;
  changes.subnets = {subnet("sB", "A", "10.2.0.0/24")};
  auto deltas = compiler.apply_changes(changes);
  ASSERT_EQ(deltas.size(), 3u);
  EXPECT_THAT(removal_keys(*delta_for(deltas, "hv3")), ElementsAre("subnet/sB"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv1")), ElementsAre("subnet/sB"));
  EXPECT_THAT(upsert_keys(*delta_for(deltas, "hv2")), ElementsAre("subnet/sB"));
}

TEST_F(ViewL3Test, SubnetWithoutIdOrNetworkIsIgnoredAndCounted) {
  ChangeSet changes;
  changes.subnets = {subnet("", "A", "10.9.0.0/24"), subnet("sX", "", "10.9.0.0/24")};
  EXPECT_THAT(compiler.apply_changes(changes), IsEmpty());
  EXPECT_EQ(compiler.stats().ignored_facts, 2u);
}

TEST_F(ViewL3Test, LocalPortCarriesPortSecurity) {
  View hv1 = view_of(compiler.snapshot("hv1"));
  EXPECT_TRUE(hv1.at("lport/pa1").local_port().port_security_enabled());  // the facts' default, as Neutron's
  EXPECT_EQ(hv1.at("lport/pa1").local_port().allowed_address_pairs_size(), 0);
}

TEST_F(ViewL3Test, PortSecurityChangeReachesOnlyThePortsOwnHost) {
  PortFacts changed = port("pa1", "A", "hv1", "fa:16:3e:00:00:a1");
  changed.allowed_address_pairs = {{"10.1.0.100", "fa:16:3e:00:00:a1"}, {"10.8.0.0/16", "fa:16:3e:00:00:99"}};
  ChangeSet changes;
  changes.ports = {changed};
  auto deltas = compiler.apply_changes(changes);
  // hv2 sees pa1 as a remote port, which carries no port security: nothing changes there.
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].host, "hv1");
  ASSERT_THAT(upsert_keys(deltas[0].delta), ElementsAre("lport/pa1"));
  const auto& local = deltas[0].delta.upserts(0).local_port();
  ASSERT_EQ(local.allowed_address_pairs_size(), 2);
  EXPECT_EQ(local.allowed_address_pairs(1).ip_address(), "10.8.0.0/16");
  EXPECT_EQ(local.allowed_address_pairs(1).mac_address(), "fa:16:3e:00:00:99");

  ChangeSet off;
  PortFacts disabled = port("pa1", "A", "hv1", "fa:16:3e:00:00:a1");
  disabled.port_security_enabled = false;
  off.ports = {disabled};
  deltas = compiler.apply_changes(off);
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_FALSE(deltas[0].delta.upserts(0).local_port().port_security_enabled());
  EXPECT_EQ(deltas[0].delta.upserts(0).local_port().allowed_address_pairs_size(), 0);
}

}  // namespace
}  // namespace overcast::controller

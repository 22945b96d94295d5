// What the TopologyListener is told about subnets and port security: the facts a
// host's DHCP responder and anti-spoofing filter are compiled from.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using ChangeSetsL3 = ModelTest;

TEST_F(ChangeSetsL3, SubnetWritesEmitSubnetFacts) {
  const std::string net = make_network();
  listener.received.clear();
  SubnetCreate request;
  request.project_id = "p";
  request.network_id = net;
  request.cidr = "10.5.0.0/24";
  request.dns_nameservers = {"192.0.2.53"};
  request.host_routes = {{"172.16.0.0/16", "10.5.0.254"}};
  auto created = model->create_subnets({request});
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created.value().front().id;
  SubnetUpdate update;
  update.enable_dhcp = false;
  ASSERT_TRUE(model->update_subnet(id, update));
  ASSERT_FALSE(model->delete_subnet(id));

  ASSERT_EQ(listener.received.size(), 3u);
  ASSERT_EQ(listener.received[0].subnets.size(), 1u);
  const SubnetFacts& facts = listener.received[0].subnets[0];
  EXPECT_EQ(facts.id, id);
  EXPECT_EQ(facts.network_id, net);
  EXPECT_EQ(facts.ip_version, 4);
  EXPECT_EQ(facts.cidr, "10.5.0.0/24");
  EXPECT_EQ(facts.gateway_ip, "10.5.0.1");  // the default: the first host
  EXPECT_TRUE(facts.enable_dhcp);
  EXPECT_EQ(facts.dns_nameservers, std::vector<std::string>{"192.0.2.53"});
  ASSERT_EQ(facts.host_routes.size(), 1u);
  EXPECT_EQ(facts.host_routes[0].destination, "172.16.0.0/16");
  EXPECT_EQ(facts.host_routes[0].nexthop, "10.5.0.254");
  ASSERT_EQ(listener.received[1].subnets.size(), 1u);
  EXPECT_FALSE(listener.received[1].subnets[0].enable_dhcp);
  EXPECT_EQ(listener.received[2].removed_subnets, std::vector<std::string>{id});
}

TEST_F(ChangeSetsL3, SubnetWithoutGatewayHasAnEmptyGatewayFact) {
  const std::string net = make_network();
  listener.received.clear();
  SubnetCreate request;
  request.project_id = "p";
  request.network_id = net;
  request.cidr = "10.6.0.0/24";
  request.gateway_ip = std::optional<std::string>{};  // null
  ASSERT_TRUE(model->create_subnets({request}));
  ASSERT_EQ(listener.received.size(), 1u);
  EXPECT_EQ(listener.received[0].subnets.at(0).gateway_ip, "");
}

TEST_F(ChangeSetsL3, PortFactsCarryPortSecurityAndPairsWithTheirMacs) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/24");
  listener.received.clear();
  PortCreate request;
  request.project_id = "p";
  request.network_id = net;
  request.mac_address = "fa:16:3e:00:00:01";
  request.binding_host_id = "hv1";
  request.allowed_address_pairs = std::vector<AllowedAddressPair>{{"10.0.0.100", ""}, {"10.8.0.0/16", "fa:16:3e:00:00:99"}};
  auto created = model->create_ports({request});
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created.value().front().port.id;
  ASSERT_EQ(listener.received.size(), 1u);
  const PortFacts& facts = listener.received[0].ports.at(0);
  EXPECT_TRUE(facts.port_security_enabled);
  ASSERT_EQ(facts.allowed_address_pairs.size(), 2u);
  EXPECT_EQ(facts.allowed_address_pairs[0].ip_address, "10.0.0.100");
  EXPECT_EQ(facts.allowed_address_pairs[0].mac_address, "fa:16:3e:00:00:01");  // the port's own
  EXPECT_EQ(facts.allowed_address_pairs[1].mac_address, "fa:16:3e:00:00:99");

  PortUpdate off;
  off.allowed_address_pairs = std::vector<AllowedAddressPair>{};
  off.security_groups = std::vector<std::string>{};
  off.port_security_enabled = false;
  auto updated = model->update_port(id, off);
  ASSERT_TRUE(updated) << updated.error().message;
  ASSERT_EQ(listener.received.size(), 2u);
  EXPECT_FALSE(listener.received[1].ports.at(0).port_security_enabled);
  EXPECT_TRUE(listener.received[1].ports.at(0).allowed_address_pairs.empty());
}

}  // namespace
}  // namespace overcast::controller::testing

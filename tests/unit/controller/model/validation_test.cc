// Each bad input gets the right status and a message naming the field.
#include "model_fixture.h"

namespace overcast::controller::testing {
namespace {

using Validation = ModelTest;

void expect_error(const Status& error, int status, const std::string& needle) {
  ASSERT_TRUE(error) << "expected an error naming " << needle;
  EXPECT_EQ(error->http_status, status) << error->message;
  EXPECT_NE(error->message.find(needle), std::string::npos) << error->message;
}

template <class T>
void expect_error(const Result<T>& result, int status, const std::string& needle) {
  expect_error(result ? Status{} : Status{result.error()}, status, needle);
}

SubnetCreate subnet_request(const std::string& network, const std::string& cidr) {
  SubnetCreate request;
  request.project_id = "p";
  request.network_id = network;
  request.cidr = cidr;
  request.ip_version = cidr.find(':') == std::string::npos ? 4 : 6;
  return request;
}

TEST_F(Validation, NetworkMtuIsBoundedByTheUnderlay) {
  NetworkCreate request;
  request.project_id = "p";
  request.mtu = 1451;
  expect_error(model->create_networks({request}), 400, "mtu");
  request.mtu = 1450;
  auto created = model->create_networks({request});
  ASSERT_TRUE(created);
  EXPECT_EQ(make_network().empty(), false);
  NetworkUpdate update;
  update.mtu = 1500;
  expect_error(model->update_network(created.value().front().network.id, update), 400, "mtu");
  update.mtu = 1400;
  EXPECT_EQ(model->update_network(created.value().front().network.id, update).value().network.mtu, 1400u);
}

TEST_F(Validation, DefaultMtuIsUnderlayMinusVxlan) {
  EXPECT_EQ(model->show_network(make_network()).value().network.mtu, 1450u);
}

TEST_F(Validation, VniOutOfRange) {
  NetworkCreate request;
  request.project_id = "p";
  request.segmentation_id = 0;
  expect_error(model->create_networks({request}), 400, "segmentation_id");
  request.segmentation_id = 16777216;
  expect_error(model->create_networks({request}), 400, "segmentation_id");
}

TEST_F(Validation, SubnetCidrMustBeANetworkAddress) {
  const std::string net = make_network();
  expect_error(model->create_subnets({subnet_request(net, "10.0.0.1/24")}), 400, "cidr");
  expect_error(model->create_subnets({subnet_request(net, "10.0.0.300/24")}), 400, "cidr");
  expect_error(model->create_subnets({subnet_request(net, "10.0.0.0/33")}), 400, "cidr");
  auto v6_in_v4 = subnet_request(net, "2001:db8::/64");
  v6_in_v4.ip_version = 4;
  expect_error(model->create_subnets({v6_in_v4}), 400, "cidr");
  auto bad_version = subnet_request(net, "10.0.0.0/24");
  bad_version.ip_version = 5;
  expect_error(model->create_subnets({bad_version}), 400, "ip_version");
}

TEST_F(Validation, SubnetOnUnknownNetworkIsNotFound) {
  auto result = model->create_subnets({subnet_request("nope", "10.0.0.0/24")});
  expect_error(result, 404, "nope");
  EXPECT_EQ(result.error().type, "NetworkNotFound");
}

TEST_F(Validation, SubnetDefaultsAndGateway) {
  const std::string net = make_network();
  auto subnet = model->show_subnet(make_subnet(net, "10.0.0.0/24")).value();
  EXPECT_EQ(subnet.gateway_ip, "10.0.0.1");
  ASSERT_EQ(subnet.allocation_pools.size(), 1u);
  EXPECT_EQ(subnet.allocation_pools[0], (AllocationPool{"10.0.0.2", "10.0.0.254"}));

  auto mid = subnet_request(make_network(), "10.1.0.0/24");
  mid.gateway_ip = std::optional<std::string>("10.1.0.100");
  auto created = model->create_subnets({mid});
  ASSERT_TRUE(created);
  EXPECT_EQ(created.value().front().allocation_pools,
            (std::vector<AllocationPool>{{"10.1.0.1", "10.1.0.99"}, {"10.1.0.101", "10.1.0.254"}}));

  auto none = subnet_request(make_network(), "10.2.0.0/24");
  none.gateway_ip = std::optional<std::string>();
  created = model->create_subnets({none});
  ASSERT_TRUE(created);
  EXPECT_FALSE(created.value().front().gateway_ip);
  EXPECT_EQ(created.value().front().allocation_pools.front().start, "10.2.0.1");
}

TEST_F(Validation, BadGatewayAndPools) {
  const std::string net = make_network();
  auto request = subnet_request(net, "10.0.0.0/24");
  request.gateway_ip = std::optional<std::string>("10.0.1.1");
  expect_error(model->create_subnets({request}), 400, "gateway_ip");
  request.gateway_ip = std::optional<std::string>("10.0.0.255");
  expect_error(model->create_subnets({request}), 400, "gateway_ip");
  request.gateway_ip = std::nullopt;
  request.allocation_pools = std::vector<AllocationPool>{{"10.0.0.1", "10.0.0.50"}};
  expect_error(model->create_subnets({request}), 400, "allocation_pools");  // holds the gateway
  request.allocation_pools = std::vector<AllocationPool>{{"10.0.0.10", "10.0.1.50"}};
  expect_error(model->create_subnets({request}), 400, "allocation_pools");
  request.allocation_pools = std::vector<AllocationPool>{{"10.0.0.50", "10.0.0.10"}};
  expect_error(model->create_subnets({request}), 400, "allocation_pools");
  request.allocation_pools = std::vector<AllocationPool>{{"10.0.0.10", "10.0.0.50"}, {"10.0.0.40", "10.0.0.60"}};
  expect_error(model->create_subnets({request}), 400, "allocation_pools");
  request.allocation_pools = std::vector<AllocationPool>{{"10.0.0.10", "10.0.0.20"}};
  request.dns_nameservers = {"8.8.8.8", "not-an-ip"};
  expect_error(model->create_subnets({request}), 400, "dns_nameservers");
  request.dns_nameservers = {};
  request.host_routes = {{"10.5.0.1/16", "10.0.0.1"}};
  expect_error(model->create_subnets({request}), 400, "host_routes");
  request.host_routes = {};
  request.ipv6_ra_mode = "slaac";
  expect_error(model->create_subnets({request}), 400, "ipv6_ra_mode");
  request.ipv6_ra_mode = std::nullopt;
  EXPECT_TRUE(model->create_subnets({request}));
}

TEST_F(Validation, OverlappingSubnetsOnOneNetwork) {
  const std::string net = make_network();
  make_subnet(net, "10.0.0.0/16");
  expect_error(model->create_subnets({subnet_request(net, "10.0.5.0/24")}), 400, "overlaps");
  // Another network may reuse the range: tenants overlap freely.
  EXPECT_TRUE(model->create_subnets({subnet_request(make_network(), "10.0.5.0/24")}));
}

TEST_F(Validation, DeletionRules) {
  const std::string net = make_network();
  const std::string subnet = make_subnet(net, "10.0.0.0/24");
  auto port = make_port(net);
  ASSERT_TRUE(port);
  Status in_use = model->delete_network(net);
  expect_error(in_use, 409, net);
  EXPECT_EQ(in_use->type, "NetworkInUse");
  Status subnet_in_use = model->delete_subnet(subnet);
  expect_error(subnet_in_use, 409, subnet);
  EXPECT_EQ(subnet_in_use->type, "SubnetInUse");
  ASSERT_FALSE(model->delete_port(port.value().front().port.id));
  ASSERT_FALSE(model->delete_network(net));  // its subnet goes with it
  EXPECT_TRUE(model->list_subnets().empty());
  Status gone = model->delete_network(net);
  expect_error(gone, 404, net);
  EXPECT_EQ(gone->type, "NetworkNotFound");
  EXPECT_EQ(model->delete_port("x")->type, "PortNotFound");
  EXPECT_EQ(model->delete_subnet("x")->type, "SubnetNotFound");
}

TEST_F(Validation, PortOnUnknownNetworkAndBadMac) {
  auto missing = make_port("nope");
  expect_error(missing, 404, "nope");
  const std::string net = make_network();
  expect_error(make_port(net, std::nullopt, "zz:16:3e:00:00:01"), 400, "mac_address");
  expect_error(make_port(net, std::nullopt, "01:00:5e:00:00:01"), 400, "mac_address");  // multicast
}

TEST_F(Validation, Ipv6SubnetNeedsMtu1280) {
  NetworkCreate small;
  small.project_id = "p";
  small.mtu = 1200;
  auto net = model->create_networks({small}).value().front().network.id;
  expect_error(model->create_subnets({subnet_request(net, "2001:db8::/64")}), 400, "1280");
}

}  // namespace
}  // namespace overcast::controller::testing

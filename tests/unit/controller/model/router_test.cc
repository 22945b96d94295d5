// Routers: interfaces by subnet and by port, external gateway, static routes, the
// refusals Neutron makes, and durability.
#include "l3_fixture.h"

namespace overcast::controller::testing {
namespace {

using Routers = L3Test;

TEST_F(Routers, InterfaceBySubnetTakesTheGatewayIp) {
  const std::string net = make_network();
  const std::string subnet = make_subnet(net, "10.0.0.0/24");
  const std::string router = make_router();
  auto info = add_subnet(router, subnet);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info.value().router_id, router);
  EXPECT_EQ(info.value().subnet_id, subnet);
  EXPECT_EQ(info.value().network_id, net);
  auto port = model->show_port(info.value().port_id);
  ASSERT_TRUE(port);
  EXPECT_EQ(port.value().port.device_owner, "network:router_interface");
  EXPECT_EQ(port.value().port.device_id, router);
  ASSERT_EQ(port.value().port.fixed_ips.size(), 1u);
  EXPECT_EQ(port.value().port.fixed_ips[0].ip_address, "10.0.0.1");
  EXPECT_TRUE(port.value().port.security_groups.empty());  // router ports are not filtered
}

TEST_F(Routers, RefusesASecondInterfaceOnTheSameSubnetOrAnOverlappingOne) {
  const std::string router = make_router();
  const std::string a = make_subnet(make_network(), "10.0.0.0/24");
  ASSERT_TRUE(add_subnet(router, a));
  expect_error(add_subnet(router, a), 400, "BadRequest", "already has a port on subnet");
  const std::string overlapping = make_subnet(make_network(), "10.0.0.128/25");
  expect_error(add_subnet(router, overlapping), 400, "BadRequest", "overlaps");
  // The same addresses on another router (another tenant) are normal.
  EXPECT_TRUE(add_subnet(make_router("q"), overlapping));
  EXPECT_TRUE(add_subnet(make_router("q"), make_subnet(make_network(), "10.0.0.0/24")));
}

TEST_F(Routers, InterfaceRefusals) {
  const std::string router = make_router();
  expect_error(model->add_router_interface(router, {}), 400, "BadRequest", "subnet_id or port_id");
  expect_error(model->add_router_interface(router, {"s", "p"}), 400, "BadRequest", "both");
  expect_error(add_subnet(router, "missing"), 404, "SubnetNotFound", "missing");
  expect_error(add_subnet("nope", "missing"), 404, "RouterNotFound", "nope");
  SubnetCreate no_gateway;
  no_gateway.project_id = "p";
  no_gateway.network_id = make_network();
  no_gateway.cidr = "10.9.0.0/24";
  no_gateway.gateway_ip = std::optional<std::string>{};
  auto subnet = model->create_subnets({no_gateway});
  ASSERT_TRUE(subnet);
  expect_error(add_subnet(router, subnet.value().front().id), 400, "BadRequest", "gateway IP");
  // The gateway address is the router's: a VM port may not take it, and a second router
  // finds it taken.
  const std::string net = make_network();
  const std::string s = make_subnet(net, "10.1.0.0/24");
  auto vm = make_port(net, std::vector<FixedIpRequest>{{s, "10.1.0.1"}});
  ASSERT_FALSE(vm);
  EXPECT_EQ(vm.error().http_status, 409) << vm.error().message;
  ASSERT_TRUE(add_subnet(router, s));
  expect_error(add_subnet(make_router(), s), 409, "IpAddressAlreadyAllocated", "10.1.0.1");
}

TEST_F(Routers, InterfaceByPort) {
  const std::string net = make_network();
  const std::string subnet = make_subnet(net, "10.0.0.0/24");
  const std::string port = make_vm_port(net);
  const std::string router = make_router();
  auto info = model->add_router_interface(router, {std::nullopt, port});
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info.value().port_id, port);
  EXPECT_EQ(info.value().subnet_ids, std::vector<std::string>{subnet});
  EXPECT_EQ(model->show_port(port).value().port.device_owner, "network:router_interface");
  // Now owned by the router: neither another router nor the port API may take it.
  expect_error(model->add_router_interface(make_router(), {std::nullopt, port}), 409, "PortInUse", port);
  expect_error(model->delete_port(port), 409, "ServicePortInUse", "network:router_interface");
  ASSERT_TRUE(model->remove_router_interface(router, {std::nullopt, port}));
  EXPECT_FALSE(model->show_port(port));
}

TEST_F(Routers, RemoveInterfaceAndDeleteRules) {
  const std::string net = make_network();
  const std::string subnet = make_subnet(net, "10.0.0.0/24");
  const std::string router = make_router();
  auto info = add_subnet(router, subnet);
  ASSERT_TRUE(info);
  expect_error(model->delete_router(router), 409, "RouterInUse", router);
  expect_error(model->delete_subnet(subnet), 409, "SubnetInUse", subnet);
  expect_error(model->remove_router_interface(router, {"other", std::nullopt}), 404,
               "RouterInterfaceNotFoundForSubnet", "other");
  expect_error(model->remove_router_interface(router, {std::nullopt, "p"}), 404, "RouterInterfaceNotFound", "p");
  auto removed = model->remove_router_interface(router, {subnet, std::nullopt});
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed.value().port_id, info.value().port_id);
  EXPECT_FALSE(model->show_port(info.value().port_id));
  EXPECT_FALSE(model->delete_subnet(subnet));
  EXPECT_FALSE(model->delete_router(router));
  expect_error(model->show_router(router), 404, "RouterNotFound", router);
}

TEST_F(Routers, ExternalGatewayTakesAnAddressOnTheExternalNetwork) {
  const std::string ext = make_external();
  const std::string router = make_router("p", ext);
  auto view = model->show_router(router).value();
  ASSERT_TRUE(view.router.gateway);
  EXPECT_EQ(view.router.gateway->network_id, ext);
  EXPECT_TRUE(view.router.gateway->enable_snat);
  ASSERT_EQ(view.external_fixed_ips.size(), 1u);
  EXPECT_EQ(view.external_fixed_ips[0].ip_address, "203.0.113.2");
  auto port = model->show_port(view.router.gateway->port_id).value().port;
  EXPECT_EQ(port.device_owner, "network:router_gateway");
  EXPECT_EQ(port.device_id, router);
  // A given address, SNAT off.
  RouterUpdate update;
  update.gateway = ExternalGatewayRequest{ext, false, std::vector<FixedIpRequest>{{std::nullopt, "203.0.113.50"}}};
  auto updated = model->update_router(router, update);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_FALSE(updated.value().router.gateway->enable_snat);
  EXPECT_EQ(updated.value().external_fixed_ips[0].ip_address, "203.0.113.50");
  EXPECT_FALSE(model->show_port(port.id));  // the old gateway port went
  expect_error(model->delete_network(ext), 409, "NetworkInUse", ext);
  // Clearing the gateway frees the address; deleting the router frees it too.
  update.gateway = std::optional<ExternalGatewayRequest>{};
  updated = model->update_router(router, update);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated.value().router.gateway);
  EXPECT_FALSE(model->delete_network(ext));
}

TEST_F(Routers, GatewayRefusals) {
  const std::string tenant = make_network();
  make_subnet(tenant, "10.0.0.0/24");
  RouterCreate request;
  request.project_id = "p";
  request.gateway = ExternalGatewayRequest{tenant, std::nullopt, std::nullopt};
  expect_error(model->create_routers({request}), 400, "BadRequest", "not an external network");
  request.gateway->network_id = "missing";
  expect_error(model->create_routers({request}), 404, "NetworkNotFound", "missing");
  const std::string ext = make_external();
  request.gateway = ExternalGatewayRequest{ext, std::nullopt, std::vector<FixedIpRequest>{{std::nullopt, "198.51.100.1"}}};
  auto outside = model->create_routers({request});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().http_status, 400);
  EXPECT_TRUE(model->list_routers().empty());  // nothing half-made
  EXPECT_EQ(model->list_ports().size(), 0u);
}

TEST_F(Routers, StaticRoutesNeedAConnectedNexthop) {
  const std::string router = make_router();
  const std::string subnet = make_subnet(make_network(), "10.0.0.0/24");
  ASSERT_TRUE(add_subnet(router, subnet));
  RouterUpdate update;
  update.routes = std::vector<HostRoute>{{"192.168.0.0/16", "10.0.0.10"}};
  auto ok = model->update_router(router, update);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok.value().router.routes.size(), 1u);
  update.routes = std::vector<HostRoute>{{"192.168.0.0/16", "10.5.0.10"}};
  expect_error(model->update_router(router, update), 400, "InvalidRoutes", "not connected");
  update.routes = std::vector<HostRoute>{{"192.168.0.0/16", "10.0.0.1"}};
  expect_error(model->update_router(router, update), 400, "InvalidRoutes", "used by router");
  update.routes = std::vector<HostRoute>{{"192.168.0.1/16", "10.0.0.10"}};
  expect_error(model->update_router(router, update), 400, "InvalidRoutes", "destination");
  update.routes = std::vector<HostRoute>{{"2001:db8::/64", "10.0.0.10"}};
  expect_error(model->update_router(router, update), 400, "InvalidRoutes", "versions");
  // The interface a route needs stays.
  expect_error(model->remove_router_interface(router, {subnet, std::nullopt}), 409, "RouterInterfaceInUseByRoute",
               subnet);
  update.routes = std::vector<HostRoute>{};
  ASSERT_TRUE(model->update_router(router, update));
  EXPECT_TRUE(model->remove_router_interface(router, {subnet, std::nullopt}));
}

TEST_F(Routers, SurviveARestart) {
  const std::string ext = make_external();
  const std::string router = make_router("p", ext);
  const std::string subnet = make_subnet(make_network(), "10.0.0.0/24");
  ASSERT_TRUE(add_subnet(router, subnet));
  restart();
  auto view = model->show_router(router);
  ASSERT_TRUE(view) << view.error().message;
  ASSERT_TRUE(view.value().router.gateway);
  EXPECT_EQ(view.value().external_fixed_ips[0].ip_address, "203.0.113.2");
  // Its interface is still its own: the router is in use.
  expect_error(model->delete_router(router), 409, "RouterInUse", router);
}

}  // namespace
}  // namespace overcast::controller::testing

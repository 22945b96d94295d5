// Floating IPs: allocation on the external network, association through the router
// that joins the port's subnet to it, the refusals, status from gateway liveness.
#include "l3_fixture.h"

namespace overcast::controller::testing {
namespace {

class FloatingIps : public L3Test {
 protected:
  // A tenant network 10.0.0.0/24 on a router with a gateway on the external network.
  void SetUp() override {
    L3Test::SetUp();
    ext = make_external();
    tenant_net = make_network();
    tenant_subnet = make_subnet(tenant_net, "10.0.0.0/24");
    router = make_router("p", ext);
    ASSERT_TRUE(add_subnet(router, tenant_subnet));
    vm_port = make_vm_port(tenant_net);
  }
  Result<std::vector<FloatingIpView>> create(std::optional<std::string> port = {},
                                             std::optional<std::string> address = {}) {
    FloatingIpCreate request;
    request.project_id = "p";
    request.floating_network_id = ext;
    request.port_id = std::move(port);
    request.floating_ip_address = std::move(address);
    return model->create_floating_ips({request});
  }
  std::string ext, tenant_net, tenant_subnet, router, vm_port;
};

TEST_F(FloatingIps, CreateFromThePoolOrAGivenAddress) {
  auto pooled = create();
  ASSERT_TRUE(pooled) << pooled.error().message;
  const FloatingIp& f = pooled.value().front().floating_ip;
  EXPECT_EQ(f.floating_network_id, ext);
  EXPECT_EQ(f.floating_ip_address, "203.0.113.3");  // .2 is the router's gateway
  EXPECT_TRUE(f.port_id.empty());
  EXPECT_EQ(pooled.value().front().status, "DOWN");
  auto held = model->show_port(f.floating_port_id);
  ASSERT_TRUE(held);
  EXPECT_EQ(held.value().port.device_owner, "network:floatingip");
  EXPECT_EQ(held.value().port.device_id, f.id);
  auto given = create(std::nullopt, "203.0.113.77");
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_EQ(given.value().front().floating_ip.floating_ip_address, "203.0.113.77");
  expect_error(create(std::nullopt, "203.0.113.77"), 409, "IpAddressAlreadyAllocated", "203.0.113.77");
  // Deleting frees the address and its port.
  ASSERT_FALSE(model->delete_floating_ip(given.value().front().floating_ip.id));
  EXPECT_TRUE(create(std::nullopt, "203.0.113.77"));
  EXPECT_FALSE(model->show_port(given.value().front().floating_ip.floating_port_id));
}

TEST_F(FloatingIps, AssociateDerivesTheRouter) {
  auto created = create(vm_port);
  ASSERT_TRUE(created) << created.error().message;
  const FloatingIp& f = created.value().front().floating_ip;
  EXPECT_EQ(f.port_id, vm_port);
  EXPECT_EQ(f.fixed_ip_address, "10.0.0.2");
  EXPECT_EQ(f.router_id, router);
  // Disassociate, then associate again by update.
  FloatingIpUpdate update;
  update.port_id = std::optional<std::string>{};
  auto off = model->update_floating_ip(f.id, update);
  ASSERT_TRUE(off);
  EXPECT_TRUE(off.value().floating_ip.port_id.empty());
  EXPECT_TRUE(off.value().floating_ip.router_id.empty());
  update.port_id = std::optional<std::string>{vm_port};
  update.fixed_ip_address = "10.0.0.2";
  auto on = model->update_floating_ip(f.id, update);
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(on.value().floating_ip.router_id, router);
  // The router's interface and gateway are needed while the association lasts.
  expect_error(model->remove_router_interface(router, {tenant_subnet, std::nullopt}), 409,
               "RouterInterfaceInUseByFloatingIP", tenant_subnet);
  RouterUpdate clear;
  clear.gateway = std::optional<ExternalGatewayRequest>{};
  expect_error(model->update_router(router, clear), 409, "RouterExternalGatewayInUseByFloatingIp", router);
  // Deleting the VM port disassociates.
  ASSERT_FALSE(model->delete_port(vm_port));
  EXPECT_TRUE(model->show_floating_ip(f.id).value().floating_ip.port_id.empty());
}

TEST_F(FloatingIps, Refusals) {
  // A network no router reaches.
  const std::string lonely_net = make_network();
  const std::string lonely_subnet = make_subnet(lonely_net, "10.1.0.0/24");
  const std::string lonely_port = make_vm_port(lonely_net);
  expect_error(create(lonely_port), 404, "ExternalGatewayForFloatingIPNotFound",
               "External network " + ext + " is not reachable from subnet " + lonely_subnet);
  // A port without a fixed IP.
  auto bare = make_port(lonely_net, std::vector<FixedIpRequest>{});
  ASSERT_TRUE(bare);
  expect_error(create(bare.value().front().port.id), 400, "BadRequest", "fixed IP");
  // A fixed IP the port does not have.
  FloatingIpCreate wrong;
  wrong.project_id = "p";
  wrong.floating_network_id = ext;
  wrong.port_id = vm_port;
  wrong.fixed_ip_address = "10.0.0.99";
  expect_error(model->create_floating_ips({wrong}), 400, "BadRequest", "10.0.0.99");
  // Not an external network; a missing port.
  FloatingIpCreate internal;
  internal.project_id = "p";
  internal.floating_network_id = tenant_net;
  expect_error(model->create_floating_ips({internal}), 400, "BadRequest", "external network");
  expect_error(create("missing-port"), 404, "PortNotFound", "missing-port");
  // One floating IP per fixed IP.
  ASSERT_TRUE(create(vm_port));
  expect_error(create(vm_port), 409, "FloatingIPPortAlreadyAssociated", vm_port);
  // Every refusal left nothing behind: only the router's two ports, the VM ports and one FIP port.
  EXPECT_EQ(model->list_floating_ips().size(), 1u);
}

TEST_F(FloatingIps, ChangingThePortsFixedIpDisassociates) {
  auto created = create(vm_port);
  ASSERT_TRUE(created);
  const std::string id = created.value().front().floating_ip.id;
  PortUpdate same;
  same.fixed_ips = std::vector<FixedIpRequest>{{tenant_subnet, "10.0.0.2"}};
  ASSERT_TRUE(model->update_port(vm_port, same));
  EXPECT_EQ(model->show_floating_ip(id).value().floating_ip.port_id, vm_port);  // the address stayed
  PortUpdate moved;
  moved.fixed_ips = std::vector<FixedIpRequest>{{tenant_subnet, "10.0.0.50"}};
  ASSERT_TRUE(model->update_port(vm_port, moved));
  auto released = model->show_floating_ip(id).value().floating_ip;
  EXPECT_TRUE(released.port_id.empty());
  EXPECT_TRUE(released.fixed_ip_address.empty());
  EXPECT_TRUE(released.router_id.empty());
}

TEST_F(FloatingIps, StatusFollowsTheGatewayHosts) {
  auto created = create(vm_port);
  ASSERT_TRUE(created);
  const std::string id = created.value().front().floating_ip.id;
  EXPECT_EQ(model->show_floating_ip(id).value().status, "DOWN");  // no gateway host
  std::string error;
  AgentRegistration gw{"gw1", "192.0.2.1", {}, "", true, 5, {"physnet1:eth1"}};
  ASSERT_TRUE(model->register_agent(gw, error)) << error;
  EXPECT_EQ(model->show_floating_ip(id).value().status, "ACTIVE");
  model->agent_disconnected("gw1");
  EXPECT_EQ(model->show_floating_ip(id).value().status, "DOWN");
}

TEST_F(FloatingIps, SurviveARestart) {
  auto created = create(vm_port);
  ASSERT_TRUE(created);
  restart();
  auto f = model->show_floating_ip(created.value().front().floating_ip.id);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f.value().floating_ip.router_id, router);
  EXPECT_EQ(f.value().floating_ip.fixed_ip_address, "10.0.0.2");
}

}  // namespace
}  // namespace overcast::controller::testing

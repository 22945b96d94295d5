// What the TopologyListener is told for the L3 gateway: a router's external gateway and
// floating IPs in its RouterFacts (re-sent when a floating IP moves), the gateway hosts'
// election inputs in their HostFacts, and their liveness flips from
// refresh_gateway_liveness() (liveness is not a write: nothing else reports it).
#include "l3_fixture.h"

namespace overcast::controller::testing {
namespace {

class GatewayChangeSets : public L3Test {
 protected:
  void SetUp() override {
    L3Test::SetUp();
    ext = make_external();
    tenant_net = make_network();
    tenant_subnet = make_subnet(tenant_net, "10.0.0.0/24");
    router = make_router("p", ext);
    ASSERT_TRUE(add_subnet(router, tenant_subnet));
    vm_port = make_vm_port(tenant_net);
  }
  const RouterFacts* last_router_facts() const {
    for (auto it = listener.received.rbegin(); it != listener.received.rend(); ++it) {
      for (const auto& r : it->routers) {
        if (r.id == router) return &r;
      }
    }
    return nullptr;
  }
  std::vector<HostFacts> hosts_told() const {
    std::vector<HostFacts> out;
    for (const auto& changes : listener.received) out.insert(out.end(), changes.hosts.begin(), changes.hosts.end());
    return out;
  }
  std::string ext, tenant_net, tenant_subnet, router, vm_port;
};

TEST_F(GatewayChangeSets, RouterFactsCarryTheExternalGateway) {
  const RouterFacts* facts = last_router_facts();
  ASSERT_NE(facts, nullptr);
  ASSERT_TRUE(facts->external.has_value());
  EXPECT_EQ(facts->external->network_id, ext);
  EXPECT_EQ(facts->external->address, "203.0.113.2/24");  // the first free address of the pool
  EXPECT_EQ(facts->external->mac.substr(0, 9), "fa:16:3e:");
  EXPECT_TRUE(facts->external->enable_snat);
  EXPECT_EQ(facts->external->gateway_ip, "203.0.113.1");
  EXPECT_TRUE(facts->floating_ips.empty());
}

TEST_F(GatewayChangeSets, FloatingIpAssociationResendsTheRouter) {
  listener.received.clear();
  FloatingIpCreate request;
  request.project_id = "p";
  request.floating_network_id = ext;
  request.port_id = vm_port;
  auto created = model->create_floating_ips({request});
  ASSERT_TRUE(created) << created.error().message;
  const RouterFacts* facts = last_router_facts();
  ASSERT_NE(facts, nullptr);
  ASSERT_EQ(facts->floating_ips.size(), 1u);
  EXPECT_EQ(facts->floating_ips[0].floating_ip, created.value().front().floating_ip.floating_ip_address);
  EXPECT_EQ(facts->floating_ips[0].fixed_ip, "10.0.0.2");
  EXPECT_EQ(facts->floating_ips[0].port_id, vm_port);
  // Disassociated: the router is told again, without it.
  listener.received.clear();
  FloatingIpUpdate update;
  update.port_id = std::optional<std::string>{};
  ASSERT_TRUE(model->update_floating_ip(created.value().front().floating_ip.id, update));
  facts = last_router_facts();
  ASSERT_NE(facts, nullptr);
  EXPECT_TRUE(facts->floating_ips.empty());
}

TEST_F(GatewayChangeSets, GatewayHostsLivenessFlipsAreReported) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"gw1", "192.0.2.1", {}, "", true, 7, {"physnet1:eth1"}}, error)) << error;
  ASSERT_TRUE(model->register_agent({"hv3", "192.0.2.3", {}, "", false, 0, {}}, error)) << error;
  auto told = hosts_told();
  ASSERT_EQ(told.size(), 2u);
  EXPECT_TRUE(told[0].gateway);
  EXPECT_EQ(told[0].gateway_priority, 7u);
  EXPECT_TRUE(told[0].alive);
  EXPECT_FALSE(told[1].gateway);
  listener.received.clear();
  model->refresh_gateway_liveness();
  EXPECT_TRUE(listener.received.empty());  // nothing flipped
  // A non-gateway host's death is nobody's business here.
  model->agent_disconnected("hv3");
  model->agent_disconnected("gw1");
  model->refresh_gateway_liveness();
  told = hosts_told();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].host, "gw1");
  EXPECT_FALSE(told[0].alive);
  model->refresh_gateway_liveness();  // said once
  EXPECT_EQ(hosts_told().size(), 1u);
  // Silence counts as death, a heartbeat as life.
  model->agent_heartbeat("gw1");
  model->refresh_gateway_liveness();
  ASSERT_EQ(hosts_told().size(), 2u);
  EXPECT_TRUE(hosts_told()[1].alive);
  now += std::chrono::seconds(7);
  model->refresh_gateway_liveness();
  ASSERT_EQ(hosts_told().size(), 3u);
  EXPECT_FALSE(hosts_told()[2].alive);
}

TEST_F(GatewayChangeSets, PriorityChangeIsReported) {
  std::string error;
  ASSERT_TRUE(model->register_agent({"gw1", "192.0.2.1", {}, "", true, 7, {"physnet1:eth1"}}, error)) << error;
  listener.received.clear();
  ASSERT_TRUE(model->register_agent({"gw1", "192.0.2.1", {}, "", true, 3, {"physnet1:eth1"}}, error)) << error;
  auto told = hosts_told();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].gateway_priority, 3u);
}

}  // namespace
}  // namespace overcast::controller::testing

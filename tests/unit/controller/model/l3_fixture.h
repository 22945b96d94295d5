// Helpers for router and floating IP tests: an external network with a subnet, tenant
// networks, routers, ports.
#pragma once

#include "model_fixture.h"

namespace overcast::controller::testing {

class L3Test : public ModelTest {
 protected:
  void expect_error(const Status& error, int status, const std::string& type, const std::string& needle) {
    ASSERT_TRUE(error) << "expected " << type;
    EXPECT_EQ(error->http_status, status) << error->message;
    EXPECT_EQ(error->type, type) << error->message;
    EXPECT_NE(error->message.find(needle), std::string::npos) << error->message;
  }
  template <class T>
  void expect_error(const Result<T>& result, int status, const std::string& type, const std::string& needle) {
    expect_error(result ? Status{} : Status{result.error()}, status, type, needle);
  }

  // An external flat network on physnet1 with 203.0.113.0/24; returns the network id.
  std::string make_external(const std::string& cidr = "203.0.113.0/24", const std::string& physnet = "physnet1") {
    NetworkCreate request;
    request.project_id = "admin";
    request.network_type = "flat";
    request.physical_network = physnet;
    request.external = true;
    auto created = model->create_networks({request});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    if (!created) return "";
    external_subnet = make_subnet(created.value().front().network.id, cidr);
    return created.value().front().network.id;
  }
  std::string make_router(const std::string& project = "p", std::optional<std::string> gateway_network = {}) {
    RouterCreate request;
    request.project_id = project;
    request.name = "r";
    if (gateway_network) request.gateway = ExternalGatewayRequest{*gateway_network, std::nullopt, std::nullopt};
    auto created = model->create_routers({request});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created ? created.value().front().router.id : "";
  }
  Result<RouterInterfaceInfo> add_subnet(const std::string& router, const std::string& subnet) {
    return model->add_router_interface(router, RouterInterfaceRequest{subnet, std::nullopt});
  }
  std::string make_vm_port(const std::string& network) {
    auto port = make_port(network);
    EXPECT_TRUE(port) << (port ? "" : port.error().message);
    return port ? port.value().front().port.id : "";
  }

  std::string external_subnet;
};

}  // namespace overcast::controller::testing

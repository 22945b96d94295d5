#include <gtest/gtest.h>

#include "cli/lab/lab_error.h"
#include "cli/lab/lab_vm.h"

namespace overcast::cli::lab {
namespace {

const nlohmann::json kPort = {
    {"id", "3f2a9c1e-5b7d-4e0f-9a8b-1c2d3e4f5a6b"},
    {"binding:host_id", "hv2"},
    {"mac_address", "FA:16:3E:00:00:01"},
    {"network_id", "net-1"},
    {"fixed_ips", {{{"subnet_id", "sub-6"}, {"ip_address", "fd00::5"}},
                   {{"subnet_id", "sub-4"}, {"ip_address", "10.0.0.5"}}}}};
const nlohmann::json kSubnet = {{"id", "sub-4"}, {"cidr", "10.0.0.0/24"}, {"gateway_ip", "10.0.0.1"}};
const nlohmann::json kNetwork = {{"id", "net-1"}, {"mtu", 1400}};

TEST(VmRecord, TakesEverythingTheGuestNeedsFromTheApi) {
  const VmRecord vm = vm_record_from_api("a1", kPort, &kSubnet, &kNetwork);
  EXPECT_EQ(vm.host, "hv2");
  EXPECT_EQ(vm.tap, "tap3f2a9c1e-5b");
  EXPECT_EQ(vm.mac, "fa:16:3e:00:00:01");
  EXPECT_EQ(vm.ip, "10.0.0.5");
  EXPECT_EQ(vm.prefix_length, 24);
  EXPECT_EQ(vm.gateway, "10.0.0.1");
  EXPECT_EQ(vm.mtu, 1400);
}

TEST(VmRecord, NetworkWithoutMtuGetsTheVxlanDefault) {
  EXPECT_EQ(vm_record_from_api("a1", kPort, &kSubnet, nullptr).mtu, 1450);
}

TEST(VmRecord, GatewayOutsideTheSubnetIsIgnored) {
  nlohmann::json subnet = kSubnet;
  subnet["gateway_ip"] = "192.168.9.1";
  EXPECT_EQ(vm_record_from_api("a1", kPort, &subnet, nullptr).gateway, "");
  subnet["gateway_ip"] = nullptr;
  EXPECT_EQ(vm_record_from_api("a1", kPort, &subnet, nullptr).gateway, "");
}

TEST(VmRecord, RefusesUnboundOrMalformedPorts) {
  nlohmann::json port = kPort;
  port["binding:host_id"] = "";
  EXPECT_THROW(vm_record_from_api("a1", port, &kSubnet, nullptr), LabError);
  port = kPort;
  port["mac_address"] = "not-a-mac";
  EXPECT_THROW(vm_record_from_api("a1", port, &kSubnet, nullptr), LabError);
  port = kPort;
  port["id"] = 7;
  EXPECT_THROW(vm_record_from_api("a1", port, &kSubnet, nullptr), LabError);
  port = kPort;
  port["fixed_ips"] = nlohmann::json::array();
  EXPECT_THROW(vm_record_from_api("a1", port, &kSubnet, nullptr), LabError);
  nlohmann::json subnet = kSubnet;
  subnet["cidr"] = "fd00::/64";
  EXPECT_THROW(vm_record_from_api("a1", kPort, &subnet, nullptr), LabError);
}

TEST(VmRecord, PortWithoutIpv4StillMakesAnUnaddressedVm) {
  const VmRecord vm = vm_record_from_api("a1", kPort, nullptr, nullptr);
  EXPECT_EQ(vm.ip, "");
  EXPECT_EQ(vm.tap, "tap3f2a9c1e-5b");
}

}  // namespace
}  // namespace overcast::cli::lab

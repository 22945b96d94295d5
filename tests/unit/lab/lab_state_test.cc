#include "cli/lab/lab_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

LabState sample_state() {
  LabState state;
  state.prefix = "t1";
  state.api_port = 19001;
  state.mgmt_octet = 4;
  state.bin_dir = "/opt/bin";
  state.hosts.push_back({"hv1", 1, "172.16.1.11", "10.254.4.11", 1});
  state.hosts.push_back({"hv2", 2, "172.16.2.12", "10.254.4.12", 2});
  state.vms.push_back({"a1", "hv2", "3f2a9c1e-5b7d-4e0f-9a8b-1c2d3e4f5a6b", "tap3f2a9c1e-5b",
                       "fa:16:3e:00:00:01", "10.0.0.5", 24, "10.0.0.1", 1450, /*dhcp=*/true});
  return state;
}

TEST(LabState, SurvivesAFileRoundTrip) {
  const std::string path = ::testing::TempDir() + "/lab_state_test_" + std::to_string(::getpid());
  sample_state().save(path);
  const auto loaded = LabState::load(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(to_json(*loaded), to_json(sample_state()));
  ASSERT_NE(loaded->find_vm("a1"), nullptr);
  EXPECT_EQ(loaded->find_vm("a1")->mtu, 1450);
  EXPECT_EQ(loaded->find_host("hv2")->underlay_ip, "172.16.2.12");
  EXPECT_EQ(loaded->find_host("hv3"), nullptr);
  std::remove(path.c_str());
}

TEST(LabState, VmOfALabMadeBeforeDhcpIsStatic) {
  nlohmann::json json = to_json(sample_state());
  EXPECT_TRUE(lab_state_from_json(json).vms.at(0).dhcp);
  json["vms"][0].erase("dhcp");
  EXPECT_FALSE(lab_state_from_json(json).vms.at(0).dhcp);
}

TEST(LabState, MissingFileIsNoLab) {
  EXPECT_FALSE(LabState::load("/nonexistent/lab.json"));
}

TEST(LabState, MalformedFileIsAnErrorNotAnEmptyLab) {
  const std::string path = ::testing::TempDir() + "/lab_state_bad_" + std::to_string(::getpid());
  std::ofstream(path) << "{\"prefix\": \"t1\"";
  EXPECT_THROW(LabState::load(path), LabError);
  std::ofstream(path, std::ios::trunc) << "{\"prefix\": 5, \"api_port\": 1}";
  EXPECT_THROW(LabState::load(path), LabError);
  std::remove(path.c_str());
}

TEST(LabState, UpsertReplacesByName) {
  LabState state = sample_state();
  VmRecord vm = state.vms[0];
  vm.ip = "10.0.0.9";
  state.upsert_vm(vm);
  ASSERT_EQ(state.vms.size(), 1u);
  EXPECT_EQ(state.vms[0].ip, "10.0.0.9");
  vm.name = "a2";
  state.upsert_vm(vm);
  EXPECT_EQ(state.vms.size(), 2u);
}

}  // namespace
}  // namespace overcast::cli::lab

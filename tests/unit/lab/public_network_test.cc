// `lab up`'s public network against a scripted API: created once with the flat/physnet1/
// external body, kept when it exists, and a refusal is an error naming what failed.
#include <gtest/gtest.h>

#include <sstream>

#include "../cli/fake_neutron_server.h"
#include "cli/lab/lab_error.h"
#include "cli/lab/lab_public_network.h"

namespace overcast::cli::lab {
namespace {

using cli::testing::FakeNeutronServer;

std::vector<cli::testing::RecordedRequest> posts(const FakeNeutronServer& server) {
  std::vector<cli::testing::RecordedRequest> out;
  for (const auto& r : server.requests()) {
    if (r.method == "POST") out.push_back(r);
  }
  return out;
}

TEST(PublicNetwork, CreatedWhenMissing) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks?name=public", 200, {{"networks", nlohmann::json::array()}});
  server.on("POST /v2.0/networks", 201, {{"network", {{"id", "net-1"}, {"name", "public"}}}});
  server.on("GET /v2.0/subnets?name=public-subnet", 200, {{"subnets", nlohmann::json::array()}});
  server.on("POST /v2.0/subnets", 201, {{"subnet", {{"id", "sub-1"}, {"name", "public-subnet"}}}});
  std::ostringstream log;
  EXPECT_EQ(ensure_public_network(NeutronClient(server.endpoint()), log), "net-1");
  const auto sent = posts(server);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].target, "/v2.0/networks");
  EXPECT_EQ(sent[0].json(), public_network_request());
  EXPECT_EQ(sent[1].target, "/v2.0/subnets");
  EXPECT_EQ(sent[1].json(), public_subnet_request("net-1"));
  EXPECT_NE(log.str().find("network public: created (net-1)"), std::string::npos) << log.str();
}

TEST(PublicNetwork, KeptWhenItExists) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks?name=public", 200, {{"networks", {{{"id", "net-9"}, {"name", "public"}}}}});
  server.on("GET /v2.0/subnets?name=public-subnet", 200,
            {{"subnets", {{{"id", "sub-9"}, {"name", "public-subnet"}}}}});
  std::ostringstream log;
  EXPECT_EQ(ensure_public_network(NeutronClient(server.endpoint()), log), "net-9");
  EXPECT_TRUE(posts(server).empty());
  EXPECT_EQ(log.str(), "");
}

TEST(PublicNetwork, RefusalIsAnErrorWithTheApisMessage) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks?name=public", 200, {{"networks", nlohmann::json::array()}});
  server.on("POST /v2.0/networks", 400,
            FakeNeutronServer::error_body("InvalidInput", "physical_network physnet1 is taken"));
  std::ostringstream log;
  try {
    ensure_public_network(NeutronClient(server.endpoint()), log);
    FAIL() << "no error";
  } catch (const LabError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create network public"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("physnet1 is taken"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace overcast::cli::lab

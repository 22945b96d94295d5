#include "cli/client/neutron_client.h"

#include <gtest/gtest.h>

#include "fake_neutron_server.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::FakeNeutronServer;

class NeutronClientTest : public ::testing::Test {
 protected:
  FakeNeutronServer server;
  NeutronClient client{server.endpoint()};
};

TEST_F(NeutronClientTest, GetParsesJsonBody) {
  server.on("GET /v2.0/networks", 200, {{"networks", json::array({{{"id", "n1"}}})}});
  ApiResult r = client.get("/v2.0/networks");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["networks"][0]["id"], "n1");
  EXPECT_EQ(r.error, "");
}

TEST_F(NeutronClientTest, PostSendsJsonBodyAndContentType) {
  server.on("POST /v2.0/networks", 201, {{"network", {{"id", "n1"}, {"name", "web"}}}});
  ApiResult r = client.post("/v2.0/networks", {{"network", {{"name", "web"}}}});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.status, 201);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].json(), json({{"network", {{"name", "web"}}}}));
}

TEST_F(NeutronClientTest, PutAndDelete) {
  server.on("PUT /v2.0/ports/p1", 200, {{"port", {{"id", "p1"}}}});
  server.on("DELETE /v2.0/ports/p1", 204, nullptr);
  EXPECT_TRUE(client.put("/v2.0/ports/p1", {{"port", {{"name", "x"}}}}).ok());
  ApiResult d = client.del("/v2.0/ports/p1");
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(d.status, 204);
  EXPECT_TRUE(d.body.is_null());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].json()["port"]["name"], "x");
  EXPECT_EQ(reqs[1].method, "DELETE");
}

TEST_F(NeutronClientTest, NeutronErrorMessageBecomesTheError) {
  server.on("POST /v2.0/subnets", 400,
            FakeNeutronServer::error_body("BadRequest", "Invalid input: cidr 10.0.0.0/33"));
  ApiResult r = client.post("/v2.0/subnets", {{"subnet", json::object()}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error, "Invalid input: cidr 10.0.0.0/33");
}

TEST_F(NeutronClientTest, NonJsonErrorQuotesStatusAndBody) {
  server.on_raw("GET /v2.0/networks", 502, "<html>bad gateway</html>", "text/html");
  ApiResult r = client.get("/v2.0/networks");
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.error, "HTTP 502 Bad Gateway: <html>bad gateway</html>");
}

TEST_F(NeutronClientTest, SuccessWithGarbageBodyIsNotOk) {
  server.on_raw("GET /v2.0/networks", 200, "{not json", "application/json");
  ApiResult r = client.get("/v2.0/networks");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("not JSON"), std::string::npos) << r.error;
}

TEST(NeutronClientTransportTest, RefusedConnectionIsStatusZero) {
  const int port = testing::unused_loopback_port();
  ASSERT_NE(port, 0);
  NeutronClient client("http://127.0.0.1:" + std::to_string(port));
  ApiResult r = client.get("/v2.0/networks");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("cannot reach the controller at http://127.0.0.1:"), std::string::npos)
      << r.error;
}

TEST(NeutronClientTransportTest, MalformedEndpointFailsEveryRequest) {
  NeutronClient client("ftp://nowhere");
  ApiResult r = client.get("/v2.0/networks");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("scheme"), std::string::npos) << r.error;
}

TEST(NeutronClientPrefixTest, BasePathIsPrepended) {
  FakeNeutronServer server;
  server.on("GET /neutron/v2.0/networks", 200, {{"networks", json::array()}});
  NeutronClient client(server.endpoint() + "/neutron/");
  EXPECT_TRUE(client.get("/v2.0/networks").ok());
}

TEST_F(NeutronClientTest, LookupByIdUnwrapsEnvelope) {
  server.on("GET /v2.0/networks/n1", 200, {{"network", {{"id", "n1"}, {"name", "web"}}}});
  ApiResult r = client.lookup("networks", "n1");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, json({{"id", "n1"}, {"name", "web"}}));
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(NeutronClientTest, LookupFallsBackToNameWithEncodedQuery) {
  server.on("GET /v2.0/networks?name=my%20web", 200,
            {{"networks", json::array({{{"id", "n1"}, {"name", "my web"}}})}});
  std::string error;
  auto found = client.find("networks", "my web", error);
  ASSERT_TRUE(found) << error;
  EXPECT_EQ((*found)["id"], "n1");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].target, "/v2.0/networks/my%20web");
  EXPECT_EQ(reqs[1].target, "/v2.0/networks?name=my%20web");
}

TEST_F(NeutronClientTest, LookupIgnoresUnfilteredServerAnswer) {
  // A server that ignores ?name= returns everything; only exact matches count.
  server.on("GET /v2.0/networks?name=web", 200,
            {{"networks", json::array({{{"id", "n1"}, {"name", "db"}},
                                       {{"id", "n2"}, {"name", "web"}}})}});
  ApiResult r = client.lookup("networks", "web");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body["id"], "n2");
}

TEST_F(NeutronClientTest, LookupNotFound) {
  server.on("GET /v2.0/networks?name=ghost", 200, {{"networks", json::array()}});
  ApiResult r = client.lookup("networks", "ghost");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error, "no network with name or ID 'ghost'");
}

TEST_F(NeutronClientTest, LookupAmbiguousNameListsIds) {
  server.on("GET /v2.0/networks?name=web", 200,
            {{"networks", json::array({{{"id", "n1"}, {"name", "web"}},
                                       {{"id", "n2"}, {"name", "web"}}})}});
  std::string error;
  EXPECT_FALSE(client.find("networks", "web", error));
  EXPECT_EQ(error, "more than one network has name 'web'; use the ID: n1 n2");
  EXPECT_EQ(client.lookup("networks", "web").status, 409);
}

TEST_F(NeutronClientTest, LookupByCustomNameField) {
  server.on("GET /v2.0/agents?host=hv1", 200,
            {{"agents", json::array({{{"id", "a1"}, {"host", "hv1"}}})}});
  ApiResult r = client.lookup("agents", "hv1", "host");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body["id"], "a1");
}

TEST_F(NeutronClientTest, LookupPassesServerFailureThrough) {
  server.on("GET /v2.0/networks/n1", 500,
            FakeNeutronServer::error_body("InternalError", "store unavailable"));
  ApiResult r = client.lookup("networks", "n1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.error, "store unavailable");
  EXPECT_EQ(server.requests().size(), 1u);  // no name fallback after a server failure
}

TEST_F(NeutronClientTest, LookupRejectsEmptyName) {
  ApiResult r = client.lookup("ports", "");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(server.requests().empty());
}

TEST(NeutronClientHelpersTest, SingularAndQuery) {
  EXPECT_EQ(singular_of("networks"), "network");
  EXPECT_EQ(singular_of("policies"), "policy");
  EXPECT_EQ(singular_of("agents"), "agent");
  EXPECT_EQ(singular_of("security-group-rules"), "security_group_rule");
  EXPECT_EQ(with_query("/v2.0/ports", {}), "/v2.0/ports");
  EXPECT_EQ(with_query("/v2.0/ports", {{"network_id", "n 1"}, {"binding:host_id", "hv1"}}),
            "/v2.0/ports?network_id=n%201&binding%3Ahost_id=hv1");
}

}  // namespace
}  // namespace overcast::cli

#include "cli/client/endpoint.h"

#include <gtest/gtest.h>

namespace overcast::cli {
namespace {

TEST(EndpointTest, ParsesFullUrlWithPrefix) {
  std::string error;
  auto ep = Endpoint::parse("http://ctl.example:8080/neutron/", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_FALSE(ep->tls);
  EXPECT_EQ(ep->host, "ctl.example");
  EXPECT_EQ(ep->port, 8080);
  EXPECT_EQ(ep->base_path, "/neutron");
  EXPECT_EQ(ep->to_string(), "http://ctl.example:8080/neutron");
}

TEST(EndpointTest, BareHostGetsDefaultPort) {
  std::string error;
  auto ep = Endpoint::parse("10.0.0.5", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_EQ(ep->host, "10.0.0.5");
  EXPECT_EQ(ep->port, 9696);
  EXPECT_EQ(ep->base_path, "");
}

TEST(EndpointTest, Ipv6LiteralAndHttps) {
  std::string error;
  auto ep = Endpoint::parse("https://[::1]:9797", error);
  ASSERT_TRUE(ep) << error;
  EXPECT_TRUE(ep->tls);
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 9797);
  EXPECT_EQ(ep->scheme_host_port(), "https://[::1]:9797");
}

TEST(EndpointTest, RejectsMalformed) {
  for (const char* bad : {"ftp://x:1", "http://:9696", "http://host:", "http://host:0",
                          "http://host:70000", "http://host:12ab", "http://[::1", "http://[::1]x",
                          ""}) {
    std::string error;
    EXPECT_FALSE(Endpoint::parse(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(UrlEncodeTest, KeepsUnreservedEncodesTheRest) {
  EXPECT_EQ(url_encode("web-1_a.b~"), "web-1_a.b~");
  EXPECT_EQ(url_encode("a b/c?d&e=f"), "a%20b%2Fc%3Fd%26e%3Df");
  EXPECT_EQ(url_encode("\xc3\xa9"), "%C3%A9");
}

}  // namespace
}  // namespace overcast::cli

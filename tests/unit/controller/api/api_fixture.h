// The API test fixture: a real ApiServer over an in-memory model on an ephemeral
// loopback port, and a real HTTP client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "../model/model_fixture.h"
#include "controller/api/api_server.h"

namespace overcast::controller::api::testing {

using nlohmann::json;
using controller::testing::MemoryStore;
using controller::testing::RecordingListener;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = std::make_unique<LogicalModel>(store_, &listener_, ModelConfig{});
    ASSERT_FALSE(model_->load());
    server_ = std::make_unique<ApiServer>(*model_, ApiConfig{2, "default-project"});
    std::string error;
    ASSERT_TRUE(server_->start("127.0.0.1", 0, error)) << error;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override { server_->stop(); }

  struct Reply {
    int status = 0;
    json body;
  };
  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             httplib::Headers headers = {}) {
    httplib::Result r = method == "GET"      ? client_->Get(path, headers)
                        : method == "POST"   ? client_->Post(path, headers, body, "application/json")
                        : method == "PUT"    ? client_->Put(path, headers, body, "application/json")
                        : method == "PATCH"  ? client_->Patch(path, headers, body, "application/json")
                                             : client_->Delete(path, headers);
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {};
    Reply reply{r->status, json()};
    if (!r->body.empty()) reply.body = json::parse(r->body);
    return reply;
  }
  std::string create_network(const std::string& name) {
    auto r = call("POST", "/v2.0/networks", json{{"network", {{"name", name}}}}.dump());
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["network"]["id"];
  }
  void expect_neutron_error(const Reply& r, int status, const std::string& type, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body.dump();
    ASSERT_TRUE(r.body.contains("NeutronError")) << r.body.dump();
    EXPECT_EQ(r.body["NeutronError"]["type"], type) << r.body.dump();
    EXPECT_NE(r.body["NeutronError"]["message"].get<std::string>().find(needle), std::string::npos) << r.body.dump();
    EXPECT_EQ(r.body["NeutronError"]["detail"], "");
  }

  MemoryStore store_;
  RecordingListener listener_;
  std::unique_ptr<LogicalModel> model_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace overcast::controller::api::testing

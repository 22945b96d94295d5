#include "agent/main/control_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace overcast::agent {
namespace {

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/oc-a2-ctl-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/agent.sock";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  httplib::Result get(const std::string& route) {
    httplib::Client client(path_);
    client.set_address_family(AF_UNIX);
    return client.Get(route.c_str());
  }

  std::string dir_;
  std::string path_;
};

TEST_F(ControlServerTest, ServesJsonRoutesOverTheUnixSocket) {
  int calls = 0;
  ControlServer server(path_, {{"/status", [&] { return nlohmann::json{{"connected", false}, {"n", ++calls}}; }}});
  std::string error;
  ASSERT_TRUE(server.start(error)) << error;
  auto res = get("/status");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["connected"], false);
  EXPECT_EQ(body["n"], 1);
  auto missing = get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  server.stop();
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(ControlServerTest, ReplacesAStaleSocketButNotARegularFile) {
  {
    ControlServer first(path_, {});
    std::string error;
    ASSERT_TRUE(first.start(error)) << error;
    // Left behind as a killed agent would leave it: no stop(), no unlink.
    ASSERT_TRUE(std::filesystem::exists(path_));
    std::filesystem::rename(path_, path_ + ".keep");
  }
  std::filesystem::rename(path_ + ".keep", path_);
  ControlServer second(path_, {{"/view", [] { return nlohmann::json{{"ok", true}}; }}});
  std::string error;
  ASSERT_TRUE(second.start(error)) << error;
  auto res = get("/view");
  ASSERT_TRUE(res);
  EXPECT_EQ(nlohmann::json::parse(res->body)["ok"], true);
  second.stop();

  { std::ofstream(path_) << "not a socket"; }
  ControlServer third(path_, {});
  EXPECT_FALSE(third.start(error));
  EXPECT_NE(error.find("not a socket"), std::string::npos) << error;
}

TEST_F(ControlServerTest, AProviderThatThrowsGivesA500) {
  ControlServer server(path_, {{"/counters", []() -> nlohmann::json { throw std::runtime_error("boom"); }}});
  std::string error;
  ASSERT_TRUE(server.start(error)) << error;
  auto res = get("/counters");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"], "boom");
}

}  // namespace
}  // namespace overcast::agent

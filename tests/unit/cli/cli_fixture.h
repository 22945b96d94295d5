// The fixture of the in-process command tests: `overcast` run through run_cli() against a
// scripted fake API, with what it printed and how it exited.
#pragma once

#include <sstream>

#include <gtest/gtest.h>

#include "cli/main/app.h"
#include "cli/main/exit_codes.h"
#include "fake_neutron_server.h"

namespace overcast::cli::testing {

using nlohmann::json;

constexpr const char* kNetId = "11111111-1111-1111-1111-111111111111";
constexpr const char* kSubnetId = "22222222-2222-2222-2222-222222222222";

class CliCommandsTest : public ::testing::Test {
 protected:
  // Runs `overcast --endpoint <fake> args...`; fills out/err.
  int run(std::vector<std::string> args) {
    args.insert(args.begin(), {"overcast", "--endpoint", server.endpoint()});
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream o, e;
    const int code = run_cli(static_cast<int>(argv.size()), argv.data(), o, e);
    out = o.str();
    err = e.str();
    return code;
  }

  // The fake knows network "web" only by name: GET by ID misses, ?name= finds it.
  void know_network_web() {
    server.on("GET /v2.0/networks?name=web", 200,
              {{"networks", json::array({{{"id", kNetId}, {"name", "web"}}})}});
  }
  void know_subnet_web_v4() {
    server.on("GET /v2.0/subnets?name=web-v4", 200,
              {{"subnets", json::array({{{"id", kSubnetId}, {"name", "web-v4"}}})}});
  }
  std::vector<testing::RecordedRequest> sent(const std::string& method) {
    std::vector<testing::RecordedRequest> matching;
    for (auto& r : server.requests()) {
      if (r.method == method) matching.push_back(r);
    }
    return matching;
  }

  FakeNeutronServer server;
  std::string out;
  std::string err;
};

}  // namespace overcast::cli::testing

// End to end: the real `overcast` binary, run as a child process, against a fake Neutron API
// served from this test process. Checks the requests it makes, its stdout/stderr and its
// exit code — what a script calling the tool sees.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "fake_neutron_server.h"

namespace overcast::cli {
namespace {

using nlohmann::json;
using testing::FakeNeutronServer;

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_and_remove(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  ::unlink(path.c_str());
  return text.str();
}

// Runs the binary with `args`; `endpoint_env` ("" = unset) becomes OVERCAST_ENDPOINT.
ProcessResult run_overcast(const std::vector<std::string>& args, const std::string& endpoint_env) {
  char out_path[] = "/tmp/oc-cli-test-out-XXXXXX";
  char err_path[] = "/tmp/oc-cli-test-err-XXXXXX";
  const int out_fd = ::mkstemp(out_path);
  const int err_fd = ::mkstemp(err_path);
  ProcessResult result;
  if (out_fd < 0 || err_fd < 0) return result;

  std::vector<std::string> argv_storage = {OVERCAST_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    if (endpoint_env.empty()) {
      ::unsetenv("OVERCAST_ENDPOINT");
    } else {
      ::setenv("OVERCAST_ENDPOINT", endpoint_env.c_str(), 1);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  int status = 0;
  if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  result.out = read_and_remove(out_path);
  result.err = read_and_remove(err_path);
  return result;
}

TEST(CliBinaryTest, PortCreateEndToEndWithEndpointFromEnvironment) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks?name=web", 200,
            {{"networks", json::array({{{"id", "net-1"}, {"name", "web"}}})}});
  server.on("GET /v2.0/subnets?name=web-v4", 200,
            {{"subnets", json::array({{{"id", "sub-1"}, {"name", "web-v4"}}})}});
  const json created = {{"id", "port-1"},
                        {"name", "vm1"},
                        {"network_id", "net-1"},
                        {"fixed_ips", json::array({{{"subnet_id", "sub-1"},
                                                    {"ip_address", "10.0.0.5"}}})}};
  server.on("POST /v2.0/ports", 201, {{"port", created}});

  auto r = run_overcast({"port", "create", "vm1", "--network", "web", "--fixed-ip",
                         "subnet=web-v4,ip=10.0.0.5", "-f", "json"},
                        server.endpoint());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(json::parse(r.out, nullptr, false), created) << r.out;

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[0].target, "/v2.0/networks/web");
  EXPECT_EQ(requests[1].target, "/v2.0/networks?name=web");
  EXPECT_EQ(requests[2].target, "/v2.0/subnets/web-v4");
  EXPECT_EQ(requests[3].target, "/v2.0/subnets?name=web-v4");
  EXPECT_EQ(requests[4].method, "POST");
  EXPECT_EQ(requests[4].target, "/v2.0/ports");
  EXPECT_EQ(requests[4].json(),
            json({{"port",
                   {{"name", "vm1"},
                    {"network_id", "net-1"},
                    {"fixed_ips", json::array({{{"subnet_id", "sub-1"},
                                                {"ip_address", "10.0.0.5"}}})}}}}));
}

TEST(CliBinaryTest, NetworkListTableAndEndpointFlagBeatsEnvironment) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks", 200,
            {{"networks", json::array({{{"id", "n1"}, {"name", "web"}, {"vni", 7}}})}});
  auto r = run_overcast({"--endpoint", server.endpoint(), "network", "list"},
                        "http://127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "+----+------+-----+-----+---------+---------+\n"
            "| ID | Name | VNI | MTU | Subnets | Project |\n"
            "+----+------+-----+-----+---------+---------+\n"
            "| n1 | web  | 7   |     |         |         |\n"
            "+----+------+-----+-----+---------+---------+\n");
}

TEST(CliBinaryTest, ExitCodesSeenByScripts) {
  FakeNeutronServer server;
  server.on("GET /v2.0/networks?name=ghost", 200, {{"networks", json::array()}});
  server.on("GET /v2.0/ports", 503, FakeNeutronServer::error_body("Unavailable", "busy"));

  auto refused = run_overcast({"network", "delete", "ghost"}, server.endpoint());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "error: no network with name or ID 'ghost'\n");

  auto usage = run_overcast({"network", "create"}, server.endpoint());
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err.rfind("error: ", 0), 0u) << usage.err;

  auto failed = run_overcast({"port", "list"}, server.endpoint());
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_EQ(failed.err, "error: busy\n");

  const std::string nowhere = "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port());
  auto unreachable = run_overcast({"host", "list"}, nowhere);
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_EQ(unreachable.err.rfind("error: cannot reach the controller at " + nowhere, 0), 0u)
      << unreachable.err;

  auto help = run_overcast({"--help"}, "");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Exit codes:"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace overcast::cli

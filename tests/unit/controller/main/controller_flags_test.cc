#include "controller/main/controller_flags.h"

#include <gtest/gtest.h>

namespace overcast::controller {
namespace {

int parse(std::vector<std::string> args, ControllerFlags& flags) {
  args.insert(args.begin(), "overcast-controller");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_controller_flags(static_cast<int>(argv.size()), argv.data(), flags);
}

TEST(ControllerFlags, Defaults) {
  ControllerFlags flags;
  EXPECT_EQ(parse({}, flags), -1);
  EXPECT_EQ(flags.api.host, "127.0.0.1");
  EXPECT_EQ(flags.api.port, 9696);
  EXPECT_EQ(flags.southbound.port, 6641);
  EXPECT_EQ(flags.db_path, "/var/lib/overcast/controller.db");
  EXPECT_EQ(flags.db_sync, SyncMode::kNormal);
  EXPECT_EQ(flags.underlay_mtu, 1500u);
}

TEST(ControllerFlags, AllFlags) {
  ControllerFlags flags;
  EXPECT_EQ(parse({"--api", "[::1]:0", "--southbound", "10.1.2.3:7000", "--db", "/tmp/x.db", "--db-sync", "full",
                   "--underlay-mtu", "9000", "--log-level", "debug"},
                  flags),
            -1);
  EXPECT_EQ(flags.api.host, "::1");
  EXPECT_EQ(flags.api.port, 0);
  EXPECT_EQ(flags.southbound.host, "10.1.2.3");
  EXPECT_EQ(flags.db_sync, SyncMode::kFull);
  EXPECT_EQ(flags.underlay_mtu, 9000u);
}

TEST(ControllerFlags, EtcdStore) {
  ControllerFlags flags;
  EXPECT_EQ(parse({"--store", "etcd://10.0.0.1:2379,10.0.0.2:2379", "--store-prefix", "/cloud1"}, flags), -1);
  EXPECT_EQ(flags.store_url, "etcd://10.0.0.1:2379,10.0.0.2:2379");
  EXPECT_EQ(flags.store_prefix, "/cloud1");
  ControllerFlags defaults;
  EXPECT_EQ(parse({}, defaults), -1);
  EXPECT_TRUE(defaults.store_url.empty()) << "SQLite stays the default";
}

TEST(ControllerFlags, BadFlagsExitWithTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--api", "nohost"},
                                                                {"--api", "1.2.3.4:70000"},
                                                                {"--southbound", "::1:80"},
                                                                {"--db-sync", "sometimes"},
                                                                {"--underlay-mtu", "100"},
                                                                {"--log-level", "loud"},
                                                                {"--store", "127.0.0.1:2379"},
                                                                {"--store", "etcd://h:2379,"},
                                                                {"--store", "etcd://h:2379", "--store-prefix", "x"},
                                                                {"--store-prefix", "/x/"},
                                                                {"--no-such-flag"}}) {
    ControllerFlags flags;
    EXPECT_EQ(parse(args, flags), 2) << args[0];
  }
}

}  // namespace
}  // namespace overcast::controller

#include "controller/main/controller_flags.h"

#include <CLI/CLI.hpp>

#include <charconv>

#include "controller/store/etcd_keys.h"

namespace overcast::controller {

namespace {
// The smallest underlay that still leaves a 68-byte IPv4 MTU after 50 bytes of VXLAN.
constexpr uint32_t kMinUnderlayMtu = 118;
constexpr uint32_t kMaxUnderlayMtu = 65535;
}  // namespace

bool parse_host_port(const std::string& text, HostPort& out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return false;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return false;  // an IPv6 address needs brackets
  }
  const std::string port_text = text.substr(colon + 1);
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 0 || port > 65535) return false;
  out = {host, port};
  return true;
}

int parse_controller_flags(int argc, char** argv, ControllerFlags& flags) {
  CLI::App app{"overcast-controller: owns the logical model, serves the Neutron API and the agents"};
  std::string api = "127.0.0.1:9696";
  std::string southbound = "0.0.0.0:6641";
  std::string sync = "normal";
  app.add_option("--api", api, "Neutron API listen address HOST:PORT")->capture_default_str();
  app.add_option("--southbound", southbound, "agent (gRPC) listen address HOST:PORT")->capture_default_str();
  app.add_option("--db", flags.db_path, "SQLite database file (its directory is created)")->capture_default_str();
  app.add_option("--store", flags.store_url,
                 "etcd://HOST:PORT,HOST:PORT,...: keep the model in this etcd cluster, shared with other "
                 "controllers (instead of the SQLite --db)");
  app.add_option("--store-prefix", flags.store_prefix, "key prefix of this cloud in etcd")->capture_default_str();
  app.add_option("--db-sync", sync,
                 "normal: a commit survives a crash of the controller; full: also a power loss (fsync per write)")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  app.add_option("--underlay-mtu", flags.underlay_mtu, "MTU of the fabric; networks get 50 bytes less")
      ->check(CLI::Range(kMinUnderlayMtu, kMaxUnderlayMtu))
      ->capture_default_str();
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (!parse_host_port(api, flags.api)) {
    std::fprintf(stderr, "--api: '%s' is not HOST:PORT\n", api.c_str());
    return 2;
  }
  if (!parse_host_port(southbound, flags.southbound)) {
    std::fprintf(stderr, "--southbound: '%s' is not HOST:PORT\n", southbound.c_str());
    return 2;
  }
  if (flags.db_path.empty()) {
    std::fprintf(stderr, "--db: the path must not be empty\n");
    return 2;
  }
  if (!flags.store_url.empty()) {
    std::string why;
    if (!etcd::parse_store_url(flags.store_url, why)) {
      std::fprintf(stderr, "--store: %s\n", why.c_str());
      return 2;
    }
  }
  if (flags.store_prefix.empty() || flags.store_prefix.front() != '/' || flags.store_prefix.back() == '/') {
    std::fprintf(stderr, "--store-prefix: '%s' must start with '/' and not end with one\n", flags.store_prefix.c_str());
    return 2;
  }
  flags.db_sync = sync == "full" ? SyncMode::kFull : SyncMode::kNormal;
  return -1;
}

}  // namespace overcast::controller

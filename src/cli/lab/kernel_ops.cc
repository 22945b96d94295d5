#include "cli/lab/kernel_ops.h"

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/lab/command_runner.h"
#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {
namespace {

constexpr const char* kNetnsDir = "/run/netns";

// "ip [-n NS] <args...>"
Argv ip(const std::string& ns, std::initializer_list<std::string> args) {
  Argv argv{"ip"};
  if (!ns.empty()) {
    argv.push_back("-n");
    argv.push_back(ns);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

nlohmann::json run_ip_json(const Argv& argv) {
  const std::string out = run_checked(argv);
  if (out.find_first_not_of(" \n") == std::string::npos) return nlohmann::json::array();
  nlohmann::json json = nlohmann::json::parse(out, nullptr, false);
  if (json.is_discarded()) throw LabError("unexpected output of `" + format_command(argv) + "`");
  return json;
}

}  // namespace

std::vector<std::string> list_namespaces() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

bool namespace_exists(const std::string& ns) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(kNetnsDir) / ns, ec);
}

bool link_exists(const std::string& ns, const std::string& link) {
  if (!ns.empty() && !namespace_exists(ns)) return false;
  return run_command(ip(ns, {"link", "show", "dev", link})).ok();
}

std::vector<std::string> link_names(const std::string& ns) {
  std::vector<std::string> names;
  for (const auto& link : run_ip_json(ip(ns, {"-j", "link", "show"}))) {
    if (link.contains("ifname")) names.push_back(link["ifname"].get<std::string>());
  }
  return names;
}

void ensure_namespace(const std::string& ns) {
  if (!namespace_exists(ns)) run_checked({"ip", "netns", "add", ns});
  run_checked(ip(ns, {"link", "set", "lo", "up"}));
}

void delete_namespace(const std::string& ns) {
  if (!namespace_exists(ns)) return;
  run_checked({"ip", "netns", "delete", ns});
}

void delete_link(const std::string& ns, const std::string& link) {
  if (!link_exists(ns, link)) return;
  run_checked(ip(ns, {"link", "delete", "dev", link}));
}

void ensure_bridge(const std::string& ns, const std::string& bridge) {
  if (!link_exists(ns, bridge)) run_checked(ip(ns, {"link", "add", bridge, "type", "bridge"}));
  set_link_up(ns, bridge);
}

void ensure_veth(const std::string& ns_a, const std::string& a, const std::string& ns_b,
                 const std::string& b) {
  const bool have_a = link_exists(ns_a, a);
  const bool have_b = link_exists(ns_b, b);
  if (have_a && have_b) return;
  if (have_a) delete_link(ns_a, a);
  if (have_b) delete_link(ns_b, b);
  Argv argv = ip(ns_a, {"link", "add", a, "type", "veth", "peer", "name", b});
  argv.push_back("netns");
  argv.push_back(ns_b.empty() ? "1" : ns_b);  // PID 1 names the root namespace
  run_checked(argv);
}

void set_master(const std::string& ns, const std::string& link, const std::string& bridge) {
  run_checked(ip(ns, {"link", "set", "dev", link, "master", bridge}));
}

void set_link_up(const std::string& ns, const std::string& link) {
  run_checked(ip(ns, {"link", "set", "dev", link, "up"}));
}

void set_link_mtu(const std::string& ns, const std::string& link, int mtu) {
  run_checked(ip(ns, {"link", "set", "dev", link, "mtu", std::to_string(mtu)}));
}

void ensure_address(const std::string& ns, const std::string& link, const std::string& cidr) {
  run_checked(ip(ns, {"address", "replace", cidr, "dev", link}));
}

void ensure_default_route(const std::string& ns, const std::string& via) {
  run_checked(ip(ns, {"route", "replace", "default", "via", via}));
}

void set_sysctl(const std::string& ns, const std::string& key, const std::string& value) {
  Argv argv;
  if (!ns.empty()) argv = {"ip", "netns", "exec", ns};
  argv.insert(argv.end(), {"sysctl", "-q", "-w", key + "=" + value});
  run_checked(argv);
}

void disable_ipv6(const std::string& ns) {
  set_sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
  set_sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
}

void move_link(const std::string& from_ns, const std::string& link, const std::string& to_ns) {
  run_checked(ip(from_ns, {"link", "set", "dev", link, "netns", to_ns.empty() ? "1" : to_ns}));
}

std::vector<IpPrefix> root_ipv4_prefixes() {
  std::vector<IpPrefix> prefixes;
  for (const auto& route : run_ip_json({"ip", "-j", "-4", "route", "show", "table", "all"})) {
    const std::string dst = route.value("dst", "");
    if (dst.empty() || dst == "default") continue;
    auto prefix = IpPrefix::parse(dst.find('/') == std::string::npos ? dst + "/32" : dst);
    if (prefix) prefixes.push_back(*prefix);
  }
  for (const auto& link : run_ip_json({"ip", "-j", "-4", "address", "show"})) {
    for (const auto& info : link.value("addr_info", nlohmann::json::array())) {
      auto prefix = IpPrefix::parse(info.value("local", "") + "/" +
                                    std::to_string(info.value("prefixlen", 32)));
      if (prefix) prefixes.push_back(*prefix);
    }
  }
  return prefixes;
}

std::vector<int> namespace_pids(const std::string& ns) {
  std::vector<int> pids;
  const CommandResult result = run_command({"ip", "netns", "pids", ns});
  if (!result.ok()) return pids;
  std::istringstream lines(result.out);
  int pid = 0;
  while (lines >> pid) pids.push_back(pid);
  return pids;
}

}  // namespace overcast::cli::lab

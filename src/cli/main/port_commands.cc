// overcast port list | show | create | set | delete
#include <memory>

#include "cli/main/arg_parsers.h"
#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"
#include "common/mac_address.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "ports";
constexpr const char* kHostKey = "binding:host_id";  // Neutron's port binding extension

struct PortOptions {
  std::string name_or_id;
  std::vector<std::string> names_or_ids;
  std::optional<std::string> name;
  std::string network;
  std::string mac;
  std::vector<std::string> fixed_ips;
  std::optional<std::string> host;
  bool unbind = false;
  std::string project;
  std::optional<bool> admin_state_up;
  // Port security (the openstack client's flags): anti-spoofing and security groups.
  std::optional<bool> port_security;
  std::vector<std::string> security_groups;
  bool no_security_groups = false;
  std::vector<std::string> allowed_addresses;
  bool no_allowed_addresses = false;
};

std::string host_text(const json& port) {
  return first_field_text(port, {kHostKey, "binding_host_id"});
}

std::string fixed_ips_text(const json& port) {
  std::string text;
  if (!port.contains("fixed_ips") || !port["fixed_ips"].is_array()) return text;
  for (const auto& fixed : port["fixed_ips"]) {
    if (!text.empty()) text += '\n';
    text += field_text(fixed, "ip_address");
  }
  return text;
}

void list_ports(CommandContext& ctx, const PortOptions& o) {
  std::vector<std::pair<std::string, std::string>> query;
  std::string network_id;
  if (!o.network.empty()) {
    auto id = ctx.resolve_id("networks", o.network);
    if (!id) return;
    network_id = *id;
    query.emplace_back("network_id", network_id);
  }
  if (o.host) query.emplace_back(kHostKey, *o.host);
  auto ports = ctx.list(kCollection, query);
  if (!ports) return;
  json kept = json::array();  // the filters again, in case the controller ignores them
  for (auto& port : *ports) {
    if (!network_id.empty() && field_text(port, "network_id") != network_id) continue;
    if (o.host && host_text(port) != *o.host) continue;
    kept.push_back(std::move(port));
  }
  std::map<std::string, std::string> names;
  if (ctx.output_format() == OutputFormat::kTable) names = network_names(ctx);
  const std::vector<Column> columns = {
      Column{"ID", id_of},
      field_column("Name", "name"),
      network_column(names, "network_id"),
      field_column("MAC", "mac_address"),
      Column{"Fixed IPs", fixed_ips_text},
      Column{"Host", host_text},
      field_column("Status", "status"),
  };
  print_list(ctx.out(), ctx.output_format(), kept, columns);
}

// --fixed-ip values → the API's fixed_ips, resolving subnet names; nullopt after an error.
std::optional<json> fixed_ips_body(CommandContext& ctx, const std::vector<std::string>& specs) {
  json fixed_ips = json::array();
  for (const auto& text : specs) {
    std::string error;
    auto spec = parse_fixed_ip(text, error);
    if (!spec) {
      ctx.usage_error(error);
      return std::nullopt;
    }
    json entry = json::object();
    if (!spec->subnet.empty()) {
      auto subnet_id = ctx.resolve_id("subnets", spec->subnet);
      if (!subnet_id) return std::nullopt;
      entry["subnet_id"] = *subnet_id;
    }
    if (!spec->ip.empty()) entry["ip_address"] = spec->ip;
    fixed_ips.push_back(entry);
  }
  return fixed_ips;
}

// --allowed-address ip-address=IP[/LEN][,mac-address=MAC] -> one allowed_address_pairs
// entry; nullopt after a usage error. The controller checks the address; the MAC is
// checked here so a typo costs no round trip.
std::optional<json> allowed_address_pair(CommandContext& ctx, const std::string& text) {
  json pair = json::object();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "ip-address" && !value.empty() && !pair.contains("ip_address")) {
      pair["ip_address"] = value;
    } else if (key == "mac-address" && !pair.contains("mac_address")) {
      auto mac = MacAddress::parse(value);
      if (!mac || mac->is_multicast() || mac->is_zero()) {
        ctx.usage_error("--allowed-address '" + text + "': mac-address '" + value + "' is not a unicast MAC address");
        return std::nullopt;
      }
      pair["mac_address"] = mac->to_string();
    } else {
      ctx.usage_error("--allowed-address '" + text + "': expected ip-address=IP[,mac-address=MAC]");
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!pair.contains("ip_address")) {
    ctx.usage_error("--allowed-address '" + text + "': ip-address=IP is required");
    return std::nullopt;
  }
  return pair;
}

// Adds the port-security fields the options ask for to `body`; false after an error.
// Disabling port security without naming groups also clears the port's groups: the API
// refuses groups on a port without port security, and a port with it off has none.
bool add_port_security(CommandContext& ctx, const PortOptions& o, json& body) {
  json pairs = json::array();
  for (const auto& text : o.allowed_addresses) {
    auto pair = allowed_address_pair(ctx, text);
    if (!pair) return false;
    pairs.push_back(std::move(*pair));
  }
  if (!o.allowed_addresses.empty() || o.no_allowed_addresses) body["allowed_address_pairs"] = pairs;
  json groups = json::array();
  for (const auto& group : o.security_groups) {
    auto id = ctx.resolve_id("security-groups", group);
    if (!id) return false;
    groups.push_back(*id);
  }
  if (!o.security_groups.empty() || o.no_security_groups || o.port_security == false) body["security_groups"] = groups;
  if (o.port_security) body["port_security_enabled"] = *o.port_security;
  return true;
}

// The port-security options of `port create` and `port set`.
void add_port_security_options(CLI::App* command, const std::shared_ptr<PortOptions>& o, bool with_clear) {
  auto* enable = command->add_flag_callback("--enable-port-security", [o] { o->port_security = true; },
                                            "Anti-spoofing and security groups on (the network's default)");
  command->add_flag_callback("--disable-port-security", [o] { o->port_security = false; },
                             "Anti-spoofing and security groups off (also removes its groups)")
      ->excludes(enable);
  auto* group = command->add_option("--security-group", o->security_groups,
                                    "Security group (name or ID; repeatable; replaces the port's groups)");
  command->add_option("--allowed-address", o->allowed_addresses,
                      "ip-address=IP[/LEN][,mac-address=MAC]: another address the port may send from "
                      "(repeatable; replaces the port's pairs)");
  if (with_clear) {
    command->add_flag("--no-security-group", o->no_security_groups, "Remove all its security groups")
        ->excludes(group);
    command->add_flag("--no-allowed-address", o->no_allowed_addresses, "Remove all its allowed address pairs");
  }
}

void create_port(CommandContext& ctx, const PortOptions& o) {
  json body = {{"name", o.name.value_or("")}};
  if (!o.mac.empty()) {
    auto mac = MacAddress::parse(o.mac);
    if (!mac || mac->is_multicast() || mac->is_zero()) {
      ctx.usage_error("--mac '" + o.mac + "' is not a unicast MAC address like fa:16:3e:00:00:01");
      return;
    }
    body["mac_address"] = mac->to_string();
  }
  // Check every argument before the first request, so a typo costs no round trip.
  for (const auto& text : o.fixed_ips) {
    std::string error;
    if (!parse_fixed_ip(text, error)) {
      ctx.usage_error(error);
      return;
    }
  }
  auto network_id = ctx.resolve_id("networks", o.network);
  if (!network_id) return;
  body["network_id"] = *network_id;
  if (!o.fixed_ips.empty()) {
    auto fixed_ips = fixed_ips_body(ctx, o.fixed_ips);
    if (!fixed_ips) return;
    body["fixed_ips"] = *fixed_ips;
  }
  if (o.host) body[kHostKey] = *o.host;
  if (!o.project.empty()) body["project_id"] = o.project;
  if (o.admin_state_up) body["admin_state_up"] = *o.admin_state_up;
  if (!add_port_security(ctx, o, body)) return;
  create_resource(ctx, kCollection, body);
}

void set_port(CommandContext& ctx, const PortOptions& o) {
  json changes = json::object();
  if (o.name) changes["name"] = *o.name;
  if (o.host) changes[kHostKey] = *o.host;
  if (o.unbind) changes[kHostKey] = "";
  if (o.admin_state_up) changes["admin_state_up"] = *o.admin_state_up;
  if (!add_port_security(ctx, o, changes)) return;
  if (changes.empty()) {
    ctx.usage_error("port set: nothing to change (use --name, --host, --no-host, --enable, --disable, "
                    "--enable-port-security, --disable-port-security, --security-group, --no-security-group, "
                    "--allowed-address or --no-allowed-address)");
    return;
  }
  update_resource(ctx, kCollection, o.name_or_id, changes);
}

}  // namespace

void register_port_commands(CLI::App& root, CommandContext& ctx) {
  auto* port = root.add_subcommand("port", "VM ports: MAC, fixed IPs, host binding");
  port->require_subcommand(1);
  auto o = std::make_shared<PortOptions>();

  auto* list = port->add_subcommand(
      "list", "List ports: ID, Name, Network, MAC, Fixed IPs, Host, Status");
  list->add_option("--network", o->network, "Only the ports of this network (name or ID)");
  list->add_option("--host", o->host, "Only the ports bound to this host");
  list->callback([&ctx, o] { list_ports(ctx, *o); });

  auto* show = port->add_subcommand("show", "Show one port's fields");
  show->add_option("port", o->name_or_id, "Port name or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kCollection, o->name_or_id); });

  auto* create = port->add_subcommand("create", "Create a port on a network");
  create->add_option("name", o->name, "Name of the new port")->required();
  create->add_option("--network", o->network, "Network (name or ID)")->required();
  create->add_option("--mac", o->mac, "MAC address (default: allocated)");
  create->add_option("--fixed-ip", o->fixed_ips,
                     "[subnet=SUBNET,]ip=IP or subnet=SUBNET (repeatable; default: one "
                     "address allocated)")
      ->allow_extra_args(false);
  create->add_option("--host", o->host, "Bind the port to this host (hypervisor)");
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  create->add_flag_callback("--disable", [o] { o->admin_state_up = false; },
                            "Create administratively down");
  add_port_security_options(create, o, false);
  create->callback([&ctx, o] { create_port(ctx, *o); });

  auto* set = port->add_subcommand("set", "Change a port");
  set->add_option("port", o->name_or_id, "Port name or ID")->required();
  set->add_option("--name", o->name, "New name");
  auto* host = set->add_option("--host", o->host, "Bind to this host (moves the port)");
  set->add_flag("--no-host", o->unbind, "Unbind the port from its host")->excludes(host);
  add_enable_disable(set, o->admin_state_up, "port");
  add_port_security_options(set, o, true);
  set->callback([&ctx, o] { set_port(ctx, *o); });

  auto* del = port->add_subcommand("delete", "Delete ports");
  del->add_option("port", o->names_or_ids, "Port names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kCollection, o->names_or_ids); });
}

}  // namespace overcast::cli

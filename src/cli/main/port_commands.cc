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
  create_resource(ctx, kCollection, body);
}

void set_port(CommandContext& ctx, const PortOptions& o) {
  json changes = json::object();
  if (o.name) changes["name"] = *o.name;
  if (o.host) changes[kHostKey] = *o.host;
  if (o.unbind) changes[kHostKey] = "";
  if (o.admin_state_up) changes["admin_state_up"] = *o.admin_state_up;
  if (changes.empty()) {
    ctx.usage_error("port set: nothing to change (use --name, --host, --no-host, --enable or "
                    "--disable)");
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
  create->callback([&ctx, o] { create_port(ctx, *o); });

  auto* set = port->add_subcommand("set", "Change a port");
  set->add_option("port", o->name_or_id, "Port name or ID")->required();
  set->add_option("--name", o->name, "New name");
  auto* host = set->add_option("--host", o->host, "Bind to this host (moves the port)");
  set->add_flag("--no-host", o->unbind, "Unbind the port from its host")->excludes(host);
  add_enable_disable(set, o->admin_state_up, "port");
  set->callback([&ctx, o] { set_port(ctx, *o); });

  auto* del = port->add_subcommand("delete", "Delete ports");
  del->add_option("port", o->names_or_ids, "Port names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kCollection, o->names_or_ids); });
}

}  // namespace overcast::cli

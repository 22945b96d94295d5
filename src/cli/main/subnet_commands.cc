// overcast subnet list | show | create | set | delete
#include <memory>

#include "cli/main/arg_parsers.h"
#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"
#include "common/ip_address.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "subnets";

struct SubnetOptions {
  std::string name_or_id;
  std::vector<std::string> names_or_ids;
  std::optional<std::string> name;
  std::string network;
  std::string cidr;
  std::optional<std::string> gateway;
  std::vector<std::string> pools;
  std::vector<std::string> dns;
  std::string project;
  bool no_dhcp = false;
  std::optional<bool> enable_dhcp;  // set: --dhcp / --no-dhcp
};

void list_subnets(CommandContext& ctx, const SubnetOptions& o) {
  std::vector<std::pair<std::string, std::string>> query;
  std::string network_id;
  if (!o.network.empty()) {
    auto id = ctx.resolve_id("networks", o.network);
    if (!id) return;
    network_id = *id;
    query.emplace_back("network_id", network_id);
  }
  auto subnets = ctx.list(kCollection, query);
  if (!subnets) return;
  if (!network_id.empty()) {  // in case the controller ignores the filter
    json kept = json::array();
    for (auto& s : *subnets) {
      if (field_text(s, "network_id") == network_id) kept.push_back(std::move(s));
    }
    *subnets = std::move(kept);
  }
  std::map<std::string, std::string> names;
  if (ctx.output_format() == OutputFormat::kTable) names = network_names(ctx);
  const std::vector<Column> columns = {
      Column{"ID", id_of},
      field_column("Name", "name"),
      network_column(names, "network_id"),
      field_column("CIDR", "cidr"),
      field_column("Gateway", "gateway_ip"),
      field_column("DHCP", "enable_dhcp"),
  };
  print_list(ctx.out(), ctx.output_format(), *subnets, columns);
}

// Checks the address arguments and turns them into the API's attributes; false after a
// usage error has been reported.
bool add_address_attributes(CommandContext& ctx, const SubnetOptions& o, json& body) {
  std::string error;
  if (o.gateway) {
    auto gateway = parse_gateway(*o.gateway, error);
    if (!gateway) return ctx.usage_error(error), false;
    body["gateway_ip"] = *gateway;
  }
  if (!o.pools.empty()) {
    json pools = json::array();
    for (const auto& text : o.pools) {
      auto pool = parse_allocation_pool(text, error);
      if (!pool) return ctx.usage_error(error), false;
      pools.push_back(*pool);
    }
    body["allocation_pools"] = pools;
  }
  if (!o.dns.empty()) {
    json servers = json::array();
    for (const auto& text : o.dns) {
      auto ip = parse_ip(text, "--dns", error);
      if (!ip) return ctx.usage_error(error), false;
      servers.push_back(*ip);
    }
    body["dns_nameservers"] = servers;
  }
  return true;
}

void create_subnet(CommandContext& ctx, const SubnetOptions& o) {
  auto prefix = IpPrefix::parse(o.cidr);
  if (!prefix) {
    ctx.usage_error("--cidr '" + o.cidr + "' is not a prefix like 10.0.0.0/24");
    return;
  }
  json body = {{"name", o.name.value_or("")},
               {"cidr", o.cidr},
               {"ip_version", prefix->address.version()}};
  if (!add_address_attributes(ctx, o, body)) return;
  if (o.no_dhcp) body["enable_dhcp"] = false;
  if (!o.project.empty()) body["project_id"] = o.project;
  auto network_id = ctx.resolve_id("networks", o.network);
  if (!network_id) return;
  body["network_id"] = *network_id;
  create_resource(ctx, kCollection, body);
}

void set_subnet(CommandContext& ctx, const SubnetOptions& o) {
  json changes = json::object();
  if (o.name) changes["name"] = *o.name;
  if (!add_address_attributes(ctx, o, changes)) return;
  if (o.enable_dhcp) changes["enable_dhcp"] = *o.enable_dhcp;
  if (changes.empty()) {
    ctx.usage_error("subnet set: nothing to change (use --name, --gateway, --pool, --dns, "
                    "--dhcp or --no-dhcp)");
    return;
  }
  update_resource(ctx, kCollection, o.name_or_id, changes);
}

}  // namespace

void register_subnet_commands(CLI::App& root, CommandContext& ctx) {
  auto* subnet = root.add_subcommand("subnet", "IP subnets of a network (CIDR, gateway, DHCP)");
  subnet->require_subcommand(1);
  auto o = std::make_shared<SubnetOptions>();

  auto* list =
      subnet->add_subcommand("list", "List subnets: ID, Name, Network, CIDR, Gateway, DHCP");
  list->add_option("--network", o->network, "Only the subnets of this network (name or ID)");
  list->callback([&ctx, o] { list_subnets(ctx, *o); });

  auto* show = subnet->add_subcommand("show", "Show one subnet's fields");
  show->add_option("subnet", o->name_or_id, "Subnet name or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kCollection, o->name_or_id); });

  auto* create = subnet->add_subcommand("create", "Create a subnet on a network");
  create->add_option("name", o->name, "Name of the new subnet")->required();
  create->add_option("--network", o->network, "Network (name or ID)")->required();
  create->add_option("--cidr", o->cidr, "Prefix, e.g. 10.0.0.0/24")->required();
  create->add_option("--gateway", o->gateway, "Gateway IP, or 'none' (default: first address)");
  create->add_option("--pool", o->pools, "Allocation pool START-END (repeatable)")
      ->allow_extra_args(false);
  create->add_flag("--no-dhcp", o->no_dhcp, "Do not serve DHCP on this subnet");
  create->add_option("--dns", o->dns, "DNS server IP handed out by DHCP (repeatable)")
      ->allow_extra_args(false);
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  create->callback([&ctx, o] { create_subnet(ctx, *o); });

  auto* set = subnet->add_subcommand("set", "Change a subnet");
  set->add_option("subnet", o->name_or_id, "Subnet name or ID")->required();
  set->add_option("--name", o->name, "New name");
  set->add_option("--gateway", o->gateway, "New gateway IP, or 'none'");
  set->add_option("--pool", o->pools, "Replace the allocation pools (repeatable START-END)")
      ->allow_extra_args(false);
  set->add_option("--dns", o->dns, "Replace the DNS servers (repeatable)")
      ->allow_extra_args(false);
  auto* dhcp = set->add_flag_callback("--dhcp", [o] { o->enable_dhcp = true; }, "Serve DHCP");
  auto* no_dhcp =
      set->add_flag_callback("--no-dhcp", [o] { o->enable_dhcp = false; }, "Stop serving DHCP");
  dhcp->excludes(no_dhcp);
  set->callback([&ctx, o] { set_subnet(ctx, *o); });

  auto* del = subnet->add_subcommand("delete", "Delete subnets");
  del->add_option("subnet", o->names_or_ids, "Subnet names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kCollection, o->names_or_ids); });
}

}  // namespace overcast::cli

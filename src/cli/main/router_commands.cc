// overcast router list | show | create | set | delete | add subnet | remove subnet
#include <memory>

#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "routers";

struct RouterOptions {
  std::string name_or_id;
  std::vector<std::string> names_or_ids;
  std::string name;
  std::string subnet;
  std::string project;
  std::string external_gateway;
  bool no_external_gateway = false;
  std::optional<bool> enable_snat;
  std::optional<bool> admin_state_up;
};

std::string gateway_text(const json& router) {
  const json* info = router.contains("external_gateway_info") ? &router["external_gateway_info"] : nullptr;
  if (!info || !info->is_object()) return "";
  std::string text = field_text(*info, "network_id");
  if (info->contains("external_fixed_ips") && (*info)["external_fixed_ips"].is_array()) {
    for (const auto& fixed : (*info)["external_fixed_ips"]) text += " " + field_text(fixed, "ip_address");
  }
  if (info->contains("enable_snat")) text += (*info)["enable_snat"] == true ? " (SNAT)" : " (no SNAT)";
  return text;
}

void list_routers(CommandContext& ctx) {
  auto routers = ctx.list(kCollection);
  if (!routers) return;
  print_list(ctx.out(), ctx.output_format(), *routers,
             {Column{"ID", id_of}, field_column("Name", "name"), field_column("Status", "status"),
              Column{"External gateway", gateway_text},
              Column{"Project", [](const json& r) { return first_field_text(r, {"project_id", "tenant_id"}); }}});
}

// The external_gateway_info a create or set asks for; nullopt when neither is given.
std::optional<json> gateway_body(CommandContext& ctx, const RouterOptions& o) {
  if (o.no_external_gateway) return json(nullptr);
  if (o.external_gateway.empty()) {
    if (o.enable_snat) ctx.usage_error("--enable-snat/--disable-snat need --external-gateway");
    return std::nullopt;
  }
  auto network = ctx.resolve_id("networks", o.external_gateway);
  if (!network) return std::nullopt;
  json info{{"network_id", *network}};
  if (o.enable_snat) info["enable_snat"] = *o.enable_snat;
  return info;
}

void create_router(CommandContext& ctx, const RouterOptions& o) {
  json body{{"name", o.name}};
  if (!o.project.empty()) body["project_id"] = o.project;
  if (o.admin_state_up) body["admin_state_up"] = *o.admin_state_up;
  if (!o.external_gateway.empty() || o.enable_snat) {
    auto gateway = gateway_body(ctx, o);
    if (!gateway) return;
    body["external_gateway_info"] = *gateway;
  }
  create_resource(ctx, kCollection, body);
}

void set_router(CommandContext& ctx, const RouterOptions& o) {
  json changes = json::object();
  if (!o.name.empty()) changes["name"] = o.name;
  if (o.admin_state_up) changes["admin_state_up"] = *o.admin_state_up;
  if (!o.external_gateway.empty() || o.no_external_gateway || o.enable_snat) {
    auto gateway = gateway_body(ctx, o);
    if (!gateway) return;
    changes["external_gateway_info"] = *gateway;
  }
  if (changes.empty()) {
    ctx.usage_error("router set: nothing to change (use --name, --external-gateway, --no-external-gateway, "
                    "--enable or --disable)");
    return;
  }
  update_resource(ctx, kCollection, o.name_or_id, changes);
}

// PUT /v2.0/routers/ID/{add,remove}_router_interface {"subnet_id": ...}
void change_interface(CommandContext& ctx, const RouterOptions& o, bool adding) {
  auto router = ctx.resolve_id(kCollection, o.name_or_id);
  if (!router) return;
  auto subnet = ctx.resolve_id("subnets", o.subnet);
  if (!subnet) return;
  const std::string action = adding ? "add_router_interface" : "remove_router_interface";
  ApiResult result =
      ctx.client().put("/v2.0/" + std::string(kCollection) + "/" + url_encode(*router) + "/" + action,
                       json{{"subnet_id", *subnet}});
  if (!result.ok()) {
    ctx.fail(result);
    return;
  }
  print_object(ctx.out(), ctx.output_format(), result.body);
}

}  // namespace

void register_router_commands(CLI::App& root, CommandContext& ctx) {
  auto* router = root.add_subcommand("router", "Routers: interfaces on subnets, external gateway with SNAT");
  router->require_subcommand(1);
  auto o = std::make_shared<RouterOptions>();

  router->add_subcommand("list", "List routers: ID, Name, Status, External gateway, Project")
      ->callback([&ctx] { list_routers(ctx); });

  auto* show = router->add_subcommand("show", "Show one router's fields");
  show->add_option("router", o->name_or_id, "Router name or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kCollection, o->name_or_id); });

  auto add_gateway_options = [o](CLI::App* command) {
    command->add_option("--external-gateway", o->external_gateway, "External network (name or ID) of the gateway");
    command->add_flag_callback("--enable-snat", [o] { o->enable_snat = true; }, "Source-NAT through the gateway");
    command->add_flag_callback("--disable-snat", [o] { o->enable_snat = false; }, "No source NAT");
  };
  auto* create = router->add_subcommand("create", "Create a router");
  create->add_option("name", o->name, "Name of the new router")->required();
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  add_gateway_options(create);
  create->add_flag_callback("--disable", [o] { o->admin_state_up = false; }, "Create administratively down");
  create->callback([&ctx, o] { create_router(ctx, *o); });

  auto* set = router->add_subcommand("set", "Change a router");
  set->add_option("router", o->name_or_id, "Router name or ID")->required();
  set->add_option("--name", o->name, "New name");
  add_gateway_options(set);
  set->add_flag("--no-external-gateway", o->no_external_gateway, "Remove the external gateway");
  add_enable_disable(set, o->admin_state_up, "router");
  set->callback([&ctx, o] { set_router(ctx, *o); });

  auto* del = router->add_subcommand("delete", "Delete routers (their interfaces must be removed first)");
  del->add_option("router", o->names_or_ids, "Router names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kCollection, o->names_or_ids); });

  for (const bool adding : {true, false}) {
    auto* verb = router->add_subcommand(adding ? "add" : "remove",
                                        adding ? "Attach a router to a subnet" : "Detach a router from a subnet");
    verb->require_subcommand(1);
    auto* subnet = verb->add_subcommand("subnet", adding ? "The router takes the subnet's gateway IP"
                                                         : "Remove the router's interface on the subnet");
    subnet->add_option("router", o->name_or_id, "Router name or ID")->required();
    subnet->add_option("subnet", o->subnet, "Subnet name or ID")->required();
    subnet->callback([&ctx, o, adding] { change_interface(ctx, *o, adding); });
  }
}

}  // namespace overcast::cli

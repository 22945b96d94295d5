// overcast network list | show | create | set | delete
#include <memory>

#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "networks";
constexpr uint32_t kMaxVni = (1u << 24) - 1;  // 24-bit VXLAN/Geneve network identifier

struct NetworkOptions {
  std::string name_or_id;
  std::vector<std::string> names_or_ids;
  std::string name;
  std::optional<uint32_t> vni;
  std::optional<uint32_t> mtu;
  std::string project;
  std::optional<bool> admin_state_up;
};

// Neutron's provider extension names the VNI segmentation_id; accept a plain "vni" too.
std::string vni_text(const json& network) {
  return first_field_text(network, {"provider:segmentation_id", "vni"});
}

std::vector<Column> list_columns() {
  return {
      Column{"ID", id_of},
      field_column("Name", "name"),
      Column{"VNI", vni_text},
      field_column("MTU", "mtu"),
      field_column("Subnets", "subnets"),
      Column{"Project",
             [](const json& n) { return first_field_text(n, {"project_id", "tenant_id"}); }},
  };
}

void list_networks(CommandContext& ctx) {
  auto networks = ctx.list(kCollection);
  if (networks) print_list(ctx.out(), ctx.output_format(), *networks, list_columns());
}

json create_body(const NetworkOptions& o) {
  json body = {{"name", o.name}};
  if (o.vni) {
    body["provider:network_type"] = "vxlan";
    body["provider:segmentation_id"] = *o.vni;
  }
  if (o.mtu) body["mtu"] = *o.mtu;
  if (!o.project.empty()) body["project_id"] = o.project;
  if (o.admin_state_up) body["admin_state_up"] = *o.admin_state_up;
  return body;
}

void set_network(CommandContext& ctx, const NetworkOptions& o) {
  json changes = json::object();
  if (!o.name.empty()) changes["name"] = o.name;
  if (o.mtu) changes["mtu"] = *o.mtu;
  if (o.admin_state_up) changes["admin_state_up"] = *o.admin_state_up;
  if (changes.empty()) {
    ctx.usage_error("network set: nothing to change (use --name, --mtu, --enable or --disable)");
    return;
  }
  update_resource(ctx, kCollection, o.name_or_id, changes);
}

}  // namespace

void register_network_commands(CLI::App& root, CommandContext& ctx) {
  auto* network = root.add_subcommand("network", "Virtual networks (an L2 segment with a VNI)");
  network->require_subcommand(1);
  auto o = std::make_shared<NetworkOptions>();

  network->add_subcommand("list", "List networks: ID, Name, VNI, MTU, Subnets, Project")
      ->callback([&ctx] { list_networks(ctx); });

  auto* show = network->add_subcommand("show", "Show one network's fields");
  show->add_option("network", o->name_or_id, "Network name or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kCollection, o->name_or_id); });

  auto* create = network->add_subcommand("create", "Create a network");
  create->add_option("name", o->name, "Name of the new network")->required();
  create->add_option("--vni", o->vni, "VXLAN network identifier (default: allocated)")
      ->check(CLI::Range(1u, kMaxVni));
  create->add_option("--mtu", o->mtu, "MTU of the network (default: the controller's)")
      ->check(CLI::Range(68u, 65535u));
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  create->add_flag_callback("--disable", [o] { o->admin_state_up = false; },
                            "Create administratively down");
  create->callback([&ctx, o] { create_resource(ctx, kCollection, create_body(*o)); });

  auto* set = network->add_subcommand("set", "Change a network");
  set->add_option("network", o->name_or_id, "Network name or ID")->required();
  set->add_option("--name", o->name, "New name");
  set->add_option("--mtu", o->mtu, "New MTU")->check(CLI::Range(68u, 65535u));
  add_enable_disable(set, o->admin_state_up, "network");
  set->callback([&ctx, o] { set_network(ctx, *o); });

  auto* del = network->add_subcommand("delete", "Delete networks");
  del->add_option("network", o->names_or_ids, "Network names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kCollection, o->names_or_ids); });
}

}  // namespace overcast::cli

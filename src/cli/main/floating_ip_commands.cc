// overcast floating ip list | show | create | set | unset | delete
#include <memory>

#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "floatingips";
constexpr const char* kAddressField = "floating_ip_address";  // a floating IP is named by its address

struct FloatingIpOptions {
  std::string address_or_id;
  std::vector<std::string> addresses_or_ids;
  std::string network;
  std::string address;
  std::string port;
  std::string fixed_ip;
  bool unset_port = false;
  std::string project;
};

void list_floating_ips(CommandContext& ctx) {
  auto ips = ctx.list(kCollection);
  if (!ips) return;
  print_list(ctx.out(), ctx.output_format(), *ips,
             {Column{"ID", id_of}, field_column("Floating IP Address", kAddressField),
              field_column("Fixed IP Address", "fixed_ip_address"), field_column("Port", "port_id"),
              field_column("Router", "router_id"), field_column("Status", "status")});
}

// The floating IP's id, found by address or id.
std::optional<std::string> floating_ip_id(CommandContext& ctx, const std::string& address_or_id) {
  auto object = ctx.resolve(kCollection, address_or_id, kAddressField);
  if (!object) return std::nullopt;
  return id_of(*object);
}

void create_floating_ip(CommandContext& ctx, const FloatingIpOptions& o) {
  auto network = ctx.resolve_id("networks", o.network);
  if (!network) return;
  json body{{"floating_network_id", *network}};
  if (!o.address.empty()) body[kAddressField] = o.address;
  if (!o.project.empty()) body["project_id"] = o.project;
  if (!o.port.empty()) {
    auto port = ctx.resolve_id("ports", o.port);
    if (!port) return;
    body["port_id"] = *port;
    if (!o.fixed_ip.empty()) body["fixed_ip_address"] = o.fixed_ip;
  }
  create_resource(ctx, kCollection, body);
}

void set_floating_ip(CommandContext& ctx, const FloatingIpOptions& o) {
  auto id = floating_ip_id(ctx, o.address_or_id);
  if (!id) return;
  json changes = json::object();
  if (o.unset_port) {
    changes["port_id"] = nullptr;
  } else {
    auto port = ctx.resolve_id("ports", o.port);
    if (!port) return;
    changes["port_id"] = *port;
    if (!o.fixed_ip.empty()) changes["fixed_ip_address"] = o.fixed_ip;
  }
  // The address is resolved already: PUT by ID, without a second lookup.
  ApiResult result = ctx.client().put("/v2.0/" + std::string(kCollection) + "/" + url_encode(*id),
                                      {{"floatingip", changes}});
  if (!result.ok()) {
    ctx.fail(result);
    return;
  }
  if (result.body.contains("floatingip")) print_object(ctx.out(), ctx.output_format(), result.body["floatingip"]);
}

}  // namespace

void register_floating_ip_commands(CLI::App& root, CommandContext& ctx) {
  auto* floating = root.add_subcommand("floating", "Floating IPs (floating ip ...)");
  floating->require_subcommand(1);
  auto* ip = floating->add_subcommand("ip", "Floating IPs: external addresses NATed one-to-one to a port's fixed IP");
  ip->require_subcommand(1);
  auto o = std::make_shared<FloatingIpOptions>();

  ip->add_subcommand("list", "List floating IPs: ID, Floating IP Address, Fixed IP Address, Port, Router, Status")
      ->callback([&ctx] { list_floating_ips(ctx); });

  auto* show = ip->add_subcommand("show", "Show one floating IP's fields");
  show->add_option("floating-ip", o->address_or_id, "Floating IP address or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kCollection, o->address_or_id, kAddressField); });

  auto* create = ip->add_subcommand("create", "Allocate a floating IP on an external network");
  create->add_option("network", o->network, "External network (name or ID)")->required();
  create->add_option("--floating-ip-address", o->address, "This address (default: allocated from the pool)");
  create->add_option("--port", o->port, "Associate with this port (name or ID)");
  create->add_option("--fixed-ip-address", o->fixed_ip, "The port's fixed IP to use (when it has several)");
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  create->callback([&ctx, o] { create_floating_ip(ctx, *o); });

  auto* set = ip->add_subcommand("set", "Associate a floating IP with a port");
  set->add_option("floating-ip", o->address_or_id, "Floating IP address or ID")->required();
  set->add_option("--port", o->port, "Port (name or ID)")->required();
  set->add_option("--fixed-ip-address", o->fixed_ip, "The port's fixed IP to use (when it has several)");
  set->callback([&ctx, o] {
    o->unset_port = false;
    set_floating_ip(ctx, *o);
  });

  auto* unset = ip->add_subcommand("unset", "Disassociate a floating IP from its port");
  unset->add_option("floating-ip", o->address_or_id, "Floating IP address or ID")->required();
  unset->add_flag("--port", o->unset_port, "Disassociate from the port")->required();
  unset->callback([&ctx, o] { set_floating_ip(ctx, *o); });

  auto* del = ip->add_subcommand("delete", "Release floating IPs");
  del->add_option("floating-ip", o->addresses_or_ids, "Floating IP addresses or IDs")->required();
  del->callback([&ctx, o] {
    std::vector<std::string> ids;
    for (const auto& name : o->addresses_or_ids) {
      if (auto id = floating_ip_id(ctx, name)) ids.push_back(*id);
    }
    delete_resources(ctx, kCollection, ids);
  });
}

}  // namespace overcast::cli

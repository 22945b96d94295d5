// overcast host list | show | create | delete — the hosts (VTEPs), as the controller's
// /v2.0/agents resource: hypervisors whose agents registered themselves, and static VTEPs
// (no agent: a kernel VXLAN device, a hardware switch) that an operator declares with
// `host create` (the controller's "overcast-static-vtep" extension).
#include <memory>

#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"
#include "common/ip_address.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "agents";
constexpr const char* kStaticVtepAgentType = "Static VTEP";

struct HostOptions {
  std::string name;
  std::vector<std::string> names;
  std::string underlay_ip;
  std::string description;
  std::optional<bool> admin_state_up;
};

// A field of the agent's Neutron "configurations" object, or a top-level fallback name.
std::string configuration_text(const json& agent, const char* key, const char* fallback) {
  if (agent.contains("configurations") && agent["configurations"].is_object() &&
      agent["configurations"].contains(key)) {
    return cell_text(agent["configurations"][key]);
  }
  return field_text(agent, fallback);
}

std::string alive_text(const json& agent) {
  if (!agent.contains("alive") || !agent["alive"].is_boolean()) return "";
  return agent["alive"].get<bool>() ? "yes" : "no";
}

// "static" for a declared VTEP, "agent" for a registered one, "" when the record says neither.
std::string type_text(const json& agent) {
  const std::string type = field_text(agent, "agent_type");
  if (type.empty()) return "";
  return type == kStaticVtepAgentType ? "static" : "agent";
}

void list_hosts(CommandContext& ctx) {
  auto agents = ctx.list(kCollection);
  if (!agents) return;
  const std::vector<Column> columns = {
      field_column("Host", "host"),
      Column{"Type", type_text},
      Column{"Underlay IP",
             [](const json& a) { return configuration_text(a, "tunneling_ip", "underlay_ip"); }},
      Column{"Alive", alive_text},
      Column{"Encapsulations",
             [](const json& a) { return configuration_text(a, "tunnel_types", "encapsulations"); }},
      field_column("Heartbeat", "heartbeat_timestamp"),
      Column{"ID", id_of},
  };
  print_list(ctx.out(), ctx.output_format(), *agents, columns);
}

// The host record named `name` (host name or ID), or nullopt after reporting why not.
std::optional<json> find_host(CommandContext& ctx, const std::string& name) {
  ApiResult result = ctx.client().lookup(kCollection, name, "host");
  if (result.status == 404) {
    result.error = "no host '" + name +
                   "': no agent has registered and no static VTEP is declared under that name or ID";
  }
  if (!result.ok()) {
    ctx.fail(result);
    return std::nullopt;
  }
  return std::move(result.body);
}

void show_host(CommandContext& ctx, const std::string& name) {
  auto host = find_host(ctx, name);
  if (host) print_object(ctx.out(), ctx.output_format(), *host);
}

void create_static_host(CommandContext& ctx, const HostOptions& o) {
  // The controller checks it too; checking here makes a typo a usage error, not a round trip.
  auto underlay = Ipv4Address::parse(o.underlay_ip);
  if (!underlay) {
    ctx.usage_error("host create: --underlay-ip '" + o.underlay_ip + "' is not an IPv4 address");
    return;
  }
  json body = {{"host", o.name},
               {"agent_type", kStaticVtepAgentType},
               {"configurations",
                {{"tunneling_ip", underlay->to_string()}, {"tunnel_types", json::array({"vxlan"})}}}};
  if (!o.description.empty()) body["description"] = o.description;
  if (o.admin_state_up) body["admin_state_up"] = *o.admin_state_up;
  create_resource(ctx, kCollection, body);
}

void delete_hosts(CommandContext& ctx, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    auto host = find_host(ctx, name);
    if (!host) continue;
    const std::string id = field_text(*host, "id");
    ApiResult result = ctx.client().del("/v2.0/" + std::string(kCollection) + "/" + url_encode(id));
    if (!result.ok()) {
      ctx.fail(result);
      continue;
    }
    if (ctx.output_format() == OutputFormat::kTable) {
      ctx.out() << "Deleted host " << name;
      if (id != name) ctx.out() << " (" << id << ")";
      ctx.out() << '\n';
    }
  }
}

}  // namespace

void register_host_commands(CLI::App& root, CommandContext& ctx) {
  auto* host = root.add_subcommand(
      "host", "Hosts (VTEPs): hypervisors registered by their agents, and static VTEPs "
              "declared for peers that run no agent (the /v2.0/agents resource)");
  host->require_subcommand(1);
  auto o = std::make_shared<HostOptions>();

  host->add_subcommand("list", "List hosts: Host, Type (agent|static), Underlay IP, Alive, "
                               "Encapsulations, Heartbeat")
      ->callback([&ctx] { list_hosts(ctx); });

  auto* show = host->add_subcommand("show", "Show one host's record");
  show->add_option("host", o->name, "Host name (or agent ID)")->required();
  show->callback([&ctx, o] { show_host(ctx, o->name); });

  auto* create = host->add_subcommand(
      "create", "Declare a static VTEP: a VXLAN peer that runs no Overcast agent (e.g. the "
                "Linux kernel's vxlan device); bind ports to it with `port create --host NAME`");
  create->add_option("name", o->name, "Host name of the VTEP")->required();
  create->add_option("--underlay-ip", o->underlay_ip,
                     "The VTEP's IPv4 address on the underlay (where it receives VXLAN)")
      ->required();
  create->add_option("--description", o->description, "Free text");
  add_enable_disable(create, o->admin_state_up, "static VTEP");
  create->callback([&ctx, o] { create_static_host(ctx, *o); });

  auto* remove = host->add_subcommand(
      "delete", "Delete host records: a static VTEP with no ports bound, or a dead agent's record");
  remove->add_option("host", o->names, "Host names (or agent IDs)")->required();
  remove->callback([&ctx, o] { delete_hosts(ctx, o->names); });
}

}  // namespace overcast::cli

// overcast host list | show — the hypervisors, as the controller's /v2.0/agents resource.
#include <memory>

#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "agents";

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

void list_hosts(CommandContext& ctx) {
  auto agents = ctx.list(kCollection);
  if (!agents) return;
  const std::vector<Column> columns = {
      field_column("Host", "host"),
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

void show_host(CommandContext& ctx, const std::string& name) {
  ApiResult result = ctx.client().lookup(kCollection, name, "host");
  if (result.status == 404) {
    result.error = "no host '" + name + "': no agent has registered under that name or ID";
  }
  if (!result.ok()) {
    ctx.fail(result);
    return;
  }
  print_object(ctx.out(), ctx.output_format(), result.body);
}

}  // namespace

void register_host_commands(CLI::App& root, CommandContext& ctx) {
  auto* host = root.add_subcommand(
      "host", "Hypervisors registered by their agents (the /v2.0/agents resource)");
  host->require_subcommand(1);
  auto name = std::make_shared<std::string>();

  host->add_subcommand("list", "List hosts: Host, Underlay IP, Alive, Encapsulations, Heartbeat")
      ->callback([&ctx] { list_hosts(ctx); });

  auto* show = host->add_subcommand("show", "Show one host's agent record");
  show->add_option("host", *name, "Host name (or agent ID)")->required();
  show->callback([&ctx, name] { show_host(ctx, *name); });
}

}  // namespace overcast::cli

// overcast security group list | show | create | delete
// overcast security group rule list | create | delete
#include <memory>

#include "cli/main/arg_parsers.h"
#include "cli/main/commands.h"
#include "cli/main/resource_verbs.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

constexpr const char* kGroups = "security-groups";
constexpr const char* kRules = "security-group-rules";

struct SecurityGroupOptions {
  std::string name_or_id;
  std::vector<std::string> names_or_ids;
  std::string name;
  std::string description;
  std::string project;
  // rules
  std::string group;
  std::string protocol;
  std::string dst_port;
  std::string icmp_type;
  std::string icmp_code;
  bool egress = false;
  std::string ethertype;
  std::string remote_ip;
  std::string remote_group;
};

std::string rule_count(const json& group) {
  return group.contains("security_group_rules") && group["security_group_rules"].is_array()
             ? std::to_string(group["security_group_rules"].size())
             : "";
}

void list_groups(CommandContext& ctx) {
  auto groups = ctx.list(kGroups);
  if (!groups) return;
  print_list(ctx.out(), ctx.output_format(), *groups,
             {Column{"ID", id_of}, field_column("Name", "name"), field_column("Description", "description"),
              Column{"Rules", rule_count},
              Column{"Project", [](const json& g) { return first_field_text(g, {"project_id", "tenant_id"}); }}});
}

void create_group(CommandContext& ctx, const SecurityGroupOptions& o) {
  json body{{"name", o.name}, {"description", o.description}};
  if (!o.project.empty()) body["project_id"] = o.project;
  create_resource(ctx, kGroups, body);
}

std::string port_range_text(const json& rule) {
  const std::string min = field_text(rule, "port_range_min"), max = field_text(rule, "port_range_max");
  if (min.empty() && max.empty()) return "";
  return min == max ? min : min + ":" + max;
}

std::string remote_text(const json& rule) {
  const std::string group = field_text(rule, "remote_group_id");
  return group.empty() ? field_text(rule, "remote_ip_prefix") : "group " + group;
}

void list_rules(CommandContext& ctx, const SecurityGroupOptions& o) {
  std::vector<std::pair<std::string, std::string>> query;
  std::string group_id;
  if (!o.group.empty()) {
    auto id = ctx.resolve_id(kGroups, o.group);
    if (!id) return;
    group_id = *id;
    query.emplace_back("security_group_id", group_id);
  }
  auto rules = ctx.list(kRules, query);
  if (!rules) return;
  json kept = json::array();  // the filter again, in case the controller ignores it
  for (auto& rule : *rules) {
    if (group_id.empty() || field_text(rule, "security_group_id") == group_id) kept.push_back(std::move(rule));
  }
  print_list(ctx.out(), ctx.output_format(), kept,
             {Column{"ID", id_of}, field_column("Direction", "direction"), field_column("Ethertype", "ethertype"),
              field_column("Protocol", "protocol"), Column{"Port Range", port_range_text},
              Column{"Remote", remote_text}, field_column("Security Group", "security_group_id")});
}

void create_rule(CommandContext& ctx, const SecurityGroupOptions& o) {
  auto group = ctx.resolve_id(kGroups, o.group);
  if (!group) return;
  json body{{"security_group_id", *group}, {"direction", o.egress ? "egress" : "ingress"}};
  if (!o.ethertype.empty()) body["ethertype"] = o.ethertype;
  if (!o.protocol.empty() && o.protocol != "any") body["protocol"] = o.protocol;
  if (!o.dst_port.empty()) {
    std::string error;
    auto range = parse_port_range(o.dst_port, error);
    if (!range) {
      ctx.usage_error("--dst-port: " + error);
      return;
    }
    body["port_range_min"] = range->min;
    body["port_range_max"] = range->max;
  }
  // ICMP type and code travel in the port range fields, as in Neutron.
  for (const auto& [text, key] : {std::pair{&o.icmp_type, "port_range_min"}, std::pair{&o.icmp_code, "port_range_max"}}) {
    if (text->empty()) continue;
    try {
      size_t used = 0;
      const int value = std::stoi(*text, &used);
      if (used != text->size()) throw std::invalid_argument(*text);
      body[key] = value;
    } catch (const std::exception&) {
      ctx.usage_error(std::string(key == std::string("port_range_min") ? "--icmp-type" : "--icmp-code") + ": '" +
                      *text + "' is not a number");
      return;
    }
  }
  if (!o.remote_ip.empty()) body["remote_ip_prefix"] = o.remote_ip;
  if (!o.remote_group.empty()) {
    auto remote = ctx.resolve_id(kGroups, o.remote_group);
    if (!remote) return;
    body["remote_group_id"] = *remote;
  }
  if (!o.description.empty()) body["description"] = o.description;
  create_resource(ctx, kRules, body);
}

// A rule has no name: only its ID.
void delete_rules(CommandContext& ctx, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    ApiResult result = ctx.client().del("/v2.0/" + std::string(kRules) + "/" + url_encode(id));
    if (!result.ok()) {
      ctx.fail(result);
      continue;
    }
    if (ctx.output_format() == OutputFormat::kTable) ctx.out() << "Deleted security_group_rule " << id << '\n';
  }
}

void register_rule_commands(CLI::App* group, CommandContext& ctx, const std::shared_ptr<SecurityGroupOptions>& o) {
  auto* rule = group->add_subcommand("rule", "Security group rules (what a group lets in or out)");
  rule->require_subcommand(1);

  auto* list = rule->add_subcommand("list", "List rules: ID, Direction, Ethertype, Protocol, Port Range, Remote");
  list->add_option("group", o->group, "Only this group's rules (name or ID)");
  list->callback([&ctx, o] { list_rules(ctx, *o); });

  auto* show = rule->add_subcommand("show", "Show one rule's fields");
  show->add_option("rule", o->name_or_id, "Rule ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kRules, o->name_or_id, "id"); });

  auto* create = rule->add_subcommand("create", "Add a rule to a group");
  create->add_option("group", o->group, "Security group (name or ID)")->required();
  create->add_option("--protocol", o->protocol, "tcp, udp, icmp, any, or a number 0..255 (default any)");
  create->add_option("--dst-port", o->dst_port, "PORT or MIN:MAX (tcp, udp)");
  create->add_option("--icmp-type", o->icmp_type, "ICMP type (icmp)");
  create->add_option("--icmp-code", o->icmp_code, "ICMP code (icmp, with --icmp-type)");
  auto* ingress = create->add_flag_callback("--ingress", [o] { o->egress = false; }, "Inbound traffic (default)");
  create->add_flag("--egress", o->egress, "Outbound traffic")->excludes(ingress);
  create->add_option("--ethertype", o->ethertype, "IPv4 (default) or IPv6")
      ->check(CLI::IsMember({"IPv4", "IPv6"}));
  auto* remote_ip = create->add_option("--remote-ip", o->remote_ip, "Remote IP prefix (CIDR)");
  create->add_option("--remote-group", o->remote_group, "Remote security group (name or ID): its members")
      ->excludes(remote_ip);
  create->add_option("--description", o->description, "Description");
  create->callback([&ctx, o] { create_rule(ctx, *o); });

  auto* del = rule->add_subcommand("delete", "Delete rules");
  del->add_option("rule", o->names_or_ids, "Rule IDs")->required();
  del->callback([&ctx, o] { delete_rules(ctx, o->names_or_ids); });
}

}  // namespace

void register_security_group_commands(CLI::App& root, CommandContext& ctx) {
  auto* security = root.add_subcommand("security", "Security groups (security group ...)");
  security->require_subcommand(1);
  auto* group = security->add_subcommand("group", "Security groups: stateful firewall rules for ports");
  group->require_subcommand(1);
  auto o = std::make_shared<SecurityGroupOptions>();

  group->add_subcommand("list", "List security groups: ID, Name, Description, Rules, Project")
      ->callback([&ctx] { list_groups(ctx); });

  auto* show = group->add_subcommand("show", "Show one group with its rules");
  show->add_option("group", o->name_or_id, "Security group name or ID")->required();
  show->callback([&ctx, o] { show_resource(ctx, kGroups, o->name_or_id); });

  auto* create = group->add_subcommand("create", "Create a group (it allows all egress, no ingress)");
  create->add_option("name", o->name, "Name of the new group")->required();
  create->add_option("--description", o->description, "Description");
  create->add_option("--project", o->project, "Owning project (tenant) ID");
  create->callback([&ctx, o] { create_group(ctx, *o); });

  auto* del = group->add_subcommand("delete", "Delete groups (not while ports use them)");
  del->add_option("group", o->names_or_ids, "Security group names or IDs")->required();
  del->callback([&ctx, o] { delete_resources(ctx, kGroups, o->names_or_ids); });

  register_rule_commands(group, ctx, o);
}

}  // namespace overcast::cli

// overcast version — this CLI's version and the API versions the controller serves.
#include "cli/main/commands.h"
#include "cli/main/version.h"

namespace overcast::cli {
namespace {

using nlohmann::json;

void print_versions(CommandContext& ctx) {
  ApiResult result = ctx.client().get("/");
  const bool json_output = ctx.output_format() == OutputFormat::kJson;
  if (!result.ok()) {
    // The CLI's own version is still worth printing when the controller is away.
    if (json_output) {
      ctx.out() << json{{"cli_version", kCliVersion}, {"controller", nullptr}}.dump(2) << '\n';
    } else {
      ctx.out() << "overcast CLI " << kCliVersion << '\n';
    }
    ctx.fail(result);
    return;
  }
  if (json_output) {
    ctx.out() << json{{"cli_version", kCliVersion}, {"controller", result.body}}.dump(2) << '\n';
    return;
  }
  ctx.out() << "overcast CLI " << kCliVersion << '\n'
            << "controller at " << ctx.endpoint << " serves:\n";
  json versions = result.body.is_object() && result.body.contains("versions")
                      ? result.body["versions"]
                      : json::array();
  if (!versions.is_array()) versions = json::array();
  const std::vector<Column> columns = {
      field_column("Version", "id"),
      field_column("Status", "status"),
      Column{"Link",
             [](const json& v) {
               if (!v.contains("links") || !v["links"].is_array()) return std::string();
               for (const auto& link : v["links"]) {
                 if (field_text(link, "rel") == "self") return field_text(link, "href");
               }
               return std::string();
             }},
  };
  print_list(ctx.out(), OutputFormat::kTable, versions, columns);
}

}  // namespace

void register_version_command(CLI::App& root, CommandContext& ctx) {
  root.add_subcommand("version", "Print this CLI's version and the controller's API versions")
      ->callback([&ctx] { print_versions(ctx); });
}

}  // namespace overcast::cli

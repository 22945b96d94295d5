#include "cli/main/commands.h"

namespace overcast::cli {

void add_enable_disable(CLI::App* command, std::optional<bool>& admin_state_up,
                        const std::string& what) {
  auto* enable = command->add_flag_callback(
      "--enable", [&admin_state_up] { admin_state_up = true; }, "Enable the " + what);
  auto* disable = command->add_flag_callback(
      "--disable", [&admin_state_up] { admin_state_up = false; },
      "Disable the " + what + " (administratively down)");
  enable->excludes(disable);
}

std::string first_field_text(const nlohmann::json& item, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (item.is_object() && item.contains(key) && !item[key].is_null()) {
      return field_text(item, key);
    }
  }
  return "";
}

std::map<std::string, std::string> network_names(CommandContext& ctx) {
  std::map<std::string, std::string> names;
  ApiResult result = ctx.client().get("/v2.0/networks");
  if (!result.ok() || !result.body.contains("networks") || !result.body["networks"].is_array()) {
    return names;
  }
  for (const auto& network : result.body["networks"]) {
    const std::string name = field_text(network, "name");
    if (!name.empty()) names[field_text(network, "id")] = name;
  }
  return names;
}

Column network_column(const std::map<std::string, std::string>& names, const std::string& key) {
  return Column{"Network", [names, key](const nlohmann::json& item) {
                  const std::string id = field_text(item, key);
                  auto it = names.find(id);
                  return it == names.end() ? id : it->second;
                }};
}

}  // namespace overcast::cli

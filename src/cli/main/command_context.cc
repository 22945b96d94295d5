#include "cli/main/command_context.h"

namespace overcast::cli {

using nlohmann::json;

OutputFormat CommandContext::output_format() const {
  return format == "json" ? OutputFormat::kJson : OutputFormat::kTable;
}

ExitCode CommandContext::fail(const ApiResult& result) {
  err_ << "error: " << (result.error.empty() ? "request failed" : result.error) << '\n';
  const ExitCode code = result.ok() ? kExitUnavailable : exit_code_for(result);
  exit_code_ = worst_of(exit_code_, code);
  return code;
}

ExitCode CommandContext::usage_error(const std::string& message) {
  err_ << "error: " << message << '\n';
  exit_code_ = worst_of(exit_code_, kExitUsage);
  return kExitUsage;
}

std::optional<json> CommandContext::resolve(const std::string& collection,
                                            const std::string& name_or_id,
                                            const std::string& name_field) {
  ApiResult result = client().lookup(collection, name_or_id, name_field);
  if (!result.ok()) {
    fail(result);
    return std::nullopt;
  }
  return std::move(result.body);
}

std::optional<std::string> CommandContext::resolve_id(const std::string& collection,
                                                      const std::string& name_or_id) {
  auto object = resolve(collection, name_or_id);
  if (!object) return std::nullopt;
  if (!object->contains("id") || !(*object)["id"].is_string()) {
    ApiResult bad;
    bad.status = 502;
    bad.error = "the controller's " + singular_of(collection) + " '" + name_or_id + "' has no id";
    fail(bad);
    return std::nullopt;
  }
  return (*object)["id"].get<std::string>();
}

std::optional<json> CommandContext::list(
    const std::string& collection, const std::vector<std::pair<std::string, std::string>>& query) {
  ApiResult result = client().get(with_query("/v2.0/" + collection, query));
  if (!result.ok()) {
    fail(result);
    return std::nullopt;
  }
  const std::string key = list_key_of(collection);
  if (!result.body.is_object() || !result.body.contains(key) || !result.body[key].is_array()) {
    result.status = 502;
    result.error = "the controller's answer has no \"" + key + "\" list";
    fail(result);
    return std::nullopt;
  }
  return std::move(result.body[key]);
}

}  // namespace overcast::cli

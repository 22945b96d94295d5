#include "cli/main/resource_verbs.h"

namespace overcast::cli {

using nlohmann::json;

namespace {

// The object inside a {"<singular>": {...}} answer; reports a malformed answer.
bool print_enveloped(CommandContext& ctx, ApiResult& result, const std::string& collection) {
  const std::string kind = singular_of(collection);
  if (!result.body.is_object() || !result.body.contains(kind) || !result.body[kind].is_object()) {
    result.status = 502;
    result.error = "the controller's answer has no \"" + kind + "\" object";
    ctx.fail(result);
    return false;
  }
  print_object(ctx.out(), ctx.output_format(), result.body[kind]);
  return true;
}

}  // namespace

std::string id_of(const json& object) { return field_text(object, "id"); }

void show_resource(CommandContext& ctx, const std::string& collection,
                   const std::string& name_or_id, const std::string& name_field) {
  auto object = ctx.resolve(collection, name_or_id, name_field);
  if (object) print_object(ctx.out(), ctx.output_format(), *object);
}

void create_resource(CommandContext& ctx, const std::string& collection, const json& body) {
  ApiResult result = ctx.client().post("/v2.0/" + collection, {{singular_of(collection), body}});
  if (!result.ok()) {
    ctx.fail(result);
    return;
  }
  print_enveloped(ctx, result, collection);
}

void update_resource(CommandContext& ctx, const std::string& collection,
                     const std::string& name_or_id, const json& changes) {
  auto id = ctx.resolve_id(collection, name_or_id);
  if (!id) return;
  ApiResult result = ctx.client().put("/v2.0/" + collection + "/" + url_encode(*id),
                                      {{singular_of(collection), changes}});
  if (!result.ok()) {
    ctx.fail(result);
    return;
  }
  print_enveloped(ctx, result, collection);
}

void delete_resources(CommandContext& ctx, const std::string& collection,
                      const std::vector<std::string>& names_or_ids) {
  const std::string kind = singular_of(collection);
  for (const auto& name_or_id : names_or_ids) {
    auto id = ctx.resolve_id(collection, name_or_id);
    if (!id) continue;
    ApiResult result = ctx.client().del("/v2.0/" + collection + "/" + url_encode(*id));
    if (!result.ok()) {
      ctx.fail(result);
      continue;
    }
    // Scripts asked for JSON get no chatter on stdout; people get a confirmation.
    if (ctx.output_format() == OutputFormat::kTable) {
      ctx.out() << "Deleted " << kind << " " << name_or_id;
      if (*id != name_or_id) ctx.out() << " (" << *id << ")";
      ctx.out() << '\n';
    }
  }
}

}  // namespace overcast::cli

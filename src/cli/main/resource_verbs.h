// The verbs that work the same for every resource (show, create, set, delete): resolve the
// name, make the request, print the object or the error. Resource files add only what
// differs: their options and the request body.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/main/command_context.h"

namespace overcast::cli {

// GET one object by name or ID and print it as a Field/Value table (or JSON).
void show_resource(CommandContext& ctx, const std::string& collection,
                   const std::string& name_or_id, const std::string& name_field = "name");

// POST {"<singular>": body} and print the created object.
void create_resource(CommandContext& ctx, const std::string& collection,
                     const nlohmann::json& body);

// Resolve, then PUT {"<singular>": changes} and print the updated object.
void update_resource(CommandContext& ctx, const std::string& collection,
                     const std::string& name_or_id, const nlohmann::json& changes);

// Resolve and DELETE each one; a failure is reported and the rest are still tried.
void delete_resources(CommandContext& ctx, const std::string& collection,
                      const std::vector<std::string>& names_or_ids);

// The ID column shown first in every list.
std::string id_of(const nlohmann::json& object);

}  // namespace overcast::cli

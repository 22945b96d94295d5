// Each resource's commands register themselves on the root app; their callbacks run after
// the whole command line is parsed and report through the shared CommandContext.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/main/command_context.h"

namespace overcast::cli {

void register_network_commands(CLI::App& root, CommandContext& ctx);
void register_subnet_commands(CLI::App& root, CommandContext& ctx);
void register_port_commands(CLI::App& root, CommandContext& ctx);
void register_host_commands(CLI::App& root, CommandContext& ctx);
void register_router_commands(CLI::App& root, CommandContext& ctx);
void register_floating_ip_commands(CLI::App& root, CommandContext& ctx);
void register_security_group_commands(CLI::App& root, CommandContext& ctx);
void register_version_command(CLI::App& root, CommandContext& ctx);

// --enable / --disable as one tri-state: unset, true, false.
void add_enable_disable(CLI::App* command, std::optional<bool>& admin_state_up,
                        const std::string& what);

// Columns shared by the resource files.
std::string first_field_text(const nlohmann::json& item, std::initializer_list<const char*> keys);

// Network ID → name, for lists that show a port's or subnet's network: an operator reads
// "web" faster than a UUID. Empty if the networks cannot be listed (the column then shows IDs).
std::map<std::string, std::string> network_names(CommandContext& ctx);

// A column showing the name of item[key]'s network (or the ID when it has no name).
Column network_column(const std::map<std::string, std::string>& names, const std::string& key);

}  // namespace overcast::cli

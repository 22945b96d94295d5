// The last applied view on disk (<state-dir>/view.pb, a serialized Snapshot), so a
// restarted agent forwards with what it had before the controller answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/view/view_validator.h"

namespace overcast::agent {

// Writes atomically (temporary file + rename): a crash leaves the old file or the new one.
bool save_view(const std::string& path, const ViewMap& view, std::string& error);

// nullopt with `error` empty if there is no file; nullopt with `error` set if it is unreadable.
std::optional<std::vector<sb::ViewEntry>> load_view(const std::string& path, std::string& error);

}  // namespace overcast::agent

// The `overcast` program as a function, so tests can run it in-process against a fake API
// and main() stays a one-liner.
#pragma once

#include <functional>
#include <ostream>

#include <CLI/CLI.hpp>

namespace overcast::cli {

// Parses argv, runs the command, returns the exit code (see exit_codes.h).
// `register_extra` adds more command groups (the lab) to the root app.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const std::function<void(CLI::App&)>& register_extra = {});

}  // namespace overcast::cli

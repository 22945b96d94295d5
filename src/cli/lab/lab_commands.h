// `overcast lab ...`: a whole Overcast cloud on one machine, in network namespaces.
//   lab up [--hosts N] [--api-port P] [--bin-dir D] [--log-level L]
//   lab down | lab status [--json] | lab vm NAME --port PORT [--static]
//   lab exec NAME -- CMD...        (NAME: a VM, hvI or fab; exits with CMD's code)
//   lab agent HOST [PATH]          (GET PATH, default /status, on HOST's control socket)
// Every subcommand takes --prefix P (env OVERCAST_LAB_PREFIX, default "oc") and
// --state-dir D (default /var/lib/overcast/lab/<P>).
#pragma once

#include <CLI/CLI.hpp>

namespace overcast::cli {

void register_lab_commands(CLI::App& root);

}  // namespace overcast::cli

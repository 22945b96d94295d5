// The exit codes of `overcast`, a contract with the scripts that call it:
//   0 ok · 1 the API refused the request (4xx, including not found) · 2 usage error
//   3 the controller cannot be reached or failed (5xx, malformed answer).
#pragma once

#include <ostream>

#include "cli/client/neutron_client.h"

namespace overcast::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitApiRefused = 1,
  kExitUsage = 2,
  kExitUnavailable = 3,
};

// Maps one API answer to the exit code it deserves.
ExitCode exit_code_for(const ApiResult& result);

// The more serious of two outcomes, for commands that make several requests
// (`delete a b c`): unavailable > usage > refused > ok.
ExitCode worst_of(ExitCode a, ExitCode b);

// The text for `--help`.
inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 ok; 1 the API refused the request (4xx, including not found); "
    "2 usage error; 3 cannot reach the controller, or it failed (5xx).";

}  // namespace overcast::cli

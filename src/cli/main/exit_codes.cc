#include "cli/main/exit_codes.h"

namespace overcast::cli {

ExitCode exit_code_for(const ApiResult& result) {
  if (result.ok()) return kExitOk;
  if (result.status >= 400 && result.status < 500) return kExitApiRefused;
  // Status 0 (no answer), 5xx, and anything odd (a redirect, a 2xx with a body that is not
  // JSON) all mean the same to a script: the controller is not serving us properly.
  return kExitUnavailable;
}

ExitCode worst_of(ExitCode a, ExitCode b) {
  auto rank = [](ExitCode c) {
    switch (c) {
      case kExitOk: return 0;
      case kExitApiRefused: return 1;
      case kExitUsage: return 2;
      case kExitUnavailable: return 3;
    }
    return 3;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace overcast::cli

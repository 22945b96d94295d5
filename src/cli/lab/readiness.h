// Bounded waits for the lab's daemons to become useful, with errors that say what was
// seen last and where the daemon's log is.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/lab/lab_options.h"

namespace overcast::cli::lab {

inline constexpr int kControllerReadyTimeoutMs = 20000;
inline constexpr int kAgentReadyTimeoutMs = 20000;

std::string api_endpoint(int api_port);  // "http://127.0.0.1:<port>"

// Whether anything answers HTTP on the API port (any status).
bool api_answers(int api_port);

// Until GET /v2.0/networks answers 200; throws LabError (with the log's tail) if the
// process dies or the timeout passes.
void wait_for_controller(const LabOptions& options, pid_t pid, int timeout_ms);

// One GET on the agent's control socket, parsed as JSON.
std::optional<nlohmann::json> agent_get(const LabOptions& options, const std::string& host,
                                        const std::string& path, std::string& error);

// Until the agent's /status says "connected": true; throws LabError like above.
void wait_for_agent(const LabOptions& options, const std::string& host, pid_t pid,
                    int timeout_ms);

}  // namespace overcast::cli::lab

// Which gateway host serves a router's external gateway: one rule, shared by the API
// (`GET /routers/{id}/l3-agents`, floating IP status) and the view compiler (which host
// gets the router's gateway), so what the operator reads is what the hosts do.
//
// The candidates are the agents started with --gateway that map the external network's
// physical network (a host without it could not reach the segment). Highest priority
// first, the host name breaking ties so that every controller of a cluster agrees; the
// first alive one is active, the others stand by.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace overcast::controller {

struct GatewayCandidate {
  std::string host;
  uint32_t priority = 0;
  bool alive = false;
};

// Sorts `candidates` into election order and returns the index of the active one, or
// nullopt when none is alive.
inline std::optional<size_t> elect_gateway(std::vector<GatewayCandidate>& candidates) {
  std::sort(candidates.begin(), candidates.end(), [](const GatewayCandidate& a, const GatewayCandidate& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.host < b.host;
  });
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].alive) return i;
  }
  return std::nullopt;
}

}  // namespace overcast::controller

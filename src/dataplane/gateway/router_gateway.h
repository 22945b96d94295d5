// A router's external gateway as the host serving it holds it: the router (for routing
// what comes in back to the tenant's networks) and its NAT configuration (external
// address, SNAT on or off, floating IPs). Published in the forwarding table, on the
// external network's segment, keyed by the router's external MAC; immutable.
//
// Only the active gateway host has these. The conntrack zone in `nat` is not set here:
// zones belong to the worker whose tracker holds them (gateway_stage.h assigns them).
#pragma once

#include <memory>

#include "dataplane/nat/router_nat.h"
#include "dataplane/route/router_instance.h"

namespace overcast::dataplane::gateway {

struct RouterGateway {
  std::shared_ptr<const route::RouterInstance> router;
  nat::RouterNatConfig nat;
};

}  // namespace overcast::dataplane::gateway

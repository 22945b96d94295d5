// What the view compiler learns of a router (topology_listener.h RouterFacts): its
// interfaces are the ports it owns, so the facts are built from the model's state.
#pragma once

#include <set>
#include <string>

#include "controller/model/model_state.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

// Each interface port's fixed IPs become interfaces, with the prefix length of their
// subnet ("10.1.0.1/24"); an address whose subnet is gone is left out.
RouterFacts router_facts(const ModelState& state, const Router& router);

// Routers a transaction must tell the compiler about again because one of their
// interface ports changed: the device_id of a router interface port, before or after.
void add_router_of_port(const Port* port, std::set<std::string>& router_ids);

}  // namespace overcast::controller

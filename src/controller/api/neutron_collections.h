// The Neutron collections Overcast serves, bound to the logical model.
#pragma once

#include "controller/api/collection_routes.h"
#include "controller/model/logical_model.h"

namespace overcast::controller::api {

Collection network_collection(LogicalModel& model);
Collection subnet_collection(LogicalModel& model);
Collection port_collection(LogicalModel& model);
Collection agent_collection(LogicalModel& model);
Collection router_collection(LogicalModel& model);
Collection floating_ip_collection(LogicalModel& model);
Collection security_group_collection(LogicalModel& model);
Collection security_group_rule_collection(LogicalModel& model);

// PUT /v2.0/routers/{id}/add_router_interface and remove_router_interface, and
// GET /v2.0/routers/{id}/l3-agents (l3_agent_scheduler, l3-ha).
void add_router_action_routes(httplib::Server& server, LogicalModel& model);

}  // namespace overcast::controller::api

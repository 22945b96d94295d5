// The Neutron collections Overcast serves, bound to the logical model.
#pragma once

#include "controller/api/collection_routes.h"
#include "controller/model/logical_model.h"

namespace overcast::controller::api {

Collection network_collection(LogicalModel& model);
Collection subnet_collection(LogicalModel& model);
Collection port_collection(LogicalModel& model);
Collection agent_collection(LogicalModel& model);

}  // namespace overcast::controller::api

// The facts the view compiler gets of each model record (topology_listener.h): one
// place, so the start-up ChangeSet and the per-transaction ones say the same thing.
#pragma once

#include "controller/model/model_state.h"
#include "controller/model/resources.h"
#include "controller/topology/topology_listener.h"

namespace overcast::controller {

NetworkFacts network_facts(const Network& network);
SubnetFacts subnet_facts(const Subnet& subnet);
// The physical networks of its bridge mappings travel with it (sorted, unique), and
// for a gateway host its election inputs (`alive` as the model sees it now).
HostFacts host_facts(const Agent& agent, bool alive = true);
// Whether the host maps an interface to `physical_network` (--bridge-mappings).
bool agent_maps_physnet(const Agent& agent, const std::string& physical_network);
// A pair without MAC gets the port's, as Neutron shows it.
PortFacts port_facts(const Port& port);
// A group with all its rules (as `state` holds them), sorted by rule id.
SecurityGroupFacts security_group_facts(const ModelState& state, const SecurityGroup& group);

}  // namespace overcast::controller

// Compiles the view's routers ("router/<id>") into the forwarding table: per router a
// RouterInstance with an IPv4 LPM table (its interfaces' connected subnets, and static
// routes via a next hop on one of them); on each interface's segment its MAC is marked
// as the router's (Segment::router_ports) and its address answered by ARP suppression.
// Interfaces on segments this host does not hold, IPv6 interfaces (not routed yet) and
// routes whose next hop is on none of the router's subnets are left out; a router that
// is administratively down is left out whole.
#pragma once

#include <string>

#include "agent/view/view_validator.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// A router with an external gateway also gets its ExternalGateway and, unless the tenant
// set a default route of its own, a default route to it; `local_host` (this agent's host
// name) tells whether this host is the one serving it, and which floating IPs this host
// NATs itself for its own ports (served_by_host: the external segment then gets a gateway
// of this host's, on a MAC of its own, with those floating IPs only).
// `view` must have passed validation; call after the segments exist.
void add_routers(const ViewMap& view, dataplane::ForwardingTable& table, const std::string& local_host = "");

}  // namespace overcast::agent

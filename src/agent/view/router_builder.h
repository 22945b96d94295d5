// Compiles the view's routers ("router/<id>") into the forwarding table: per router a
// RouterInstance with an IPv4 LPM table (its interfaces' connected subnets, and static
// routes via a next hop on one of them); on each interface's segment its MAC is marked
// as the router's (Segment::router_ports) and its address answered by ARP suppression.
// Interfaces on segments this host does not hold, IPv6 interfaces (not routed yet) and
// routes whose next hop is on none of the router's subnets are left out; a router that
// is administratively down is left out whole.
#pragma once

#include "agent/view/view_validator.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// `view` must have passed validation; call after the segments exist.
void add_routers(const ViewMap& view, dataplane::ForwardingTable& table);

}  // namespace overcast::agent

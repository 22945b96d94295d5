// Turns the agent's view into the data plane's forwarding table.
//
//   segments     one per NetworkEntry (by VNI): MTU, flood list, local port slots,
//                subnets (from SubnetEntries of that network)
//   ports        one per local port, at its stable slot; io = its open device; fixed IPs,
//                port security and allowed address pairs, and the SpoofFilter compiled
//                from them when port security is on
//   DHCP leases  per segment, for local ports with an IPv4 fixed IP in one of its subnets
//   MAC table    local ports (that have a device) -> slot; remote ports -> VTEP
//   ARP map      IPv4 fixed IPs of local and remote ports -> MAC (ARP suppression)
//   known_vteps  flood lists, routed_vteps and remote ports' VTEPs: tunnel rx is accepted only from these
//   routers      router_builder.h: per-router LPM tables, router MACs and gateway ARP per segment
//   firewall     with `policies`: each port's compiled security groups, and the members of
//                remote groups (security_group_policies.h)
//
// A port whose device is not open gets a slot entry without io (free for the data
// plane) and no MAC entry, so nothing is ever sent to a missing device.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "agent/view/port_slots.h"
#include "agent/view/security_group_policies.h"
#include "agent/view/view_validator.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// The open device of a local port, or nullptr if it is down.
using PortIoLookup = std::function<std::shared_ptr<dataplane::PortIo>(const std::string& port_id)>;

// `view` must have passed validation; every local port must hold a slot in `slots`.
dataplane::ForwardingTable build_forwarding_table(const ViewMap& view, const PortSlots& slots,
                                                  const PortIoLookup& io_of, uint64_t version,
                                                  SecurityGroupPolicies* policies = nullptr,
                                                  const std::string& local_host = "");

}  // namespace overcast::agent

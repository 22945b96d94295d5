// What the data plane's per-port services are compiled from, once per table: the
// anti-spoofing filter of a port with port security, and the DHCP lease of a port whose
// IPv4 fixed IP lies in one of its network's subnets.
#pragma once

#include <memory>

#include "common/mac_address.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// The source MAC of DHCP replies: locally administered, so it is no VM's (Neutron's
// MACs are fa:16:3e:...). Replies only go to the asking port, so no table learns it.
inline constexpr MacAddress kDhcpServerMac{{0x02, 0x6f, 0x63, 0x00, 0x00, 0x01}};

// From the port's MAC, fixed IPs and allowed address pairs.
std::shared_ptr<const dataplane::port_security::SpoofFilter> compile_spoof_filter(const dataplane::PortEntry& port);

// Adds the port's lease to `segment.dhcp_leases` (keyed by its MAC) from the first of its
// IPv4 fixed IPs that lies in an IPv4 subnet of the segment: that subnet's gateway
// (router and server identifier; without a gateway the subnet's first address is the
// server identifier), DNS servers, host routes, and the segment's MTU. A subnet with
// enable_dhcp off gives a disabled lease (its DHCP frames go on to the network).
void add_dhcp_lease(dataplane::Segment& segment, const dataplane::PortEntry& port);

// Makes each DHCP server identifier of the segment's enabled leases answer ARP, with the
// server's MAC, unless a port already owns that address (a router interface, a VM acting
// as gateway): a client ARPs for it before its unicast renewal (RFC 2131 4.4.5, dhclient
// and udhcpc alike), and the DHCP stage takes that renewal whatever its destination MAC.
// Call after every port's addresses are in `segment.arp`.
void add_dhcp_server_arp(dataplane::Segment& segment);

}  // namespace overcast::agent

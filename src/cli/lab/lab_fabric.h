// Builds the lab's underlay (fabric router, leaf bridges, hypervisor namespaces with
// their uplinks) and the management network, idempotently: each call creates only what
// is missing and re-applies addresses, so it repairs a half-built lab.
#pragma once

#include <optional>
#include <vector>

#include "cli/lab/lab_plan.h"
#include "common/ip_address.h"

namespace overcast::cli::lab {

// The first K in 1..254 such that 10.254.K.0/24 overlaps none of `taken`; nullopt if none.
std::optional<int> choose_mgmt_octet(const std::vector<IpPrefix>& taken);

// The management bridge <P>-mg in the root namespace, with 10.254.K.1/24.
void build_mgmt_bridge(const LabNames& names, int octet);
// Namespace <P>-fab: IPv4 forwarding, one bridge per leaf with the leaf's router address.
void build_fabric(const LabNames& names);
// Namespace <P>-hvI: uplink into its leaf (underlay address, default route via the leaf
// router) and a management veth into <P>-mg.
void build_host(const LabNames& names, int index, int octet);

}  // namespace overcast::cli::lab

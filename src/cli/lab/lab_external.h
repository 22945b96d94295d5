// The lab's outside world, as devstack sets one up: an external segment standing for the
// provider network physnet1 (a bridge in the fabric namespace, not routed by the fabric),
// reached by every hypervisor through its own uplink <P>-ex (the interface agents map with
// --bridge-mappings physnet1:<P>-ex), and the outside host <P>-ext at 203.0.113.1 on it,
// standing for the internet. Idempotent like the rest of `lab up`.
#pragma once

#include "cli/lab/lab_plan.h"

namespace overcast::cli::lab {

// Bridge <P>-extbr in <P>-fab (up, no address).
void build_external_segment(const LabNames& names);
// Veth <P>-e-hvI (a port of the bridge) ⇄ <P>-ex in <P>-hvI, up, without an address: the
// agent owns it.
void build_host_external_uplink(const LabNames& names, int index);
// Namespace <P>-ext with <P>-ex 203.0.113.1/24 on the segment.
void build_external_host(const LabNames& names);

}  // namespace overcast::cli::lab

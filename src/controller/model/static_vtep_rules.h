// The rules for static (agentless) VTEPs that more than one model operation applies.
#pragma once

#include "controller/model/model_error.h"
#include "controller/model/model_state.h"
#include "controller/model/requests.h"

namespace overcast::controller {

// The encapsulation a static VTEP may declare: the one Overcast's data plane speaks to
// foreign VTEPs today.
inline constexpr const char* kStaticVtepEncapsulation = "vxlan";

// Checks a declaration on its own (name, address family, encapsulations); conflicts
// with other hosts are the caller's. On success `underlay` holds the canonical address.
Status check_static_vtep_request(const StaticVtepCreate& request, std::string& underlay);

// A VTEP address other VTEPs can send unicast VXLAN to (agents' and static VTEPs' alike):
// anything else in a flood list would make every peer NACK its whole view.
bool is_unicast_v4(const Ipv4Address& address);

// A static VTEP may go only when no port is bound to it: its ports would otherwise stay
// bound to a host that no longer exists and silently stop forwarding (the way Neutron
// refuses to delete a network that still has ports: 409 ...InUse).
Status static_vtep_deletable(const ModelState& state, const Agent& vtep);

}  // namespace overcast::controller

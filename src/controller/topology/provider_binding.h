// Where a provider network (flat or vlan) can work: only on hosts whose agent maps its
// physical network to an interface (--bridge-mappings). Elsewhere a port of it fails to
// bind, as in Neutron (binding:vif_type "binding_failed"): the compiler leaves it out of
// every view, so its host never plugs it and the others never expect it.
#pragma once

#include <string>

#include "controller/topology/topology_listener.h"

namespace overcast::controller {

// flat or vlan: bridged onto a physical segment, not carried in the overlay.
bool is_provider_network(const NetworkFacts& network);

// Whether ports of `network` work on `host` (nullptr: a host that has not registered,
// whose mappings are unknown). Overlay networks work on every host.
bool host_can_bind(const HostFacts* host, const NetworkFacts& network);

}  // namespace overcast::controller

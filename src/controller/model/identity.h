// Fresh identifiers and timestamps for new resources.
#pragma once

#include <string>

namespace overcast::controller {

// A random (version 4) UUID in its canonical lower-case text form.
std::string make_uuid();
// A random MAC in OpenStack's "fa:16:3e" range, the range Neutron's base_mac uses.
std::string make_port_mac();
// Now, as Neutron writes its created_at/updated_at: "2026-11-29T08:53:48Z".
std::string utc_timestamp_now();

}  // namespace overcast::controller

// Address arithmetic the IP allocator needs, for both families: the first and last
// address of a prefix, and stepping one address up or down.
#pragma once

#include "common/ip_address.h"

namespace overcast::controller {

// The network address (all host bits zero) and the last address (all ones; the
// broadcast address in IPv4).
IpAddress first_address(const IpPrefix& prefix);
IpAddress last_address(const IpPrefix& prefix);
// Wraps around at the end of the family's space; callers stay inside a prefix.
IpAddress next_address(const IpAddress& ip);
IpAddress previous_address(const IpAddress& ip);

}  // namespace overcast::controller

// The rules of a subnet on its own, apart from the rest of the model: cidr, gateway,
// allocation pools, DNS servers, host routes, IPv6 modes. Fills Neutron's defaults
// (gateway = first host, pools = the other usable addresses).
#pragma once

#include "controller/model/model_error.h"
#include "controller/model/requests.h"
#include "controller/model/resources.h"

namespace overcast::controller {

// Checks `request` and writes the canonical cidr, gateway, pools, DNS servers, routes
// and modes into `subnet`. Errors are 400s naming the field.
Status apply_subnet_rules(const SubnetCreate& request, Subnet& subnet);

// Whether two subnets' address ranges overlap (cidrs as stored, canonical).
bool subnets_overlap(const std::string& cidr_a, const std::string& cidr_b);

// Checks dns_nameservers / host_routes of a create or an update (same family as the cidr).
Status check_dns_nameservers(const std::vector<std::string>& servers, int ip_version);
Status check_host_routes(const std::vector<HostRoute>& routes, int ip_version);

}  // namespace overcast::controller

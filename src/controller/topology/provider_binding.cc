#include "controller/topology/provider_binding.h"

#include <algorithm>

namespace overcast::controller {

bool is_provider_network(const NetworkFacts& network) {
  return network.network_type == "flat" || network.network_type == "vlan";
}

bool host_can_bind(const HostFacts* host, const NetworkFacts& network) {
  if (!is_provider_network(network)) return true;
  if (host == nullptr) return false;
  return std::find(host->physnets.begin(), host->physnets.end(), network.physical_network) != host->physnets.end();
}

}  // namespace overcast::controller

// The shape of the simulated cloud, decided before any API call: which tenant owns
// each network, which hosts each network spans, and the host of every port.
//
// A realistic spread: most networks ("regular") span 1..4 hosts; a few ("wide",
// `wide_fraction` of them) span many hosts (`wide_span`, one port per host). The
// ports left after the wide networks are shared evenly by the regular networks
// and placed round-robin on their hosts. Deterministic for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace overcast::bench {

struct CloudShape {
  size_t hosts = 10;
  size_t tenants = 10;
  size_t networks = 100;
  size_t ports = 1000;
  double wide_fraction = 0.01;
  size_t wide_span = 0;        // 0: max(2, hosts / 10), at most hosts
  size_t max_regular_span = 4;
  uint64_t seed = 1;
};

struct PlannedNetwork {
  size_t tenant = 0;
  bool wide = false;
  std::vector<size_t> hosts;       // distinct host indexes it spans
  std::vector<size_t> port_hosts;  // the host index of each of its ports
};

struct CloudPlan {
  std::vector<PlannedNetwork> networks;
  size_t ports() const;
};

// Throws std::invalid_argument for a shape that cannot be built (no hosts, no
// tenants, more wide-network ports than ports).
CloudPlan make_cloud_plan(const CloudShape& shape);
size_t effective_wide_span(const CloudShape& shape);

}  // namespace overcast::bench

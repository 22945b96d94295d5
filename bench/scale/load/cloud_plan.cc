#include "bench/scale/load/cloud_plan.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

namespace overcast::bench {

size_t CloudPlan::ports() const {
  size_t n = 0;
  for (const auto& network : networks) n += network.port_hosts.size();
  return n;
}

size_t effective_wide_span(const CloudShape& shape) {
  const size_t span = shape.wide_span != 0 ? shape.wide_span : std::max<size_t>(2, shape.hosts / 10);
  return std::min(span, shape.hosts);
}

namespace {

// `count` distinct host indexes out of `hosts`, uniformly.
std::vector<size_t> pick_hosts(size_t hosts, size_t count, std::mt19937_64& rng) {
  std::vector<size_t> picked;
  if (count * 4 >= hosts) {  // dense: shuffle all
    picked.resize(hosts);
    for (size_t i = 0; i < hosts; ++i) picked[i] = i;
    std::shuffle(picked.begin(), picked.end(), rng);
    picked.resize(count);
  } else {  // sparse: draw until distinct
    std::uniform_int_distribution<size_t> any(0, hosts - 1);
    while (picked.size() < count) {
      const size_t h = any(rng);
      if (std::find(picked.begin(), picked.end(), h) == picked.end()) picked.push_back(h);
    }
  }
  std::sort(picked.begin(), picked.end());
  return picked;
}

}  // namespace

CloudPlan make_cloud_plan(const CloudShape& shape) {
  if (shape.hosts == 0) throw std::invalid_argument("the cloud needs at least one host");
  if (shape.tenants == 0) throw std::invalid_argument("the cloud needs at least one tenant");
  if (shape.max_regular_span == 0) throw std::invalid_argument("max_regular_span must be at least 1");
  if (shape.wide_fraction < 0 || shape.wide_fraction > 1) throw std::invalid_argument("wide_fraction must be in [0, 1]");
  const size_t wide_count = static_cast<size_t>(static_cast<double>(shape.networks) * shape.wide_fraction);
  const size_t span = effective_wide_span(shape);
  if (wide_count * span > shape.ports) {
    throw std::invalid_argument("the wide networks alone need " + std::to_string(wide_count * span) +
                                " ports, more than the " + std::to_string(shape.ports) + " asked for");
  }
  std::mt19937_64 rng(shape.seed);
  CloudPlan plan;
  plan.networks.resize(shape.networks);
  const size_t regular_count = shape.networks - wide_count;
  const size_t regular_ports = shape.ports - wide_count * span;
  if (regular_count == 0 && regular_ports > 0) {
    throw std::invalid_argument("every network is wide: nowhere to put the other " + std::to_string(regular_ports) +
                                " ports");
  }
  const size_t max_span = std::min(shape.max_regular_span, shape.hosts);
  std::uniform_int_distribution<size_t> regular_span(1, max_span);
  for (size_t n = 0; n < shape.networks; ++n) {
    PlannedNetwork& network = plan.networks[n];
    network.tenant = n % shape.tenants;
    // The wide networks are spread through the list rather than bunched at its end.
    network.wide = wide_count > 0 && n % (shape.networks / wide_count) == 0 &&
                   n / (shape.networks / wide_count) < wide_count;
    if (network.wide) {
      network.hosts = pick_hosts(shape.hosts, span, rng);
      network.port_hosts = network.hosts;
    }
  }
  size_t regular_index = 0;
  for (auto& network : plan.networks) {
    if (network.wide) continue;
    network.hosts = pick_hosts(shape.hosts, regular_span(rng), rng);
    const size_t ports = regular_ports / regular_count + (regular_index < regular_ports % regular_count ? 1 : 0);
    for (size_t p = 0; p < ports; ++p) network.port_hosts.push_back(network.hosts[p % network.hosts.size()]);
    // A regular network with fewer ports than hosts only spans the hosts it uses.
    if (ports < network.hosts.size()) network.hosts.resize(ports);
    ++regular_index;
  }
  return plan;
}

}  // namespace overcast::bench

#include "bench/scale/main/build_phase.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace overcast::bench {

namespace {
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string tenant_name(size_t index) { return "tenant-" + std::to_string(index); }

size_t hosts_behind(const HostFleet& fleet, const std::vector<size_t>& ideal) {
  size_t behind = 0;
  for (size_t i = 0; i < fleet.size(); ++i) behind += fleet.host(i).sink->entries() != ideal[i] ? 1 : 0;
  return behind;
}
}  // namespace

BuildResult build_cloud(const ScaleOptions& options, const CloudPlan& plan, NeutronLoad& api,
                        const HostFleet& fleet, CloudModel& model) {
  BuildResult result;
  const size_t bulk = std::max<size_t>(1, options.bulk);
  const auto start = Clock::now();

  for (size_t first = 0; first < plan.networks.size(); first += bulk) {
    const size_t last = std::min(plan.networks.size(), first + bulk);
    std::vector<NetworkRequest> requests;
    std::vector<std::string> projects;
    for (size_t n = first; n < last; ++n) {
      requests.push_back({"net-" + std::to_string(n), tenant_name(plan.networks[n].tenant)});
      projects.push_back(requests.back().project);
    }
    auto ids = api.create_networks(requests);
    auto subnet_ids = api.create_subnets(ids, projects, "10.0.0.0/16");
    for (size_t i = 0; i < ids.size(); ++i) model.add_subnet(subnet_ids[i], ids[i]);
    for (size_t i = 0; i < ids.size(); ++i) result.networks.push_back({ids[i], projects[i]});
  }

  std::vector<PortRequest> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    auto created = api.create_ports(batch);
    for (size_t i = 0; i < created.size(); ++i) {
      model.add_port(created[i].id, batch[i].network_id, batch[i].host, std::move(created[i].security_groups));
    }
    batch.clear();
  };
  size_t port_number = 0;
  for (size_t n = 0; n < plan.networks.size(); ++n) {
    for (size_t host : plan.networks[n].port_hosts) {
      batch.push_back({"port-" + std::to_string(port_number++), result.networks[n].project, result.networks[n].id,
                       fleet.host(host).name});
      if (batch.size() >= bulk) flush();
    }
  }
  flush();
  result.api_seconds = seconds_since(start);
  spdlog::info("build: {} networks, {} ports created in {:.2f} s", plan.networks.size(), model.ports(),
               result.api_seconds);

  std::vector<size_t> ideal(fleet.size());
  for (size_t i = 0; i < fleet.size(); ++i) ideal[i] = model.ideal_entries(fleet.host(i).name);
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(options.converge_timeout_s));
  while (true) {
    result.hosts_behind = hosts_behind(fleet, ideal);
    if (result.hosts_behind == 0) {
      result.converged = true;
      break;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.converge_seconds = seconds_since(start);
  return result;
}

}  // namespace overcast::bench

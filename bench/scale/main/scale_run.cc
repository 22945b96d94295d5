#include "bench/scale/main/scale_run.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "bench/scale/load/cloud_model.h"
#include "bench/scale/load/neutron_load.h"
#include "bench/scale/main/build_phase.h"
#include "bench/scale/main/churn_phase.h"
#include "bench/scale/main/controller_process.h"
#include "bench/scale/main/view_audit.h"
#include "bench/scale/meter/latency_stats.h"
#include "bench/scale/meter/proc_stats.h"
#include "bench/scale/sim/host_fleet.h"

namespace overcast::bench {

namespace {
using nlohmann::json;

json summary_json(const std::vector<double>& sample) {
  const auto s = summarize(sample);
  return json{{"count", s.count}, {"p50", s.p50}, {"p95", s.p95}, {"p99", s.p99}, {"max", s.max}, {"mean", s.mean}};
}

json audit_json(const ViewAudit& a) {
  return json{{"hosts", a.hosts},
              {"hosts_exact", a.hosts_exact},
              {"missing_keys", a.missing_keys},
              {"extra_keys", a.extra_keys},
              {"entries_mean", a.entries_mean},
              {"ideal_entries_mean", a.ideal_entries_mean},
              {"entries_max", a.entries_max},
              {"worst_entries_ratio", a.worst_entries_ratio},
              {"bytes_mean", a.bytes_mean},
              {"bytes_max", a.bytes_max},
              {"bytes_total", a.bytes_total}};
}

SinkTraffic fleet_traffic(const HostFleet& fleet) {
  SinkTraffic total;
  for (const auto& host : fleet.hosts()) {
    const auto t = host.sink->traffic();
    total.snapshots += t.snapshots;
    total.deltas += t.deltas;
    total.bytes += t.bytes;
    total.nacks += t.nacks;
  }
  return total;
}

json proc_json(const std::optional<ProcSample>& sample) {
  if (!sample) return nullptr;
  return json{{"rss_bytes", sample->rss_bytes}, {"peak_rss_bytes", sample->peak_rss_bytes},
              {"cpu_seconds", sample->cpu_seconds}};
}

// A directory of its own for the run, removed at the end unless the user gave it.
class RunDirectory {
 public:
  explicit RunDirectory(const std::string& wanted) : keep_(!wanted.empty()) {
    if (keep_) {
      path_ = wanted;
      std::filesystem::create_directories(path_);
    } else {
      std::string pattern = (std::filesystem::temp_directory_path() / "overcast-bench-scale-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      path_ = pattern;
    }
  }
  ~RunDirectory() {
    std::error_code ignored;
    if (!keep_) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  bool keep_;
  std::string path_;
};

double elapsed_s(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }
}  // namespace

json run_scale_point(const ScaleOptions& options) {
  const CloudPlan plan = make_cloud_plan(options.shape);
  RunDirectory dir(options.work_dir);
  ControllerProcess controller(options.controller_binary, dir.path());
  NeutronLoad api(controller.api_endpoint());
  const auto boot = Clock::now();
  while (!api.ready()) {
    if (!controller.running()) throw std::runtime_error("the controller exited; see " + dir.path() + "/controller.log");
    if (elapsed_s(boot) > 20) throw std::runtime_error("the controller's API did not answer within 20 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  const auto connect_start = Clock::now();
  HostFleet fleet(controller.southbound(), options.shape.hosts, options.sink);
  fleet.start();
  const auto connect_budget = std::chrono::milliseconds(30000 + 60 * options.shape.hosts);
  if (!fleet.wait_connected(connect_budget)) {
    throw std::runtime_error(std::to_string(fleet.connected()) + " of " + std::to_string(fleet.size()) +
                             " simulated hosts connected in time");
  }
  const double connect_seconds = elapsed_s(connect_start);
  spdlog::info("{} simulated hosts registered in {:.2f} s", fleet.size(), connect_seconds);
  const auto idle = sample_process(controller.pid());

  CloudModel model;
  const BuildResult build = build_cloud(options, plan, api, fleet, model);
  spdlog::info("build: converged={} in {:.2f} s", build.converged, build.converge_seconds);
  const auto after_build = sample_process(controller.pid());
  const ViewAudit build_audit = audit_views(fleet, model);

  const SinkTraffic before_churn = fleet_traffic(fleet);
  ChurnResult churn = run_churn(options, build.networks, api, fleet, model);
  const SinkTraffic after_churn = fleet_traffic(fleet);
  const auto after = sample_process(controller.pid());
  spdlog::info("churn: {} changes at {:.1f}/s, {} unsettled", churn.changes, churn.achieved_rate, churn.unsettled);
  const ViewAudit churn_audit = audit_views(fleet, model);

  const double changes = std::max<double>(1.0, static_cast<double>(churn.changes));
  const double churn_cpu = (after && after_build) ? after->cpu_seconds - after_build->cpu_seconds : 0;
  json result{
      {"shape",
       {{"hosts", options.shape.hosts},
        {"tenants", options.shape.tenants},
        {"networks", options.shape.networks},
        {"ports", plan.ports()},
        {"wide_networks", std::count_if(plan.networks.begin(), plan.networks.end(),
                                        [](const PlannedNetwork& n) { return n.wide; })},
        {"wide_span", effective_wide_span(options.shape)},
        {"seed", options.shape.seed},
        {"sink", options.sink == SinkMode::kAgent ? "agent" : "light"}}},
      {"connect_seconds", connect_seconds},
      {"build",
       {{"api_seconds", build.api_seconds},
        {"converge_seconds", build.converge_seconds},
        {"converged", build.converged},
        {"hosts_behind", build.hosts_behind},
        {"views", audit_json(build_audit)}}},
      {"churn",
       {{"target_rate", options.churn_rate},
        {"achieved_rate", churn.achieved_rate},
        {"seconds", churn.seconds},
        {"changes", churn.changes},
        {"creates", churn.creates},
        {"moves", churn.moves},
        {"deletes", churn.deletes},
        {"api_errors", churn.api_errors},
        {"first_api_error", churn.first_api_error},
        {"unsettled", churn.unsettled},
        {"latency_ms", summary_json(churn.latency_ms)},
        {"api_ms", summary_json(churn.api_ms)},
        {"concerned_hosts", summary_json(churn.concerned_hosts)},
        {"messages_per_change",
         static_cast<double>((after_churn.deltas + after_churn.snapshots) -
                             (before_churn.deltas + before_churn.snapshots)) / changes},
        {"bytes_per_change", static_cast<double>(after_churn.bytes - before_churn.bytes) / changes},
        {"snapshots", after_churn.snapshots - before_churn.snapshots},
        {"nacks", after_churn.nacks},
        {"views", audit_json(churn_audit)},
        {"stalled",
         {{"hosts", std::min(options.stalled_hosts, options.shape.hosts)},
          {"changes_touching", churn.changes_touching_stalled},
          {"latency_ms_on_others", summary_json(churn.latency_with_stalled_ms)},
          {"catch_up_seconds", churn.stalled_catch_up_seconds},
          {"caught_up", churn.stalled_caught_up}}}}},
      {"controller",
       {{"idle", proc_json(idle)},
        {"after_build", proc_json(after_build)},
        {"after_churn", proc_json(after)},
        {"churn_cpu_percent", churn.seconds > 0 ? 100.0 * churn_cpu / churn.seconds : 0.0}}},
      {"store_bytes", file_size_or_zero(controller.db_path()) + file_size_or_zero(controller.db_path() + "-wal")},
  };
  return result;
}

bool result_is_correct(const json& result, std::string& why) {
  const auto& build = result.at("build");
  const auto& churn = result.at("churn");
  if (!build.at("converged").get<bool>()) {
    why = std::to_string(build.at("hosts_behind").get<size_t>()) + " hosts never reached their ideal view";
  } else if (build.at("views").at("hosts_exact") != build.at("views").at("hosts")) {
    why = "after the build, some hosts' views differ from the ideal";
  } else if (churn.at("api_errors").get<size_t>() != 0) {
    why = "the API refused churn changes: " + churn.at("first_api_error").get<std::string>();
  } else if (churn.at("unsettled").get<size_t>() != 0) {
    why = std::to_string(churn.at("unsettled").get<size_t>()) + " churn changes never reached every concerned host";
  } else if (!churn.at("stalled").at("caught_up").get<bool>()) {
    why = "stalled hosts did not get back to their ideal view after release";
  } else if (churn.at("views").at("hosts_exact") != churn.at("views").at("hosts")) {
    why = "after the churn, some hosts' views differ from the ideal";
  } else {
    return true;
  }
  return false;
}

}  // namespace overcast::bench

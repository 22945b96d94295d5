// overcast-bench-scale: one point of the control-plane scale bench (see
// bench/scale/README.md; bench/scale/run.py runs the sweep). Prints the result as
// JSON on stdout (or --out) and exits 1 if the control plane got something wrong
// (views not ideal, changes lost), 2 on bad flags, 3 if the run itself failed.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "bench/scale/main/scale_run.h"

int main(int argc, char** argv) {
  overcast::bench::ScaleOptions options;
  std::string out;
  std::string log_level = "info";
  CLI::App app{"overcast-bench-scale: N simulated hypervisors against a real overcast-controller"};
  app.add_option("--controller", options.controller_binary, "overcast-controller binary")->capture_default_str();
  app.add_option("--work-dir", options.work_dir, "keep the run's files here (default: a temporary directory)");
  app.add_option("--hosts", options.shape.hosts, "simulated hypervisors")->check(CLI::Range(1, 4000))->capture_default_str();
  app.add_option("--tenants", options.shape.tenants, "projects")->check(CLI::Range(1, 1000000))->capture_default_str();
  app.add_option("--networks", options.shape.networks, "virtual networks")->check(CLI::Range(1, 1000000))->capture_default_str();
  app.add_option("--ports", options.shape.ports, "ports")->check(CLI::Range(0, 10000000))->capture_default_str();
  app.add_option("--wide-fraction", options.shape.wide_fraction, "share of networks that span many hosts")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  app.add_option("--wide-span", options.shape.wide_span, "hosts a wide network spans (0: hosts/10)")->capture_default_str();
  app.add_option("--seed", options.shape.seed, "random seed of the plan and the churn")->capture_default_str();
  app.add_option("--bulk", options.bulk, "objects per bulk create")->check(CLI::Range(1, 100000))->capture_default_str();
  app.add_option("--churn-rate", options.churn_rate, "changes per second")->check(CLI::Range(0.1, 10000.0))->capture_default_str();
  app.add_option("--churn-seconds", options.churn_seconds, "length of the churn phase")->check(CLI::Range(0.0, 3600.0))->capture_default_str();
  app.add_option("--converge-timeout", options.converge_timeout_s, "seconds before the build is declared not converged")
      ->check(CLI::Range(1.0, 3600.0))->capture_default_str();
  app.add_option("--stalled-hosts", options.stalled_hosts,
                 "hosts 0..K-1 stop applying (their reader blocks) during the churn, then are released")
      ->capture_default_str();
  std::string sink = "light";
  app.add_option("--sink", sink, "agent: the agent's AgentViewSink per host (O(view) per delta); light: per-entry "
                                 "validation applied in place (O(delta))")
      ->check(CLI::IsMember({"agent", "light"}))
      ->capture_default_str();
  app.add_option("--out", out, "write the JSON here instead of stdout");
  app.add_option("--log-level", log_level, "info, warn, error")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.sink = sink == "agent" ? overcast::bench::SinkMode::kAgent : overcast::bench::SinkMode::kLight;
  // The JSON may go to stdout: the log goes to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  // One TCP connection per simulated host, on both sides (the controller inherits it).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }

  nlohmann::json result;
  try {
    result = overcast::bench::run_scale_point(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "overcast-bench-scale: %s\n", error.what());
    return 3;
  }
  const std::string text = result.dump(2);
  if (out.empty()) {
    std::cout << text << "\n";
  } else {
    std::ofstream file(out);
    file << text << "\n";
    if (!file) {
      std::fprintf(stderr, "overcast-bench-scale: cannot write %s\n", out.c_str());
      return 3;
    }
  }
  std::string why;
  if (!overcast::bench::result_is_correct(result, why)) {
    std::fprintf(stderr, "overcast-bench-scale: INCORRECT: %s\n", why.c_str());
    return 1;
  }
  return 0;
}

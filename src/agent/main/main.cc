// overcast-agent: the hypervisor agent. Starts the data plane, restores the last
// view (so forwarding resumes before the controller answers), syncs with the
// controller, and serves the control socket until SIGTERM/SIGINT. VM TAPs are
// persistent and stay when the agent stops.
#include <signal.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "agent/main/agent_options.h"
#include "agent/main/control_server.h"
#include "agent/main/periodic_task.h"
#include "agent/ports/tap_driver.h"
#include "agent/sync/southbound_client.h"
#include "agent/view/agent_view_sink.h"
#include "common/bridge_mapping.h"
#include "dataplane/ports/af_packet_port.h"
#include "dataplane/datapath.h"

namespace overcast::agent {
namespace {

// How often ports whose device failed to open are tried again.
constexpr std::chrono::seconds kPortRetryInterval{5};

nlohmann::json status_json(const AgentOptions& o, const SouthboundClient& client) {
  SouthboundStatus s = client.status();
  return {{"host", o.host},           {"underlay_ip", o.underlay_ip}, {"controller", s.controller},
          {"controllers", o.controller}, {"connected", s.connected}, {"epoch", s.epoch},             {"version", s.version},
          {"snapshots", s.snapshots}, {"deltas", s.deltas},           {"nacks", s.nacks},
          {"reconnects", s.reconnects}, {"last_error", s.last_error}};
}

nlohmann::json counters_json(const AgentOptions& o, const dataplane::Datapath& datapath) {
  nlohmann::json counters = datapath.counters_json();
  if (!counters.is_object()) counters = nlohmann::json{{"datapath", counters}};
  counters["host"] = o.host;
  return counters;
}

int run(const AgentOptions& o) {
  // Block the stop signals before any thread exists, so every thread inherits the
  // mask and only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a control client that hangs up must not kill the agent

  std::error_code ec;
  std::filesystem::create_directories(o.state_dir, ec);
  if (ec) {
    spdlog::error("cannot create state directory {}: {}", o.state_dir, ec.message());
    return 1;
  }

  dataplane::DatapathConfig dp_config;
  dp_config.underlay_ip = o.underlay_ip;
  dp_config.vxlan_port = o.vxlan_port;
  dp_config.workers = o.workers;
  dp_config.busy_poll_us = o.busy_poll_us;
  dp_config.conntrack_max = o.conntrack_max;
  dp_config.conntrack_zone_max = o.conntrack_zone_max;
  auto datapath = dataplane::make_datapath(dp_config);
  std::string error;
  if (!datapath->start(error)) {
    spdlog::error("data plane did not start: {}", error);
    return 1;
  }

  TapDriver driver(o.offloads);
  std::vector<BridgeMapping> mappings;
  for (const auto& text : o.bridge_mappings) {
    if (auto mapping = parse_bridge_mapping(text, error)) mappings.push_back(*mapping);  // checked by the options
  }
  ProviderUplinks uplinks(std::move(mappings), [](const std::string& interface, std::string& why) {
    return std::shared_ptr<dataplane::PortIo>(dataplane::AfPacketPort::open(interface, why));
  });
  AgentViewSink sink(
      driver, [&](std::shared_ptr<const dataplane::ForwardingTable> t) { datapath->publish(std::move(t)); },
      o.state_dir + "/view.pb", std::move(uplinks));
  sink.set_local_host(o.host);
  if (!sink.restore(error)) spdlog::warn("starting with an empty view: {}", error);

  SouthboundClientConfig sb_config;
  sb_config.controller = o.controller;
  sb_config.host = o.host;
  sb_config.underlay_ip = o.underlay_ip;
  sb_config.gateway = o.gateway;
  sb_config.gateway_priority = o.gateway_priority;
  sb_config.bridge_mappings = o.bridge_mappings;
  SouthboundClient client(sb_config, sink);
  client.start();

  ControlServer control(o.control_socket, {
                                              {"/counters", [&] { return counters_json(o, *datapath); }},
                                              {"/view", [&] { return sink.view_json(); }},
                                              {"/status", [&] { return status_json(o, client); }},
                                          });
  int exit_code = 0;
  if (!control.start(error)) {
    spdlog::error("control socket: {}", error);
    exit_code = 1;
  } else {
    PeriodicTask port_retry(kPortRetryInterval, [&] { sink.retry_down_ports(); });
    spdlog::info("overcast-agent {} up: underlay {}, controller {}, control socket {}", o.host, o.underlay_ip,
                 o.controller, o.control_socket);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    spdlog::info("signal {}: stopping (VM TAPs stay)", signal_number);
    port_retry.stop();
    control.stop();
  }
  client.stop();
  datapath->stop();
  return exit_code;
}

}  // namespace
}  // namespace overcast::agent

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = overcast::agent::parse_agent_options(argc, argv, exit_code);
  if (!options) return exit_code;
  spdlog::set_level(spdlog::level::from_str(options->log_level));
  return overcast::agent::run(*options);
}

#include "agent/view/local_ports.h"

#include <spdlog/spdlog.h>

#include <set>

namespace overcast::agent {

PortSpec port_spec_from_view(const ViewMap& view, const sb::LocalPortEntry& port) {
  PortSpec spec;
  spec.port_id = port.port_id();
  spec.device_name = port.tap_name();
  spec.mac = MacAddress::parse(port.mac()).value_or(MacAddress{});
  spec.mtu = port.mtu();
  if (spec.mtu == 0) {
    auto net = view.find("net/" + port.network_id());
    if (net != view.end() && net->second.has_network()) spec.mtu = net->second.network().mtu();
  }
  if (spec.mtu == 0) spec.mtu = kDefaultMtu;
  return spec;
}

void LocalPorts::reconcile(const ViewMap& view) {
  std::set<std::string> wanted;
  for (const auto& [key, entry] : view) {
    if (entry.has_local_port()) wanted.insert(entry.local_port().port_id());
  }
  for (auto it = states_.begin(); it != states_.end();) {
    if (wanted.count(it->first) != 0) {
      ++it;
      continue;
    }
    if (it->second.io) {
      std::string error;
      if (!driver_.destroy(it->second.io, error)) {
        spdlog::warn("port {}: cannot remove device {}: {}", it->first, it->second.spec.device_name, error);
      } else {
        spdlog::info("port {}: device {} removed", it->first, it->second.spec.device_name);
      }
    }
    slots_.release(it->first);
    reported_.erase(it->first);
    it = states_.erase(it);
  }
  for (const auto& [key, entry] : view) {
    if (!entry.has_local_port()) continue;
    const auto& port = entry.local_port();
    slots_.assign(port.port_id());
    LocalPortState& state = states_[port.port_id()];
    // A live device keeps the MAC/MTU it was created with: the VM owns that side now.
    state.spec = port_spec_from_view(view, port);
    if (!state.io) open_device(state);
  }
}

bool LocalPorts::retry_down() {
  bool any = false;
  for (auto& [port_id, state] : states_) {
    if (state.io && !driver_.is_alive(state.io)) {
      state.io.reset();
      state.error = "device " + state.spec.device_name + " vanished";
      spdlog::warn("port {}: {}", port_id, state.error);
      any = true;
    }
    if (!state.io && open_device(state)) any = true;
  }
  return any;
}

bool LocalPorts::open_device(LocalPortState& state) {
  std::string error;
  state.io = driver_.open(state.spec, error);
  if (state.io) {
    state.error.clear();
    return true;
  }
  if (error != state.error) spdlog::warn("port {}: device {} is down: {}", state.spec.port_id, state.spec.device_name, error);
  state.error = error.empty() ? "device did not open" : error;
  return false;
}

std::shared_ptr<dataplane::PortIo> LocalPorts::io(const std::string& port_id) const {
  auto it = states_.find(port_id);
  return it == states_.end() ? nullptr : it->second.io;
}

std::vector<std::pair<std::string, bool>> LocalPorts::take_status_changes() {
  std::vector<std::pair<std::string, bool>> changes;
  for (const auto& [port_id, state] : states_) {
    auto it = reported_.find(port_id);
    if (it != reported_.end() && it->second == state.up()) continue;
    reported_[port_id] = state.up();
    changes.emplace_back(port_id, state.up());
  }
  return changes;
}

}  // namespace overcast::agent

#include "agent/ports/tap_driver.h"

#include <spdlog/spdlog.h>

#include "dataplane/ports/tap_port.h"

namespace overcast::agent {

using dataplane::TapPort;

std::shared_ptr<dataplane::PortIo> TapDriver::open(const PortSpec& spec, std::string& error) {
  if (link_exists_here(spec.device_name)) {
    auto tap = TapPort::open(spec.device_name, TapPort::OpenMode::kAttachOrCreate, error, offloads_);
    if (tap) spdlog::info("port {}: attached to {} in the agent's namespace", spec.port_id, spec.device_name);
    return tap;
  }
  bool found = false;
  auto tap = attach_in_named_netns(spec, found, error);
  if (found) return tap;
  return create(spec, error);
}

std::shared_ptr<dataplane::PortIo> TapDriver::attach_in_named_netns(const PortSpec& spec, bool& found,
                                                                    std::string& error) {
  found = false;
  // Two rounds: the remembered namespace first; if the device moved, a fresh scan.
  for (int round = 0; round < 2; ++round) {
    auto it = netns_of_.find(spec.device_name);
    if (it == netns_of_.end() || round == 1) {
      scan_named_netns();
      it = netns_of_.find(spec.device_name);
      if (it == netns_of_.end()) return nullptr;
    }
    bool here = false;
    auto tap = attach_in(it->second, spec, here, error);
    if (here) {
      found = true;
      return tap;
    }
  }
  return nullptr;
}

std::shared_ptr<dataplane::PortIo> TapDriver::attach_in(const std::string& netns, const PortSpec& spec, bool& here,
                                                        std::string& error) {
  std::unique_ptr<TapPort> tap;
  std::string open_error;
  std::string netns_error;
  here = false;
  // Both the existence check and the open must happen inside the namespace: the
  // tun file remembers the namespace it was opened in and TUNSETIFF looks there.
  bool entered = run_in_netns(
      netns,
      [&] {
        here = link_exists_here(spec.device_name);
        if (here) tap = TapPort::open(spec.device_name, TapPort::OpenMode::kAttachOrCreate, open_error, offloads_);
      },
      netns_error);
  if (!entered) {
    spdlog::debug("port {}: cannot look into {}: {}", spec.port_id, netns, netns_error);
    return nullptr;
  }
  if (!here) return nullptr;
  if (!tap) {
    error = "attach " + spec.device_name + " in " + netns + ": " + open_error;
    return nullptr;
  }
  spdlog::info("port {}: attached to {} in namespace {}", spec.port_id, spec.device_name, netns);
  return tap;
}

void TapDriver::scan_named_netns() {
  netns_of_.clear();
  for (const std::string& netns : list_named_netns(netns_dir_)) {
    std::vector<std::string> names;
    std::string error;
    bool entered = run_in_netns(netns, [&] { names = link_names_here(); }, error);
    if (!entered) {
      spdlog::debug("cannot look into {}: {}", netns, error);
      continue;
    }
    // The first namespace (in sorted order) wins if two hold the same name.
    for (auto& name : names) netns_of_.emplace(std::move(name), netns);
  }
}

std::shared_ptr<dataplane::PortIo> TapDriver::create(const PortSpec& spec, std::string& error) {
  auto tap = TapPort::open(spec.device_name, TapPort::OpenMode::kCreateOnly, error, offloads_);
  if (!tap) return nullptr;
  // Persist last: if anything before fails (or the agent dies), closing the fd
  // takes the half-made device away instead of leaving it behind.
  std::string step_error;
  if (!tap->set_mac(spec.mac, step_error) || !tap->set_mtu(spec.mtu, step_error) ||
      !tap->set_persistent(true, step_error)) {
    error = "create " + spec.device_name + ": " + step_error;
    std::string ignored;
    tap->set_persistent(false, ignored);
    return nullptr;
  }
  spdlog::info("port {}: created {} (mac {}, mtu {})", spec.port_id, spec.device_name, spec.mac.to_string(),
               spec.mtu);
  return tap;
}

bool TapDriver::destroy(const std::shared_ptr<dataplane::PortIo>& io, std::string& error) {
  auto* tap = dynamic_cast<TapPort*>(io.get());
  if (tap == nullptr) {
    error = "not a TAP port";
    return false;
  }
  return tap->set_persistent(false, error);
}

bool TapDriver::is_alive(const std::shared_ptr<dataplane::PortIo>& io) {
  auto* tap = dynamic_cast<TapPort*>(io.get());
  return tap != nullptr && tap->attached();
}

}  // namespace overcast::agent

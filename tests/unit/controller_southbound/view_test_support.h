// Helpers for view compiler tests: building facts and reading views as maps.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/topology/view_compiler.h"

namespace overcast::controller::testing {

inline NetworkFacts net(const std::string& id, uint32_t vni, uint32_t mtu = 1450) {
  return NetworkFacts{id, vni, mtu, "vxlan"};
}

inline PortFacts port(const std::string& id, const std::string& network, const std::string& host,
                      const std::string& mac = "fa:16:3e:00:00:01",
                      std::vector<std::string> ips = {"10.1.0.5"}) {
  return PortFacts{id, network, host, mac, std::move(ips), true};
}

inline HostFacts host(const std::string& name, const std::string& ip) { return HostFacts{name, ip}; }

using View = std::map<std::string, sb::ViewEntry>;

inline View view_of(const sb::Snapshot& snapshot) {
  View view;
  for (const auto& entry : snapshot.entries()) view[entry.key()] = entry;
  return view;
}

inline std::vector<std::string> keys_of(const View& view) {
  std::vector<std::string> keys;
  for (const auto& [key, entry] : view) keys.push_back(key);
  return keys;
}

inline void apply_delta(View& view, const sb::Delta& delta) {
  for (const auto& key : delta.removals()) view.erase(key);
  for (const auto& entry : delta.upserts()) view[entry.key()] = entry;
}

inline std::optional<sb::Delta> delta_for(const std::vector<HostDelta>& deltas, const std::string& host) {
  for (const auto& d : deltas) {
    if (d.host == host) return d.delta;
  }
  return std::nullopt;
}

inline std::vector<std::string> upsert_keys(const sb::Delta& delta) {
  std::vector<std::string> keys;
  for (const auto& entry : delta.upserts()) keys.push_back(entry.key());
  return keys;
}

inline std::vector<std::string> removal_keys(const sb::Delta& delta) {
  return {delta.removals().begin(), delta.removals().end()};
}

inline std::vector<std::string> flood_of(const View& view, const std::string& network_id) {
  auto it = view.find("net/" + network_id);
  if (it == view.end()) return {};
  const auto& vteps = it->second.network().flood_vteps();
  return {vteps.begin(), vteps.end()};
}

}  // namespace overcast::controller::testing

#include "agent/view/provider_uplinks.h"

#include <spdlog/spdlog.h>

#include <set>
#include <utility>

namespace overcast::agent {

namespace {
constexpr uint32_t kMaxVlanId = 4094;  // 0 and 4095 are reserved (802.1Q)
}  // namespace

bool is_provider_network(const sb::NetworkEntry& network) {
  return network.network_type() == "flat" || network.network_type() == "vlan";
}

std::optional<std::string> validate_provider_fields(const std::string& key, const sb::NetworkEntry& n) {
  const std::string& type = n.network_type();
  if (type.empty() || type == "vxlan") {
    if (!n.physical_network().empty() || n.segmentation_id() != 0) {
      return key + ": an overlay network has no physical_network or segmentation_id";
    }
    return std::nullopt;
  }
  if (!is_provider_network(n)) return key + ": network_type '" + type + "' is not vxlan, flat or vlan";
  if (n.physical_network().empty()) return key + ": a " + type + " network needs a physical_network";
  if (n.flood_vteps_size() != 0) return key + ": a " + type + " network has no flood_vteps";
  if (type == "flat" && n.segmentation_id() != 0) return key + ": a flat network has no segmentation_id";
  if (type == "vlan" && (n.segmentation_id() < 1 || n.segmentation_id() > kMaxVlanId)) {
    return key + ": segmentation_id " + std::to_string(n.segmentation_id()) + " is not a VLAN id (1..4094)";
  }
  return std::nullopt;
}

ProviderUplinks::ProviderUplinks(std::vector<BridgeMapping> mappings, UplinkOpener open) : open_(std::move(open)) {
  for (auto& mapping : mappings) interfaces_[mapping.physical_network] = std::move(mapping.interface);
}

std::optional<std::string> ProviderUplinks::check(const ViewMap& view) const {
  std::map<std::pair<std::string, uint32_t>, std::string> segment_owner;  // (physnet, VLAN or 0) -> key
  for (const auto& [key, entry] : view) {
    if (!entry.has_network() || !is_provider_network(entry.network())) continue;
    const auto& n = entry.network();
    if (interfaces_.count(n.physical_network()) == 0) {
      return key + ": physical_network '" + n.physical_network() +
             "' has no bridge mapping on this host (--bridge-mappings " + n.physical_network() + ":IFACE)";
    }
    auto [it, fresh] = segment_owner.emplace(std::make_pair(n.physical_network(), n.segmentation_id()), key);
    if (!fresh) {
      return key + ": " + (n.segmentation_id() == 0 ? std::string("untagged")
                                                     : "VLAN " + std::to_string(n.segmentation_id())) +
             " on '" + n.physical_network() + "' is also " + it->second;
    }
  }
  return std::nullopt;
}

void ProviderUplinks::open(const std::string& physnet, UplinkState& state) {
  std::string error;
  state.io = open_ ? open_(state.interface, error) : nullptr;
  if (!open_) error = "no uplink opener";
  if (state.io) {
    state.error.clear();
    spdlog::info("provider uplink for {} open on {}", physnet, state.interface);
  } else if (state.error != error) {
    state.error = error;
    spdlog::warn("provider uplink for {} on {} cannot open (retrying): {}", physnet, state.interface, error);
  }
}

void ProviderUplinks::reconcile(const ViewMap& view, PortSlots& slots) {
  std::set<std::string> needed;
  for (const auto& [key, entry] : view) {
    if (entry.has_network() && is_provider_network(entry.network())) needed.insert(entry.network().physical_network());
  }
  for (auto it = states_.begin(); it != states_.end();) {
    if (needed.count(it->first) != 0) {
      ++it;
      continue;
    }
    spdlog::info("provider uplink for {} on {} closed: no network needs it", it->first, it->second.interface);
    slots.release(slot_id(it->first));
    it = states_.erase(it);  // the published table may still hold the port: it closes with it
  }
  for (const auto& physnet : needed) {
    auto mapping = interfaces_.find(physnet);
    if (mapping == interfaces_.end() || states_.count(physnet) != 0) continue;  // check() refused the first
    UplinkState& state = states_[physnet];
    state.interface = mapping->second;
    state.slot = slots.assign(slot_id(physnet));
    open(physnet, state);
  }
}

bool ProviderUplinks::retry() {
  bool opened = false;
  for (auto& [physnet, state] : states_) {
    if (state.io) continue;
    open(physnet, state);
    opened |= state.io != nullptr;
  }
  return opened;
}

void ProviderUplinks::add_to_table(const ViewMap& view, dataplane::ForwardingTable& table) const {
  for (const auto& [key, entry] : view) {
    if (!entry.has_network() || !is_provider_network(entry.network())) continue;
    const auto& n = entry.network();
    auto seg = table.segments.find(n.vni());
    if (seg == table.segments.end()) continue;
    dataplane::Segment& segment = seg->second;
    // Never VXLAN: no flood list, no tunnel peers, and remote ports' MACs are reached
    // through the physical segment like any unknown one.
    segment.flood_vteps.clear();
    segment.vteps.clear();
    std::erase_if(segment.macs, [](const auto& mac) {
      return mac.second.kind != dataplane::L2Destination::Kind::kLocalPort;
    });
    auto state = states_.find(n.physical_network());
    if (state == states_.end() || !state->second.io) continue;  // local ports still reach each other
    const dataplane::PortSlot slot = state->second.slot;
    if (table.ports.size() <= slot) table.ports.resize(slot + 1);
    dataplane::PortEntry& uplink = table.ports[slot];
    uplink.port_id = slot_id(n.physical_network());
    uplink.uplink = true;
    uplink.io = state->second.io;
    uplink.uplink_vnis[static_cast<uint16_t>(n.segmentation_id())] = n.vni();
    segment.uplink = slot;
    segment.vlan = static_cast<uint16_t>(n.segmentation_id());
  }
}

}  // namespace overcast::agent

// The uplinks of this host's provider networks: for each physical network the agent
// maps (--bridge-mappings physnet:IFACE), a port on IFACE (AF_PACKET in the agent),
// opened when the view first holds a flat/vlan network of that physnet and closed when
// none is left. An uplink takes a port slot beside the VM ports, so the workers poll
// it and local delivery writes to it like any port.
//
// A view with a provider network whose physnet this host does not map is refused as a
// whole (check(): the agent NACKs it naming the network and physnet). The controller
// never sends one to a host that registered without the mapping (the port's binding
// fails there), so such a view means the controller's facts are stale: better said
// aloud than half applied. Two networks on one physnet with the same VLAN (or two flat
// ones) are refused too: their frames could not be told apart.
//
// Not thread-safe: the owner (AgentViewSink) serializes calls.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/view/port_slots.h"
#include "agent/view/view_validator.h"
#include "common/bridge_mapping.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::agent {

// Opens the port of a host interface; nullptr with `error` set on failure.
using UplinkOpener =
    std::function<std::shared_ptr<dataplane::PortIo>(const std::string& interface, std::string& error)>;

struct UplinkState {
  std::string interface;
  dataplane::PortSlot slot = dataplane::kNoPort;
  std::shared_ptr<dataplane::PortIo> io;  // nullptr: not open (error says why)
  std::string error;
};

class ProviderUplinks {
 public:
  ProviderUplinks() = default;  // maps nothing
  ProviderUplinks(std::vector<BridgeMapping> mappings, UplinkOpener open);

  // nullopt, or why the view cannot be applied on this host.
  std::optional<std::string> check(const ViewMap& view) const;
  // Opens the uplinks the view's provider networks need, closes the others; slots
  // come from (and go back to) `slots`, shared with the VM ports.
  void reconcile(const ViewMap& view, PortSlots& slots);
  // Tries again to open the uplinks that failed (an interface that was down). True if any opened.
  bool retry();
  // Adds the uplink ports and makes each provider network's segment bridged onto its
  // uplink: no flood VTEPs, no VXLAN peers, only local MACs in its MAC table.
  void add_to_table(const ViewMap& view, dataplane::ForwardingTable& table) const;

  // By physnet: the uplinks in use.
  const std::map<std::string, UplinkState>& states() const { return states_; }

 private:
  static std::string slot_id(const std::string& physnet) { return "uplink:" + physnet; }
  void open(const std::string& physnet, UplinkState& state);

  std::map<std::string, std::string> interfaces_;  // physnet -> interface
  UplinkOpener open_;
  std::map<std::string, UplinkState> states_;
};

// flat or vlan: bridged onto a physical network, not carried by VXLAN.
bool is_provider_network(const sb::NetworkEntry& network);

// The provider fields of one network entry on their own: a known type; flat with a
// physnet and no VLAN; vlan with a physnet and a VLAN id in 1..4094.
std::optional<std::string> validate_provider_fields(const std::string& key, const sb::NetworkEntry& network);

}  // namespace overcast::agent

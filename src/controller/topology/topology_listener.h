// The seam between the logical model (northbound) and the view compiler (southbound).
//
// The model tells a TopologyListener what changed, after the change is durable in
// the store, as one ChangeSet per API transaction (or one for the whole model at
// start-up). The listener (the compiler) works out which hosts it concerns. It never
// reads the model back: these facts are all it needs to compute per-host views.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace overcast::controller {

struct NetworkFacts {
  std::string id;
  uint32_t vni = 0;
  uint32_t mtu = 0;
  std::string encapsulation = "vxlan";
};

struct PortFacts {
  std::string id;
  std::string network_id;
  std::string host;              // binding:host_id, "" when unbound
  std::string mac;               // "fa:16:3e:..."
  std::vector<std::string> ips;  // fixed IPs, v4 and v6
  bool admin_up = true;
};

struct HostFacts {
  std::string host;
  std::string underlay_ip;
};

// Upserts replace whatever the listener held under the same id.
struct ChangeSet {
  std::vector<NetworkFacts> networks;
  std::vector<std::string> removed_networks;
  std::vector<PortFacts> ports;
  std::vector<std::string> removed_ports;
  std::vector<HostFacts> hosts;
  std::vector<std::string> removed_hosts;

  bool empty() const {
    return networks.empty() && removed_networks.empty() && ports.empty() &&
           removed_ports.empty() && hosts.empty() && removed_hosts.empty();
  }
};

class TopologyListener {
 public:
  virtual ~TopologyListener() = default;
  // Called with the model's lock released, in commit order, from any thread.
  virtual void apply(const ChangeSet& changes) = 0;
};

}  // namespace overcast::controller

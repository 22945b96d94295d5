// TapDriver: VM ports as persistent Linux TAP devices.
//
// open(): the TAP's netdev is moved into the VM's namespace after creation, but
// TUNSETIFF looks a name up in the namespace of whoever opened /dev/net/tun and
// silently creates a new device when it finds none. So after an agent restart a
// plain TUNSETIFF would make a second, useless TAP. The order is therefore:
//   1. the name exists in the agent's namespace      -> attach there;
//   2. it exists in a named namespace (/run/netns/*) -> open /dev/net/tun from a
//      thread setns'ed into that namespace and attach there;
//   3. nowhere                                        -> create it in the agent's
//      namespace (persistent, with the port's MAC and the network's MTU).
// destroy(): TUNSETPERSIST 0; the device goes when the last fd closes, i.e. when
// the data plane drops its last table holding the port.
//
// Step 2 costs a thread per namespace, so the driver remembers which namespace
// held which device name from one full scan and rescans only on a miss: an agent
// restarting with N VMs in N namespaces scans once, not N times.
// Not thread-safe: the caller serializes open/destroy.
#pragma once

#include <map>
#include <string>

#include "agent/ports/netns.h"
#include "agent/ports/port_driver.h"

namespace overcast::agent {

class TapDriver final : public PortDriver {
 public:
  // `offloads`: TAPs opened with IFF_VNET_HDR and TSO (TapPort). `netns_dir`: where
  // named namespaces are searched (tests point it elsewhere).
  explicit TapDriver(bool offloads = true, std::string netns_dir = kNamedNetnsDir)
      : offloads_(offloads), netns_dir_(std::move(netns_dir)) {}

  std::shared_ptr<dataplane::PortIo> open(const PortSpec& spec, std::string& error) override;
  bool destroy(const std::shared_ptr<dataplane::PortIo>& io, std::string& error) override;
  bool is_alive(const std::shared_ptr<dataplane::PortIo>& io) override;

 private:
  std::shared_ptr<dataplane::PortIo> create(const PortSpec& spec, std::string& error);
  std::shared_ptr<dataplane::PortIo> attach_in_named_netns(const PortSpec& spec, bool& found,
                                                           std::string& error);
  // Records, for every named namespace, the names of the links it holds.
  void scan_named_netns();
  // Attaches to `spec`'s device inside `netns`; `here` says whether it was there.
  std::shared_ptr<dataplane::PortIo> attach_in(const std::string& netns, const PortSpec& spec, bool& here,
                                               std::string& error);

  bool offloads_;
  std::string netns_dir_;
  std::map<std::string, std::string> netns_of_;  // device name -> namespace path, as last scanned
};

}  // namespace overcast::agent

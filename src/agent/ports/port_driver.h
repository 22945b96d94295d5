// How the agent gets hold of a VM port's device. TAP is the first driver;
// vhost-user and AF_XDP ports implement the same interface and slot in beside it
// (the agent picks one driver; nothing else in the agent knows which).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/mac_address.h"
#include "dataplane/ports/port_io.h"

namespace overcast::agent {

// What the view says about a local port's device.
struct PortSpec {
  std::string port_id;
  std::string device_name;  // e.g. the TAP name: "tap" + first 11 characters of port_id
  MacAddress mac;           // the VM's MAC, given to the netdev at creation
  uint32_t mtu = 1450;      // the network's MTU, given to the netdev at creation
};

class PortDriver {
 public:
  virtual ~PortDriver() = default;
  // Attaches to the port's existing device, or creates it. nullptr with `error`
  // on failure (the agent reports the port down and retries later).
  virtual std::shared_ptr<dataplane::PortIo> open(const PortSpec& spec, std::string& error) = 0;
  // The port was removed from the view: make its device go away once the data
  // plane lets go of `io` (a port this driver opened). False with `error` if the
  // device could not be told to go.
  virtual bool destroy(const std::shared_ptr<dataplane::PortIo>& io, std::string& error) = 0;
  // False once the device behind `io` is gone (deleted behind the agent's back);
  // the agent then reports the port down and opens it again.
  virtual bool is_alive(const std::shared_ptr<dataplane::PortIo>& io) { return io != nullptr; }
};

}  // namespace overcast::agent

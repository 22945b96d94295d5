// Builders for view entries and a fake port driver, shared by the agent's view tests.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/ports/port_driver.h"
#include "agent/sync/view_sink.h"
#include "agent/view/view_validator.h"

namespace overcast::agent::viewtest {

inline sb::ViewEntry network(const std::string& id, uint32_t vni, std::vector<std::string> flood = {},
                             uint32_t mtu = 1450) {
  sb::ViewEntry e;
  e.set_key("net/" + id);
  auto* n = e.mutable_network();
  n->set_network_id(id);
  n->set_vni(vni);
  n->set_mtu(mtu);
  n->set_encapsulation("vxlan");
  for (auto& v : flood) n->add_flood_vteps(v);
  return e;
}

inline sb::ViewEntry local_port(const std::string& id, const std::string& net, uint32_t vni, const std::string& mac,
                                std::vector<std::string> ips = {}) {
  sb::ViewEntry e;
  e.set_key("lport/" + id);
  auto* p = e.mutable_local_port();
  p->set_port_id(id);
  p->set_network_id(net);
  p->set_vni(vni);
  p->set_mac(mac);
  for (auto& ip : ips) p->add_ips(ip);
  p->set_tap_name(tap_name_for(id));
  p->set_admin_up(true);
  return e;
}

inline sb::ViewEntry remote_port(const std::string& id, const std::string& net, uint32_t vni, const std::string& mac,
                                 const std::string& vtep, std::vector<std::string> ips = {}) {
  sb::ViewEntry e;
  e.set_key("rport/" + id);
  auto* p = e.mutable_remote_port();
  p->set_port_id(id);
  p->set_network_id(net);
  p->set_vni(vni);
  p->set_mac(mac);
  for (auto& ip : ips) p->add_ips(ip);
  p->set_vtep_ip(vtep);
  return e;
}

inline sb::ViewEntry subnet(const std::string& id, const std::string& net, const std::string& cidr,
                            const std::string& gateway = "", uint32_t ip_version = 4) {
  sb::ViewEntry e;
  e.set_key("subnet/" + id);
  auto* s = e.mutable_subnet();
  s->set_subnet_id(id);
  s->set_network_id(net);
  s->set_ip_version(ip_version);
  s->set_cidr(cidr);
  s->set_gateway_ip(gateway);
  s->set_enable_dhcp(true);
  return e;
}

// A PortIo that moves no frames: only its identity matters to the view tests.
class NullPortIo final : public dataplane::PortIo {
 public:
  explicit NullPortIo(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  int poll_fd() const override { return -1; }
  size_t rx_burst(dataplane::PacketPool&, dataplane::Batch&) override { return 0; }
  void tx_burst(dataplane::PacketPool& pool, dataplane::Batch& batch) override { pool.free_batch(batch); }

 private:
  std::string name_;
};

// Records opens/destroys; device names in `failing` fail to open.
class FakePortDriver final : public PortDriver {
 public:
  std::shared_ptr<dataplane::PortIo> open(const PortSpec& spec, std::string& error) override {
    opened.push_back(spec.device_name);
    last_spec[spec.port_id] = spec;
    if (failing.count(spec.device_name) != 0) {
      error = "no such device (fake)";
      return nullptr;
    }
    return std::make_shared<NullPortIo>(spec.device_name);
  }
  bool destroy(const std::shared_ptr<dataplane::PortIo>& io, std::string&) override {
    destroyed.push_back(io->name());
    return true;
  }

  bool is_alive(const std::shared_ptr<dataplane::PortIo>& io) override { return vanished.count(io->name()) == 0; }

  std::set<std::string> failing;
  std::set<std::string> vanished;
  std::vector<std::string> opened;
  std::vector<std::string> destroyed;
  std::map<std::string, PortSpec> last_spec;
};

}  // namespace overcast::agent::viewtest

#include "cli/lab/lab_external.h"

#include <string>

#include "cli/lab/kernel_ops.h"

namespace overcast::cli::lab {
namespace {

// A port of the external bridge: veth `fabric_end` in the fabric, `inner_end` in `ns`.
void attach_to_segment(const LabNames& names, const std::string& fabric_end, const std::string& ns,
                       const std::string& inner_end) {
  const std::string fabric = names.fabric_ns();
  ensure_veth(fabric, fabric_end, ns, inner_end);
  set_master(fabric, fabric_end, names.external_bridge());
  set_link_mtu(fabric, fabric_end, kUnderlayMtu);
  set_link_mtu(ns, inner_end, kUnderlayMtu);
  set_link_up(fabric, fabric_end);
  set_link_up(ns, inner_end);
}

}  // namespace

void build_external_segment(const LabNames& names) {
  // No address on the bridge: the fabric router must not route between the underlay and
  // the public network, which only the gateway hosts' routers may join.
  ensure_bridge(names.fabric_ns(), names.external_bridge());
}

void build_host_external_uplink(const LabNames& names, int index) {
  attach_to_segment(names, names.external_port(index), names.host_ns(index), names.external_uplink());
}

void build_external_host(const LabNames& names) {
  const std::string ns = names.external_host_ns();
  ensure_namespace(ns);
  disable_ipv6(ns);
  attach_to_segment(names, names.external_host_port(), ns, names.external_uplink());
  ensure_address(ns, names.external_uplink(),
                 std::string(kExternalHostIp) + "/" + std::to_string(kExternalPrefixLength));
}

}  // namespace overcast::cli::lab

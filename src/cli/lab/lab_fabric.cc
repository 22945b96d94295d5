#include "cli/lab/lab_fabric.h"

#include "cli/lab/kernel_ops.h"

namespace overcast::cli::lab {
namespace {

std::string with_length(const Ipv4Address& ip, int length) {
  return ip.to_string() + "/" + std::to_string(length);
}

bool overlaps(const IpPrefix& a, const IpPrefix& b) {
  return a.contains(b.address) || b.contains(a.address);
}

}  // namespace

std::optional<int> choose_mgmt_octet(const std::vector<IpPrefix>& taken) {
  for (int octet = 1; octet <= 254; ++octet) {
    const auto candidate = IpPrefix::parse(mgmt_subnet(octet));
    bool free = true;
    for (const auto& prefix : taken) {
      if (prefix.address.is_v4() && overlaps(*candidate, prefix)) {
        free = false;
        break;
      }
    }
    if (free) return octet;
  }
  return std::nullopt;
}

void build_mgmt_bridge(const LabNames& names, int octet) {
  const std::string bridge = names.mgmt_bridge();
  const bool fresh = !link_exists("", bridge);
  ensure_bridge("", bridge);
  if (fresh) set_sysctl("", "net.ipv6.conf." + bridge + ".disable_ipv6", "1");
  ensure_address("", bridge, with_length(mgmt_bridge_ip(octet), 24));
}

void build_fabric(const LabNames& names) {
  const std::string ns = names.fabric_ns();
  ensure_namespace(ns);
  disable_ipv6(ns);
  set_sysctl(ns, "net.ipv4.ip_forward", "1");
  for (int leaf = 1; leaf <= kLeafCount; ++leaf) {
    const std::string bridge = names.leaf_bridge(leaf);
    ensure_bridge(ns, bridge);
    ensure_address(ns, bridge, with_length(leaf_router_ip(leaf), kUnderlayPrefixLength));
  }
}

void build_host(const LabNames& names, int index, int octet) {
  const std::string ns = names.host_ns(index);
  const std::string fabric = names.fabric_ns();
  ensure_namespace(ns);
  disable_ipv6(ns);

  // Underlay: hvI's uplink is a port of its leaf's bridge in the fabric.
  ensure_veth(fabric, names.fabric_port(index), ns, names.host_uplink());
  set_master(fabric, names.fabric_port(index), names.leaf_bridge(leaf_of_host(index)));
  set_link_mtu(fabric, names.fabric_port(index), kUnderlayMtu);
  set_link_mtu(ns, names.host_uplink(), kUnderlayMtu);
  set_link_up(fabric, names.fabric_port(index));
  set_link_up(ns, names.host_uplink());
  ensure_address(ns, names.host_uplink(),
                 with_length(host_underlay_ip(index), kUnderlayPrefixLength));
  ensure_default_route(ns, leaf_router_ip(leaf_of_host(index)).to_string());

  // Management: only the agent's southbound session to the controller uses it.
  const bool fresh_mgmt_port = !link_exists("", names.mgmt_port(index));
  ensure_veth("", names.mgmt_port(index), ns, names.host_mgmt());
  if (fresh_mgmt_port) {
    set_sysctl("", "net.ipv6.conf." + names.mgmt_port(index) + ".disable_ipv6", "1");
  }
  set_master("", names.mgmt_port(index), names.mgmt_bridge());
  set_link_up("", names.mgmt_port(index));
  set_link_up(ns, names.host_mgmt());
  ensure_address(ns, names.host_mgmt(), with_length(host_mgmt_ip(octet, index), 24));
}

}  // namespace overcast::cli::lab

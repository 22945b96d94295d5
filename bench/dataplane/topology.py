"""The one shape every system is measured in, and the pieces its builders share.

    vm1 ns ── [switch in hv1 ns] ══ veth underlay, 1500 MTU ══ [switch in hv2 ns] ── vm2 ns
    198.19.0.1/24 (MTU 1450)   198.18.0.1/24          198.18.0.2/24   198.19.0.2/24 (MTU 1450)

Addresses come from 198.18.0.0/15, the range RFC 2544 reserves for benchmarking, so nothing
here overlaps the 10.254.0.0/16 management bridges or 172.16.x underlays of the project's labs
(and it all lives in namespaces anyway)."""

from dataclasses import dataclass, field

from sysutil import in_ns, run

UNDERLAY_MTU = 1500
INNER_MTU = UNDERLAY_MTU - 50  # VXLAN over IPv4: outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8
VNI = 100
VXLAN_PORT = 4789
HV_IPS = ("198.18.0.1", "198.18.0.2")
VM_IPS = ("198.19.0.1", "198.19.0.2")
VM_MACS = ("02:be:00:00:00:01", "02:be:00:00:00:02")
PREFIX_LEN = 24


@dataclass
class Endpoints:
    """What a built system hands the measurements: two VMs and what to count CPU from."""

    vm_ns: tuple  # (client VM namespace, server VM namespace)
    vm_ips: tuple
    switch_pids: list = field(default_factory=list)  # empty: the switch is the kernel


class Names:
    """Names of one system's objects; every namespace and link carries the run prefix."""

    def __init__(self, prefix, system):
        self.prefix = prefix
        self.system = system

    def ns(self, role):
        return f"{self.prefix}-{self.system}-{role}"

    def link(self, role):
        name = f"{self.prefix}{role}"
        if len(name) > 15:
            raise ValueError(f"link name {name} longer than IFNAMSIZ-1")
        return name


def make_hypervisors(reg, names):
    """hv1 and hv2 namespaces joined by one veth underlay; returns (hv1, hv2, (u1, u2))."""
    hv = (reg.add_namespace(names.ns("hv1")), reg.add_namespace(names.ns("hv2")))
    up = (names.link("u1"), names.link("u2"))
    run(["ip", "-n", hv[0], "link", "add", up[0], "mtu", str(UNDERLAY_MTU), "type", "veth",
         "peer", "name", up[1], "netns", hv[1]])
    for i in (0, 1):
        run(["ip", "-n", hv[i], "link", "set", up[i], "mtu", str(UNDERLAY_MTU), "up"])
    return hv[0], hv[1], up


def add_underlay_ip(ns, dev, index):
    run(["ip", "-n", ns, "address", "add", f"{HV_IPS[index]}/{PREFIX_LEN}", "dev", dev])
    run(["ip", "-n", ns, "link", "set", dev, "up"])


def make_vms(reg, names):
    return reg.add_namespace(names.ns("vm1")), reg.add_namespace(names.ns("vm2"))


def veth_into_vm(hv_ns, hv_link, vm_ns, vm_link, index, tx_offload=True):
    """A veth from a hypervisor namespace into a VM namespace, the VM end addressed."""
    run(["ip", "-n", hv_ns, "link", "add", hv_link, "mtu", str(INNER_MTU), "type", "veth",
         "peer", "name", vm_link, "netns", vm_ns])
    run(["ip", "-n", hv_ns, "link", "set", hv_link, "up"])
    configure_vm_link(vm_ns, vm_link, index, VM_MACS[index])
    if not tx_offload:
        # A raw-socket switch on hv_link would otherwise see partial checksums (KERNEL-FACTS).
        run(in_ns(vm_ns, ["ethtool", "-K", vm_link, "tx", "off"]))


def configure_vm_link(vm_ns, dev, index, mac):
    run(["ip", "-n", vm_ns, "link", "set", dev, "address", mac, "mtu", str(INNER_MTU)])
    run(["ip", "-n", vm_ns, "address", "add", f"{VM_IPS[index]}/{PREFIX_LEN}", "dev", dev])
    run(["ip", "-n", vm_ns, "link", "set", dev, "up"])


def static_neighbour(vm_ns, dev, index_of_peer):
    """A permanent ARP entry, so no measurement waits on (or counts) address resolution."""
    run(["ip", "-n", vm_ns, "neigh", "replace", VM_IPS[index_of_peer], "lladdr",
         VM_MACS[index_of_peer], "dev", dev, "nud", "permanent"])

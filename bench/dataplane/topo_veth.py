"""The ceiling: the two VM namespaces joined by one plain veth pair, no switch, no tunnel."""

from topology import Endpoints, INNER_MTU, VM_IPS, configure_vm_link, make_vms, static_neighbour, VM_MACS
from sysutil import run

NAME = "veth"
TITLE = "veth"


def build(reg, names, workdir):
    del workdir
    vm1, vm2 = make_vms(reg, names)
    dev = names.link("vm")
    # Same inner MTU as the overlays, so every system carries the same frames.
    run(["ip", "-n", vm1, "link", "add", dev, "mtu", str(INNER_MTU), "type", "veth",
         "peer", "name", dev, "netns", vm2])
    configure_vm_link(vm1, dev, 0, VM_MACS[0])
    configure_vm_link(vm2, dev, 1, VM_MACS[1])
    static_neighbour(vm1, dev, 1)
    static_neighbour(vm2, dev, 0)
    return Endpoints(vm_ns=(vm1, vm2), vm_ips=VM_IPS)

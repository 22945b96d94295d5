"""Linux's own overlay: in each hypervisor a vxlan device and a veth to the VM, both in a
bridge; the remote VM's MAC is a static FDB entry pointing at the other VTEP."""

from topology import (Endpoints, HV_IPS, INNER_MTU, VM_IPS, VM_MACS, VNI, VXLAN_PORT,
                      add_underlay_ip, make_hypervisors, make_vms, static_neighbour, veth_into_vm)
from sysutil import run

NAME = "kernel"
TITLE = "kernel VXLAN"


def build(reg, names, workdir):
    del workdir
    hvs = make_hypervisors(reg, names)
    vms = make_vms(reg, names)
    vx, br, port, vm_dev = names.link("vx"), names.link("br"), names.link("vp"), names.link("vm")
    for i in (0, 1):
        hv, peer = hvs[i], 1 - i
        add_underlay_ip(hv, hvs[2][i], i)
        run(["ip", "-n", hv, "link", "add", vx, "type", "vxlan", "id", str(VNI), "local",
             HV_IPS[i], "dstport", str(VXLAN_PORT), "nolearning"])
        run(["ip", "-n", hv, "link", "add", br, "type", "bridge"])
        run(["ip", "-n", hv, "link", "set", vx, "master", br, "mtu", str(INNER_MTU), "up"])
        veth_into_vm(hv, port, vms[i], vm_dev, i)
        run(["ip", "-n", hv, "link", "set", port, "master", br])
        run(["ip", "-n", hv, "link", "set", br, "up"])
        run(["bridge", "-n", hv, "fdb", "append", "00:00:00:00:00:00", "dev", vx, "dst",
             HV_IPS[peer]])
        run(["bridge", "-n", hv, "fdb", "add", VM_MACS[peer], "dev", vx, "dst", HV_IPS[peer],
             "static"])
        static_neighbour(vms[i], vm_dev, peer)
    return Endpoints(vm_ns=vms, vm_ips=VM_IPS)

"""Overcast, routed: the same two hypervisors as `overcast`, but the VMs sit on two networks
(198.19.0.0/24 and 198.19.1.0/24, VNIs 100 and 101) joined by one distributed router, so every
packet is routed on its sender's hypervisor (LPM, TTL, MAC rewrite) before VXLAN. Beside the
plain `overcast` column it shows what routing costs.

    vm1 198.19.0.1 ── hv1: router 198.19.0.254 | 198.19.1.254 ══ VXLAN 101 ══ hv2 ── vm2 198.19.1.2
    (replies: routed on hv2, VXLAN 100 back to hv1)

The VMs learn their gateway's MAC from the agent's ARP responder, as a tenant's VM would."""

from topology import (Endpoints, HV_IPS, INNER_MTU, VM_MACS, VNI, add_underlay_ip, make_hypervisors,
                      make_vms)
from sysutil import run, wait_until
from topo_overcast import Overcast

NAME = "overcast-routed"
TITLE = "Overcast routed"
ROUTED_IPS = ("198.19.0.1", "198.19.1.2")
CIDRS = ("198.19.0.0/24", "198.19.1.0/24")
GATEWAYS = ("198.19.0.254", "198.19.1.254")


def build(reg, names, workdir, bin_dir, agent_args=()):
    hvs = make_hypervisors(reg, names)
    vms = make_vms(reg, names)
    for i in (0, 1):
        add_underlay_ip(hvs[i], hvs[2][i], i)
    oc = Overcast(reg, bin_dir, workdir, hvs, agent_args)
    oc.start()
    oc.cli("router", "create", "bench-router")
    for i in (0, 1):
        oc.cli("network", "create", f"bench{i}", "--vni", str(VNI + i))
        oc.cli("subnet", "create", f"bench{i}", "--network", f"bench{i}", "--cidr", CIDRS[i],
               "--gateway", GATEWAYS[i])
        oc.cli("router", "add", "subnet", "bench-router", f"bench{i}")
    taps = []
    for i in (0, 1):
        port = oc.cli("port", "create", f"vm{i + 1}", "--network", f"bench{i}", "--mac", VM_MACS[i],
                      "--fixed-ip", f"ip={ROUTED_IPS[i]}", "--host", f"hv{i + 1}")
        taps.append("tap" + port["id"][:11])
    for i in (0, 1):
        tap = taps[i]
        wait_until(lambda: run(["ip", "-n", hvs[i], "link", "show", tap], check=False)
                   .returncode == 0, 15, f"the agent of hv{i + 1} to create {tap}")
        run(["ip", "-n", hvs[i], "link", "set", tap, "netns", vms[i]])
        run(["ip", "-n", vms[i], "link", "set", tap, "address", VM_MACS[i], "mtu", str(INNER_MTU)])
        run(["ip", "-n", vms[i], "address", "add", f"{ROUTED_IPS[i]}/24", "dev", tap])
        run(["ip", "-n", vms[i], "link", "set", tap, "up"])
        run(["ip", "-n", vms[i], "route", "add", "default", "via", GATEWAYS[i], "dev", tap])
    return Endpoints(vm_ns=vms, vm_ips=ROUTED_IPS, switch_pids=[a.pid for a in oc.agents])

"""Open vSwitch's userspace datapath, one ovsdb-server/ovs-vswitchd pair per hypervisor
namespace, each with its own run, database and log directories under this run's temp dir.

Per hypervisor, the layout of OVS's userspace-tunnelling guide: a `netdev` bridge "p" owns the
underlay veth (an AF_PACKET port) and carries the underlay IP on its internal port, so OVS's
tunnel routing and neighbour tables learn it from the namespace; a `netdev` bridge "i" holds
the VM's veth (an AF_PACKET port) and the VXLAN port. The kernel has no openvswitch module, so
`datapath_type=netdev` is the only choice (KERNEL-FACTS.md)."""

import os

from topology import (Endpoints, HV_IPS, VM_IPS, VNI, VXLAN_PORT, make_hypervisors, make_vms,
                      static_neighbour, veth_into_vm, add_underlay_ip)
from sysutil import BenchError, in_ns, run, wait_until

NAME = "ovs"
TITLE = "OVS netdev"
SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


class OvsInstance:
    """One ovsdb-server + ovs-vswitchd inside one namespace."""

    def __init__(self, reg, ns, root):
        self.reg, self.ns = reg, ns
        self.dirs = {k: os.path.join(root, k) for k in ("run", "db", "log")}
        for path in self.dirs.values():
            os.makedirs(path)
        self.env = dict(os.environ, OVS_RUNDIR=self.dirs["run"], OVS_DBDIR=self.dirs["db"],
                        OVS_LOGDIR=self.dirs["log"], OVS_SYSCONFDIR=self.dirs["db"])
        self.db_sock = os.path.join(self.dirs["run"], "db.sock")
        self.vswitchd = None

    def start(self):
        db = os.path.join(self.dirs["db"], "conf.db")
        run(["ovsdb-tool", "create", db, SCHEMA], env=self.env)
        log = self.dirs["log"]
        self.reg.start(f"ovsdb-server@{self.ns}", in_ns(self.ns, [
            "ovsdb-server", db, f"--remote=punix:{self.db_sock}",
            f"--pidfile={self.dirs['run']}/ovsdb-server.pid",
            f"--log-file={log}/ovsdb-server.log"]), f"{log}/ovsdb-server.out.log", env=self.env)
        wait_until(lambda: os.path.exists(self.db_sock), 10, f"ovsdb-server in {self.ns}")
        self.vsctl("--no-wait", "init")
        self.vswitchd = self.reg.start(f"ovs-vswitchd@{self.ns}", in_ns(self.ns, [
            "ovs-vswitchd", f"unix:{self.db_sock}",
            f"--pidfile={self.dirs['run']}/ovs-vswitchd.pid",
            f"--log-file={log}/ovs-vswitchd.log"]), f"{log}/ovs-vswitchd.out.log", env=self.env)
        wait_until(lambda: self._vswitchd_ready(), 15, f"ovs-vswitchd in {self.ns}")

    def _vswitchd_ready(self):
        if self.vswitchd.poll() is not None:
            raise BenchError(f"ovs-vswitchd in {self.ns} exited ({self.vswitchd.returncode}); "
                             f"see {self.dirs['log']}/ovs-vswitchd.log")
        return run(self.appctl_argv("version"), check=False, timeout=5).returncode == 0

    def vsctl(self, *args):
        return run(in_ns(self.ns, ["ovs-vsctl", f"--db=unix:{self.db_sock}", "--timeout=15",
                                   *args]), env=self.env).stdout

    def appctl_argv(self, *args):
        ctl = os.path.join(self.dirs["run"], f"ovs-vswitchd.{self.vswitchd.pid}.ctl")
        return in_ns(self.ns, ["ovs-appctl", "-t", ctl, *args])

    def appctl(self, *args):
        return run(self.appctl_argv(*args), env=self.env).stdout


def build(reg, names, workdir):
    hvs = make_hypervisors(reg, names)
    vms = make_vms(reg, names)
    phys, integ = names.link("p"), names.link("i")
    port, vx, vm_dev = names.link("vp"), names.link("vx"), names.link("vm")
    instances = []
    for i in (0, 1):
        hv, peer = hvs[i], 1 - i
        ovs = OvsInstance(reg, hv, os.path.join(workdir, f"ovs-hv{i + 1}"))
        ovs.start()
        instances.append(ovs)
        ovs.vsctl("add-br", phys, "--", "set", "bridge", phys, "datapath_type=netdev")
        ovs.vsctl("add-port", phys, hvs[2][i])
        add_underlay_ip(hv, phys, i)
        # The VM's veth sends partial checksums unless its tx offload is off (KERNEL-FACTS).
        veth_into_vm(hv, port, vms[i], vm_dev, i, tx_offload=False)
        ovs.vsctl("add-br", integ, "--", "set", "bridge", integ, "datapath_type=netdev")
        ovs.vsctl("add-port", integ, port)
        ovs.vsctl("add-port", integ, vx, "--", "set", "interface", vx, "type=vxlan",
                  f"options:remote_ip={HV_IPS[peer]}", f"options:local_ip={HV_IPS[i]}",
                  f"options:key={VNI}", f"options:dst_port={VXLAN_PORT}")
        static_neighbour(vms[i], vm_dev, peer)
    # OVS's tunnel neighbour table is filled by snooping ARP on the bridge: one ping each way.
    for i in (0, 1):
        wait_until(lambda: run(in_ns(hvs[i], ["ping", "-c", "1", "-W", "1", HV_IPS[1 - i]]),
                               check=False).returncode == 0, 15,
                   f"underlay ping from {hvs[i]} through OVS")
    for i in (0, 1):
        wait_until(lambda: HV_IPS[1 - i] in instances[i].appctl("tnl/neigh/show"), 10,
                   f"OVS in {hvs[i]} to learn the peer VTEP's MAC")
    return Endpoints(vm_ns=vms, vm_ips=VM_IPS, switch_pids=[o.vswitchd.pid for o in instances])

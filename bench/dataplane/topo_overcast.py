"""Overcast: overcast-controller plus one overcast-agent per hypervisor namespace, the network,
subnet and two ports created through the API with the `overcast` CLI, each agent's TAP moved
into its VM namespace (what `overcast lab vm` does). The ports are in their project's default
security group, as a tenant's are: this row runs with security groups (and the tracker) on;
`overcast-nosg` is the same with port security off.

Not `overcast lab up --hosts 2`: the lab puts its hypervisors on two leaves behind a fabric
router namespace (one more forwarding hop than the other systems get) and its controller on a
10.254.K.0/24 management bridge in the root namespace. Here every system has the same shape:
the controller runs inside hv1's namespace (API on that namespace's loopback, southbound on
hv1's underlay address), so nothing touches the root namespace and control traffic (heartbeats
only, once the ports exist) shares the underlay."""

import json
import os

from topology import (Endpoints, HV_IPS, UNDERLAY_MTU, VM_IPS, VM_MACS, VNI, VXLAN_PORT,
                      add_underlay_ip, configure_vm_link, make_hypervisors, make_vms,
                      static_neighbour)
from sysutil import BenchError, in_ns, run, wait_until

NAME = "overcast"
TITLE = "Overcast"
API = "127.0.0.1:9696"
SOUTHBOUND_PORT = 6641


class Overcast:
    def __init__(self, reg, bin_dir, workdir, hvs, agent_args=()):
        self.reg, self.bin_dir, self.workdir, self.hvs = reg, bin_dir, workdir, hvs
        self.agent_args = list(agent_args)
        self.controller = None
        self.agents = []

    def binary(self, name):
        path = os.path.join(self.bin_dir, name)
        if not os.access(path, os.X_OK):
            raise BenchError(f"{path} is missing: build first (make build, or pass --bin-dir)")
        return path

    def cli(self, *args):
        out = run(in_ns(self.hvs[0], [self.binary("overcast"), "--endpoint", f"http://{API}",
                                      "-f", "json", *args]), timeout=20).stdout
        return json.loads(out) if out.strip() else None

    def start(self):
        southbound = f"{HV_IPS[0]}:{SOUTHBOUND_PORT}"
        self.controller = self.reg.start("overcast-controller", in_ns(self.hvs[0], [
            self.binary("overcast-controller"), "--api", API, "--southbound", southbound,
            "--db", os.path.join(self.workdir, "controller", "controller.db"),
            "--underlay-mtu", str(UNDERLAY_MTU), "--log-level", "warn"]),
            os.path.join(self.workdir, "controller.log"))
        wait_until(self._api_answers, 15, "overcast-controller's API")
        for i in (0, 1):
            state = os.path.join(self.workdir, f"hv{i + 1}")
            self.agents.append(self.reg.start(f"overcast-agent@hv{i + 1}", in_ns(self.hvs[i], [
                self.binary("overcast-agent"), "--host", f"hv{i + 1}", "--underlay-ip", HV_IPS[i],
                "--controller", southbound, "--state-dir", state,
                "--vxlan-port", str(VXLAN_PORT), "--log-level", "warn", *self.agent_args]),
                os.path.join(self.workdir, f"agent-hv{i + 1}.log")))
        wait_until(self._agents_alive, 20, "both overcast-agents to register")

    def api(self, method, path, body):
        """A raw Neutron call (for what the CLI has no flag for), from hv1's namespace."""
        out = run(in_ns(self.hvs[0], ["curl", "-sS", "--fail-with-body", "-X", method,
                                      "-H", "Content-Type: application/json",
                                      "-d", json.dumps(body), f"http://{API}{path}"]), timeout=20).stdout
        return json.loads(out) if out.strip() else None

    def _api_answers(self):
        if self.controller.poll() is not None:
            raise BenchError(f"overcast-controller exited ({self.controller.returncode}); see "
                             f"{self.workdir}/controller.log")
        return run(in_ns(self.hvs[0], [self.binary("overcast"), "--endpoint", f"http://{API}",
                                       "version"]), check=False, timeout=5).returncode == 0

    def _agents_alive(self):
        for agent in self.agents:
            if agent.poll() is not None:
                raise BenchError(f"an overcast-agent exited ({agent.returncode}); see "
                                 f"{self.workdir}/agent-hv*.log")
        hosts = self.cli("host", "list") or []
        alive = {h.get("host") for h in hosts if h.get("alive") is True}
        return {"hv1", "hv2"} <= alive


def build(reg, names, workdir, bin_dir, agent_args=(), port_security=True):
    hvs = make_hypervisors(reg, names)
    vms = make_vms(reg, names)
    for i in (0, 1):
        add_underlay_ip(hvs[i], hvs[2][i], i)
    oc = Overcast(reg, bin_dir, workdir, hvs, agent_args)
    oc.start()
    oc.cli("network", "create", "bench", "--vni", str(VNI))
    oc.cli("subnet", "create", "bench", "--network", "bench", "--cidr", "198.19.0.0/24",
           "--gateway", "none")
    taps = []
    for i in (0, 1):
        port = oc.cli("port", "create", f"vm{i + 1}", "--network", "bench", "--mac", VM_MACS[i],
                      "--fixed-ip", f"ip={VM_IPS[i]}", "--host", f"hv{i + 1}")
        taps.append("tap" + port["id"][:11])
        if not port_security:  # no anti-spoofing, no security groups, no tracker
            oc.api("PUT", f"/v2.0/ports/{port['id']}",
                   {"port": {"security_groups": [], "port_security_enabled": False}})
    for i in (0, 1):
        tap = taps[i]
        wait_until(lambda: run(["ip", "-n", hvs[i], "link", "show", tap], check=False)
                   .returncode == 0, 15, f"the agent of hv{i + 1} to create {tap}")
        run(["ip", "-n", hvs[i], "link", "set", tap, "netns", vms[i]])
        configure_vm_link(vms[i], tap, i, VM_MACS[i])
        static_neighbour(vms[i], tap, 1 - i)
    return Endpoints(vm_ns=vms, vm_ips=VM_IPS, switch_pids=[a.pid for a in oc.agents])

"""Provider networks (flat and VLAN) bridged onto the hypervisors' mapped interfaces, with the
real daemons, in namespaces of this test's own (no `overcast lab`):

    P-seg   a Linux bridge `seg` standing for the physical segment (no VLAN filtering: it
            carries tagged and untagged frames alike), a management bridge `mg` 192.0.2.1/24,
            and the controller (API on its loopback, southbound on 192.0.2.1)
    P-hvN   overcast-agent --bridge-mappings physnet1:eth1; `eth1` is a veth into `seg`
    P-out   a plain host on `seg`: 203.0.113.1 untagged (the kernel's), 198.51.100.1 on VLAN 101
            (vlan_host.py: this machine's kernel has no 8021q module, so the VLAN
            sub-interface is played in user space, answering ARP and ping and pinging)
    P-vmX   one namespace per VM, holding the TAP of its port (as `overcast lab vm` does)

A flat network (203.0.113.0/24) and a VLAN network (id 101, 198.51.100.0/24) on physnet1, a
VM of each on both hosts: the VMs reach each other and the plain host; on the segment the
VLAN network's frames carry the 802.1Q tag 101 and the flat network's none (tcpdump's own
decoding); neither network's frames ever reach the other's VMs. A port of a network on
physnet2, which no agent maps, fails to bind (binding:vif_type binding_failed, DOWN).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import labkit

API_PORT = 9696
SOUTHBOUND = "192.0.2.1:6641"
FLAT_CIDR, FLAT_OUT = "203.0.113.0/24", "203.0.113.1"
VLAN_CIDR, VLAN_OUT, VLAN_ID = "198.51.100.0/24", "198.51.100.1", 101
VLAN_OUT_MAC = "02:00:5e:00:01:01"
OUT_PINGS = 5
VMS = {  # name: (network, host, address)
    "f1": ("flat", "hv1", "203.0.113.11"), "f2": ("flat", "hv2", "203.0.113.12"),
    "v1": ("vlan", "hv1", "198.51.100.11"), "v2": ("vlan", "hv2", "198.51.100.12"),
}
REQUEST = r"""
import json, sys, urllib.request
method, url, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                             headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=30) as resp:
        print(resp.read().decode())
except urllib.error.HTTPError as e:
    sys.exit(f"{e.code} {e.read().decode()}")
"""


class ProviderNetworks(unittest.TestCase):
    def setUp(self):
        reason = labkit.missing_prerequisites(("tcpdump",))
        if reason:
            print(labkit.SKIP_MARK, reason, flush=True)
            self.skipTest(reason)
        self.prefix = "t" + secrets.token_hex(2)
        self.work = tempfile.mkdtemp(prefix="oc-provider-")
        self.procs = {}
        self.namespaces = []
        self.addCleanup(self.cleanup)
        self.build_segment()

    # --- plumbing ---------------------------------------------------------------------------
    def ns_name(self, name):
        return f"{self.prefix}-{name}"

    def add_ns(self, name):
        labkit.run(["ip", "netns", "add", self.ns_name(name)])
        self.namespaces.append(self.ns_name(name))
        self.ns(name, "ip", "link", "set", "lo", "up")

    def ns(self, name, *argv, check=True, timeout=60):
        return labkit.run(["ip", "netns", "exec", self.ns_name(name), *argv], check=check, timeout=timeout)

    def start(self, name, ns, argv):
        log = open(os.path.join(self.work, name + ".log"), "w")
        self.procs[name] = subprocess.Popen(["ip", "netns", "exec", self.ns_name(ns), *argv],
                                            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self.procs[name]

    def cleanup(self):
        for name, proc in self.procs.items():
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            if not self._outcome.success and os.path.exists(os.path.join(self.work, name + ".log")):
                with open(os.path.join(self.work, name + ".log"), errors="replace") as log:
                    print(f"--- {name} log ---\n{log.read()[-3000:]}", flush=True)
        # The agents' TAPs are persistent: removed by name before their namespaces go, so
        # none is left behind in the root namespace.
        for ns in reversed(self.namespaces):
            links = labkit.run(["ip", "-n", ns, "-o", "link", "show"], check=False).stdout
            for line in links.splitlines():
                name = line.split(":")[1].strip().split("@")[0] if ":" in line else ""
                if name.startswith("tap"):
                    labkit.run(["ip", "-n", ns, "link", "del", name], check=False)
            labkit.run(["ip", "netns", "del", ns], check=False)
        shutil.rmtree(self.work, ignore_errors=True)

    def build_segment(self):
        self.add_ns("seg")
        self.ns("seg", "ip", "link", "add", "seg", "type", "bridge")  # no VLAN filtering: the default
        self.ns("seg", "ip", "link", "add", "mg", "type", "bridge")
        self.ns("seg", "ip", "addr", "add", "192.0.2.1/24", "dev", "mg")
        for bridge in ("seg", "mg"):
            self.ns("seg", "ip", "link", "set", bridge, "up")
        for index in (1, 2):
            host = f"hv{index}"
            self.add_ns(host)
            for link, bridge, inside in ((f"{host}-up", "seg", "eth1"), (f"{host}-mg", "mg", "mg")):
                self.ns("seg", "ip", "link", "add", link, "type", "veth", "peer", "name", inside,
                        "netns", self.ns_name(host))
                self.ns("seg", "ip", "link", "set", link, "master", bridge, "up")
                self.ns(host, "ip", "link", "set", inside, "up")
            self.ns(host, "ip", "addr", "add", f"192.0.2.1{index}/24", "dev", "mg")
            # The uplink carries VMs' frames only: the hypervisor's own stack stays off it.
            self.ns(host, "sysctl", "-qw", "net.ipv6.conf.eth1.disable_ipv6=1")
        self.add_ns("out")
        self.ns("seg", "ip", "link", "add", "out-p", "type", "veth", "peer", "name", "out",
                "netns", self.ns_name("out"))
        self.ns("seg", "ip", "link", "set", "out-p", "master", "seg", "up")
        self.ns("out", "ip", "link", "set", "out", "up")
        self.ns("out", "ip", "addr", "add", FLAT_OUT + "/24", "dev", "out")

    def vlan_host(self, seconds, ping_target, count):
        """The plain host's VLAN 101 interface (vlan_host.py) for `seconds`, pinging `ping_target`."""
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vlan_host.py")
        return subprocess.Popen(["ip", "netns", "exec", self.ns_name("out"), sys.executable, script, "out",
                                 str(VLAN_ID), VLAN_OUT_MAC, VLAN_OUT, str(seconds), ping_target, str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start_daemons(self):
        self.start("controller", "seg", [os.path.join(labkit.BIN_DIR, "overcast-controller"),
                                         "--api", f"127.0.0.1:{API_PORT}", "--southbound", SOUTHBOUND,
                                         "--db", os.path.join(self.work, "controller.db")])
        for index in (1, 2):
            host = f"hv{index}"
            self.start(host, host, [os.path.join(labkit.BIN_DIR, "overcast-agent"), "--host", host,
                                    "--underlay-ip", f"192.0.2.1{index}", "--controller", SOUTHBOUND,
                                    "--state-dir", os.path.join(self.work, host),
                                    "--bridge-mappings", "physnet1:eth1"])
        self.wait_for("both agents alive", lambda: (
            lambda agents: len(agents) == 2 and all(a["alive"] for a in agents))(
            self.api("GET", "/v2.0/agents").get("agents", [])), 60)

    def api(self, method, path, body=None):
        proc = self.ns("seg", sys.executable, "-c", REQUEST, method, f"http://127.0.0.1:{API_PORT}{path}",
                       json.dumps(body) if body is not None else "", check=False)
        if proc.returncode != 0:
            raise AssertionError(f"{method} {path}: {proc.stderr.strip()}")
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def wait_for(self, what, predicate, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = predicate()
            except AssertionError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.5)

    def network(self, name, network_type, physnet, cidr, segmentation_id=None):
        body = {"name": name, "provider:network_type": network_type, "provider:physical_network": physnet}
        if segmentation_id is not None:
            body["provider:segmentation_id"] = segmentation_id
        net = self.api("POST", "/v2.0/networks", {"network": body})["network"]
        self.api("POST", "/v2.0/subnets", {"subnet": {"network_id": net["id"], "cidr": cidr, "ip_version": 4,
                                                      "gateway_ip": None}})
        return net

    def port(self, network_id, host, address):
        body = {"network_id": network_id, "binding:host_id": host, "fixed_ips": [{"ip_address": address}]}
        return self.api("POST", "/v2.0/ports", {"port": body})["port"]

    def vm(self, name, port, host, address, mtu):
        """Moves the port's TAP from the hypervisor into a namespace of its own, as `overcast lab vm`."""
        tap = "tap" + port["id"][:11]
        self.wait_for(f"{tap} on {host}", lambda: self.ns(host, "ip", "link", "show", tap, check=False).returncode == 0,
                      30)
        self.add_ns(name)
        self.ns(host, "ip", "link", "set", tap, "netns", self.ns_name(name))
        self.ns(name, "sysctl", "-qw", f"net.ipv6.conf.{tap}.disable_ipv6=1")
        self.ns(name, "ip", "link", "set", tap, "address", port["mac_address"], "mtu", str(mtu), "up")
        self.ns(name, "ip", "addr", "add", address + "/24", "dev", tap)
        return tap

    def ping(self, src, dst, count=3):
        return self.ns(src, "ping", "-n", "-c", str(count), "-i", "0.2", "-W", "2", dst, check=False).returncode == 0

    def capture(self, ns, interface, seconds, capture_filter=""):
        """tcpdump -e on `interface` of `ns` for `seconds` (its own decoding: link headers and tags)."""
        argv = ["ip", "netns", "exec", self.ns_name(ns), "timeout", str(seconds), "tcpdump", "-l", "-n", "-e",
                "-i", interface]
        if capture_filter:
            argv += capture_filter.split()
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    # --- the test ---------------------------------------------------------------------------
    def test_flat_and_vlan_networks_bridge_onto_the_physical_segment(self):
        self.start_daemons()
        flat = self.network("flat", "flat", "physnet1", FLAT_CIDR)
        vlan = self.network("vlan", "vlan", "physnet1", VLAN_CIDR, VLAN_ID)
        self.assertEqual(vlan["provider:segmentation_id"], VLAN_ID)
        networks = {"flat": flat, "vlan": vlan}
        taps = {}
        groups = set()
        for name, (net, host, address) in VMS.items():
            port = self.port(networks[net]["id"], host, address)
            groups.update(port.get("security_groups", []))
            taps[name] = self.vm(name, port, host, address, networks[net].get("mtu") or 1450)
        # The ports are in their project's default group, which keeps out whoever is not a
        # member, such as the plain host: open ICMP, as an operator would for this check.
        self.assertTrue(groups, "ports with port security get the default group")
        for group in groups:
            self.api("POST", "/v2.0/security-group-rules", {"security_group_rule": {
                "security_group_id": group, "direction": "ingress", "ethertype": "IPv4", "protocol": "icmp"}})
        for name, (net, host, address) in VMS.items():
            self.wait_for(f"{name}'s port ACTIVE", lambda: self.api(
                "GET", f"/v2.0/ports?fixed_ips=ip_address%3D{address}")["ports"][0]["status"] == "ACTIVE", 30)

        # The segment sees VLAN 101 tagged and the flat network untagged, from both hosts.
        dump = self.capture("seg", "seg", 14)
        vlan_out = self.vlan_host(10, "198.51.100.11", OUT_PINGS)
        time.sleep(1.5)
        self.assertTrue(self.ping("f1", "203.0.113.12"), "flat VM to flat VM across hosts")
        self.assertTrue(self.ping("f1", FLAT_OUT), "flat VM to the plain host")
        self.assertTrue(self.ping("out", "203.0.113.12"), "plain host to a flat VM")
        self.assertTrue(self.ping("v1", "198.51.100.12"), "VLAN VM to VLAN VM across hosts")
        self.assertTrue(self.ping("v2", VLAN_OUT), "VLAN VM to the plain host's VLAN interface")
        vlan_stats, errors = vlan_out.communicate(timeout=30)
        self.assertEqual(vlan_out.returncode, 0, errors)
        vlan_stats = json.loads(vlan_stats)
        self.assertEqual(vlan_stats["echo_sent"], OUT_PINGS, vlan_stats)
        self.assertEqual(vlan_stats["echo_replies"], OUT_PINGS, f"plain host to a VLAN VM: {vlan_stats}")
        self.assertGreater(vlan_stats["echo_answered"], 0, vlan_stats)
        lines, _ = dump.communicate(timeout=30)
        icmp = [line for line in lines.splitlines() if "ICMP echo" in line]
        vlan_lines = [line for line in icmp if "198.51.100." in line]
        flat_lines = [line for line in icmp if "203.0.113." in line]
        self.assertTrue(vlan_lines and flat_lines, lines[-2000:])
        for line in vlan_lines:
            self.assertIn(f"vlan {VLAN_ID}", line, "VLAN network frame on the segment without its tag")
            self.assertEqual(line.count("802.1Q"), 1, f"double-tagged: {line}")
        for line in flat_lines:
            self.assertNotIn("802.1Q", line, "flat network frame on the segment with a tag")

        # Never mixed: while each network broadcasts and pings, the other's VMs see none of it.
        watch = {name: self.capture(name, taps[name], 6) for name in ("f2", "v2")}
        time.sleep(1.5)
        for ns, broadcast in (("out", "203.0.113.255"), ("f1", "203.0.113.255"), ("v1", "198.51.100.255")):
            self.ns(ns, "ping", "-n", "-b", "-c", "3", "-i", "0.2", "-W", "1", broadcast, check=False)
        self.assertTrue(self.ping("f1", "203.0.113.12"))
        self.assertTrue(self.ping("v1", "198.51.100.12"))
        seen = {name: proc.communicate(timeout=30)[0] for name, proc in watch.items()}
        self.assertIn("203.0.113.255", seen["f2"], "the flat VM should see its network's broadcast")
        self.assertIn("198.51.100.255", seen["v2"], "the VLAN VM should see its network's broadcast")
        self.assertNotIn("198.51.100.", seen["f2"], "VLAN network traffic reached a flat VM")
        self.assertNotIn("203.0.113.", seen["v2"], "flat network traffic reached a VLAN VM")

        # No VXLAN ever: the agents' tunnel counters stay at zero.
        for host in ("hv1", "hv2"):
            counters = self.agent_counters(host)
            self.assertEqual(counters["tunnel"]["tx_packets"], 0, counters["tunnel"])
            self.assertGreater(counters["stages"]["uplink_rx"]["local"], 0, counters["stages"]["uplink_rx"])
            self.assertGreater(counters["stages"]["uplink_tx"]["out"], 0, counters["stages"]["uplink_tx"])

        # physnet2 is mapped nowhere: a port of it bound to hv1 fails to bind.
        other = self.network("other", "flat", "physnet2", "192.0.2.128/25")
        stray = self.port(other["id"], "hv1", "192.0.2.140")
        shown = self.api("GET", f"/v2.0/ports/{stray['id']}")["port"]
        self.assertEqual(shown["binding:vif_type"], "binding_failed")
        self.assertEqual(shown["status"], "DOWN")
        time.sleep(2)
        self.assertNotEqual(self.ns("hv1", "ip", "link", "show", "tap" + stray["id"][:11], check=False).returncode, 0,
                            "the agent plugged a port whose binding failed")

    def agent_counters(self, host):
        """GET /counters on the agent's control socket (HTTP over a unix socket)."""
        fetch = ("import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
                 "s.sendall(b'GET /counters HTTP/1.0\\r\\nHost: agent\\r\\n\\r\\n'); data = b''\n"
                 "while True:\n    chunk = s.recv(65536)\n    if not chunk: break\n    data += chunk\n"
                 "print(data.split(b'\\r\\n\\r\\n', 1)[1].decode())")
        proc = self.ns(host, sys.executable, "-c", fetch, os.path.join(self.work, host, "agent.sock"))
        return json.loads(proc.stdout)


if __name__ == "__main__":
    unittest.main()

"""The lab's outside world, as `overcast lab up` builds it (issue 6, section 7):
  - an external segment (bridge <P>-extbr in the fabric, standing for the provider network
    physnet1) that every hypervisor reaches through its own uplink <P>-ex, and the outside
    host `ext` at 203.0.113.1/24 on it: `overcast lab exec ext -- CMD` runs there, a probe
    on the segment pings it, an ARP sent raw from each hypervisor's uplink is answered by
    it, and the routed underlay does not reach it (the fabric does not route the segment);
  - the external network `public` (flat, physnet1, router:external) with `public-subnet`
    203.0.113.0/24, gateway 203.0.113.1, no DHCP; a second `lab up` keeps the one it made;
  - hv1 and hv2 are gateway agents (hv1 the higher priority), every agent maps
    physnet1 to its <P>-ex: a router with its external gateway on `public` lists hv1
    active and hv2 standby as its L3 agents;
  - `lab down` removes all of it: no namespace or link of the lab is left.
"""

import json
import os
import unittest
import urllib.request

import labkit

EXT_IP = "203.0.113.1"
PROBE_IP = "203.0.113.250"

# Runs in a hypervisor's namespace: broadcasts one ARP who-has EXT_IP out of the given
# interface (which has no address: the agent owns it) and prints the MAC that answers.
ARP_PROBE = r"""
import socket, struct, sys, time
iface, target = sys.argv[1], socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind((iface, 0))
mac = s.getsockname()[4]
s.settimeout(0.5)
request = (b"\xff" * 6 + mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) +
           mac + b"\x00" * 4 + b"\x00" * 6 + target)
deadline = time.time() + 10
while time.time() < deadline:
    s.send(request)
    end = time.time() + 1
    while time.time() < end:
        try:
            frame = s.recv(2048)
        except socket.timeout:
            continue
        if len(frame) >= 42 and frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x02" and frame[28:32] == target:
            print(frame[22:28].hex(":"))
            sys.exit(0)
sys.exit(1)
"""


class LabOutsideWorld(labkit.LabTestCase):
    HOSTS = 3

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.lab.endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def only(self, collection, name):
        found = self.api("GET", f"/v2.0/{collection}?name={name}")[collection]
        self.assertEqual(len(found), 1, f"{collection} named {name}: {found}")
        return found[0]

    def link_mac(self, ns, link):
        proc = labkit.run(["ip", "-n", ns, "-j", "link", "show", "dev", link])
        return json.loads(proc.stdout)[0]["address"]

    def add_probe(self):
        """A namespace with one veth into the external bridge at PROBE_IP, removed at the end."""
        p = self.lab.prefix
        ns, fabric = f"{p}-probe", self.lab.netns("fab")
        labkit.run(["ip", "netns", "add", ns])
        self.addCleanup(labkit.run, ["ip", "netns", "delete", ns], check=False)
        labkit.run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"])
        labkit.run(["ip", "-n", ns, "link", "add", f"{p}-pr", "type", "veth", "peer", "name", f"{p}-x-pr",
                    "netns", fabric])
        labkit.run(["ip", "-n", fabric, "link", "set", f"{p}-x-pr", "master", f"{p}-extbr", "up"])
        labkit.run(["ip", "-n", ns, "addr", "add", f"{PROBE_IP}/24", "dev", f"{p}-pr"])
        labkit.run(["ip", "-n", ns, "link", "set", f"{p}-pr", "up"])
        return ns

    def test_outside_world_public_network_and_gateway_hosts(self):
        p = self.lab.prefix
        # ext, through the lab's own exec.
        shown = json.loads(labkit.run([self.lab.overcast, "lab", "exec", "--prefix", p, "--state-dir",
                                       self.lab.state_dir, "ext", "--", "ip", "-j", "-4", "addr", "show",
                                       "dev", f"{p}-ex"]).stdout)
        self.assertEqual([(a["local"], a["prefixlen"]) for a in shown[0]["addr_info"]], [(EXT_IP, 24)])
        status = self.lab.status()
        self.assertEqual(status["external"]["address"], f"{EXT_IP}/24")
        self.assertTrue(status["external"]["present"])

        # From the fabric side of the segment: a probe on the bridge pings ext.
        probe = self.add_probe()
        ping = labkit.run(["ip", "netns", "exec", probe, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", EXT_IP],
                          check=False)
        print(ping.stdout)
        self.assertEqual(ping.returncode, 0, f"ext does not answer on the external segment: {ping.stdout}")

        # Every hypervisor's uplink is on the segment: ext answers an ARP sent from it.
        ext_mac = self.link_mac(f"{p}-ext", f"{p}-ex")
        for host in ("hv1", "hv2", "hv3"):
            proc = self.lab.exec(host, "/usr/bin/python3", "-c", ARP_PROBE, f"{p}-ex", EXT_IP, timeout=30)
            self.assertEqual(proc.returncode, 0, f"{host}: no ARP answer from ext through {p}-ex: {proc.stderr}")
            self.assertEqual(proc.stdout.strip(), ext_mac, host)
            addresses = json.loads(labkit.run(["ip", "-n", self.lab.netns(host), "-j", "-4", "addr", "show",
                                               "dev", f"{p}-ex"]).stdout)
            self.assertEqual([a for link in addresses for a in link.get("addr_info", [])], [],
                             f"{host}'s uplink has an address")

        # The segment is not routed into the underlay: a hypervisor's own stack cannot reach ext.
        self.assertFalse(self.lab.ping("hv1", EXT_IP, wait=1), "the fabric routes the external segment")

        # public and public-subnet, as devstack makes them.
        public = self.only("networks", "public")
        self.assertTrue(public["router:external"])
        self.assertEqual(public["provider:network_type"], "flat")
        self.assertEqual(public["provider:physical_network"], "physnet1")
        subnet = self.only("subnets", "public-subnet")
        self.assertEqual(subnet["network_id"], public["id"])
        self.assertEqual(subnet["cidr"], "203.0.113.0/24")
        self.assertEqual(subnet["gateway_ip"], EXT_IP)
        self.assertFalse(subnet["enable_dhcp"])

        # Gateway agents: every agent maps physnet1 to its uplink; hv1 and hv2 serve gateways.
        agents = {a["host"]: a for a in self.api("GET", "/v2.0/agents")["agents"]}
        self.assertEqual(set(agents), {"hv1", "hv2", "hv3"})
        for host, agent in agents.items():
            self.assertEqual(agent["configurations"].get("bridge_mappings"), {"physnet1": f"{p}-ex"}, host)
        self.assertTrue(agents["hv1"]["configurations"]["gateway"])
        self.assertTrue(agents["hv2"]["configurations"]["gateway"])
        self.assertFalse(agents["hv3"]["configurations"]["gateway"])
        self.assertGreater(agents["hv1"]["configurations"]["gateway_priority"],
                           agents["hv2"]["configurations"]["gateway_priority"])
        router = self.api("POST", "/v2.0/routers", {"router": {
            "name": "r-out", "external_gateway_info": {"network_id": public["id"]}}})["router"]
        l3 = {a["host"]: a["ha_state"] for a in
              self.api("GET", f"/v2.0/routers/{router['id']}/l3-agents")["agents"]}
        self.assertEqual(l3, {"hv1": "active", "hv2": "standby"})

        # A second `up` keeps what the first made.
        self.lab.up()
        self.only("networks", "public")
        self.only("subnets", "public-subnet")

        # `down` leaves nothing of the lab behind.
        self.lab.lab("down")
        left = [ns for ns in labkit.run(["ip", "netns", "list"]).stdout.split()
                if ns.startswith(p + "-")]
        self.assertEqual(left, [])
        links = json.loads(labkit.run(["ip", "-j", "link", "show"]).stdout)
        self.assertEqual([l["ifname"] for l in links if l["ifname"].startswith(p + "-")], [])
        self.assertFalse(os.path.exists(self.lab.state_dir))


if __name__ == "__main__":
    unittest.main(verbosity=2)

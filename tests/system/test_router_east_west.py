"""Distributed routing east-west, with the real daemons in a three-host lab.

(a) With the real `openstack` client (no Keystone): two networks, subnets 10.1.0.0/24 and
    10.2.0.0/24, one router on both (`router add subnet`), VMs on different hosts. Ping
    and a checked TCP transfer cross the router both ways; the replies arrive with TTL 63
    (one routed hop, on the sender's own host); both router addresses answer ping with
    TTL 64; the agents count routed frames in their `router` stage.
(b) Two tenants (projects) with identical 10.0.0.0/24 + 10.9.0.0/24 subnets on their own
    routers, made with the `overcast` CLI (the `openstack` client cannot name projects
    without Keystone). Same addresses on the same hosts: a1 and b1 both 10.0.0.11 on hv1,
    a2 (hv2) and b2 (hv3) both 10.9.0.12. Both tenants send at the same time; every
    datagram reaches its own tenant's VM only and every reply comes from it."""

import json
import os
import re
import subprocess
import sys
import time
import unittest
import urllib.request

import labkit

BULK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bulk_transfer.py")
ECHO_PORT = 40007
MESSAGES = 30

# Runs in a VM: answers each datagram with "<name> <payload>" and at the end prints the
# payloads and sources it got, as JSON, once quiet for 4 s.
ECHO_SERVER = r"""
import json, socket, sys
name, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", port))
s.settimeout(4)
print("ready", flush=True)
got = []
try:
    while True:
        data, addr = s.recvfrom(2048)
        got.append([data.decode(errors="replace"), addr[0]])
        s.sendto(name.encode() + b" " + data, addr)
except socket.timeout:
    pass
print(json.dumps(got), flush=True)
"""

# Runs in a VM: sends MESSAGES datagrams "<tag> <i>" and prints the replies, as JSON.
ECHO_CLIENT = r"""
import json, socket, sys, time
tag, host, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
replies = []
for i in range(count):
    s.sendto(f"{tag} {i}".encode(), (host, port))
    try:
        replies.append(s.recv(2048).decode(errors="replace"))
    except socket.timeout:
        pass
    time.sleep(0.02)
print(json.dumps(replies), flush=True)
"""


class RouterEastWest(labkit.LabTestCase):
    HOSTS = 3
    TOOLS = ("openstack",)

    # --- helpers --------------------------------------------------------------------------
    def openstack(self, *args, output=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        argv = ["openstack", "--os-auth-type", "none", "--os-endpoint", self.lab.endpoint, *args]
        proc = labkit.run(argv + (["-f", "json"] if output else []), env=env, timeout=120)
        return json.loads(proc.stdout) if output and proc.stdout.strip() else None

    def vm(self, name, port):
        self.lab.lab("vm", name, "--port", port["id"], "--static")

    def ping_ttls(self, vm, ip, count=3):
        proc = self.lab.exec(vm, "ping", "-n", "-c", str(count), "-i", "0.2", "-W", "2", ip, timeout=30)
        return [int(t) for t in re.findall(r"ttl=(\d+)", proc.stdout)]

    def wait_ping(self, vm, ip, timeout=30):
        self.wait_until(lambda: self.lab.ping(vm, ip, wait=1), timeout, f"{vm} never reached {ip}")

    def router_counter(self, host, name):
        return self.lab.agent(host, "/counters")["stages"].get("router", {}).get(name, 0)

    def transfer(self, src, dst, dst_ip, port, size, seed):
        server = subprocess.Popen(["ip", "netns", "exec", self.lab.netns(dst), sys.executable, "-u", BULK,
                                   "server", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: server.poll() is None and server.kill())
        self.assertEqual(server.stdout.readline().strip(), "listening")
        client = self.lab.exec(src, sys.executable, BULK, "client", dst_ip, str(port), str(size), str(seed),
                               timeout=120)
        self.assertEqual(client.returncode, 0, client.stderr)
        out, err = server.communicate(timeout=60)
        self.assertEqual(server.returncode, 0, err)
        self.assertEqual(out.split(), client.stdout.split(), f"{src}->{dst} {dst_ip}: bytes differ")

    def start(self, vm, script, *args):
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.netns(vm), "/usr/bin/python3", "-c", script,
                                 *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    # --- (a) one router, two subnets, the openstack client -----------------------------------
    def test_router_between_two_subnets_with_openstack_client(self):
        ids = {}
        for name, cidr in (("rt-net1", "10.1.0.0/24"), ("rt-net2", "10.2.0.0/24")):
            net = self.openstack("network", "create", name)
            sub = self.openstack("subnet", "create", name + "-sub", "--network", net["id"], "--subnet-range", cidr)
            self.assertEqual(sub["gateway_ip"], cidr.replace("0/24", "1"))
            ids[name] = (net["id"], sub["id"])
        router = self.openstack("router", "create", "rt-router")
        for name in ids:
            self.openstack("router", "add", "subnet", router["id"], ids[name][1], output=False)
        vms = (("v1", "rt-net1", "hv1", "10.1.0.11"), ("v2", "rt-net2", "hv2", "10.2.0.12"),
               ("v3", "rt-net1", "hv3", "10.1.0.13"))
        for vm, net, host, ip in vms:
            port = self.openstack("port", "create", vm + "-port", "--network", ids[net][0], "--host", host,
                                  "--fixed-ip", f"subnet={ids[net][1]},ip-address={ip}")
            self.vm(vm, port)

        self.wait_ping("v1", "10.2.0.12")
        routed_before = {h: self.router_counter(h, "routed") for h in ("hv1", "hv2", "hv3")}
        # One routed hop each way, done on the sender's host: the reply left v2 with 64.
        self.assertEqual(self.ping_ttls("v1", "10.2.0.12"), [63, 63, 63])
        self.assertEqual(self.ping_ttls("v2", "10.1.0.11"), [63, 63, 63])
        self.assertEqual(self.ping_ttls("v2", "10.1.0.13"), [63, 63, 63])
        # Same subnet, across hosts: not routed, TTL untouched.
        self.assertEqual(self.ping_ttls("v1", "10.1.0.13"), [64, 64, 64])
        # The router answers on both its addresses (its own echo reply, TTL 64).
        for ip in ("10.1.0.1", "10.2.0.1"):
            self.assertEqual(self.ping_ttls("v1", ip), [64, 64, 64], ip)
            self.assertEqual(self.ping_ttls("v2", ip), [64, 64, 64], ip)
        # The gateway's ARP is answered with the router's interface MAC.
        with urllib.request.urlopen(f"{self.lab.endpoint}/v2.0/ports", timeout=30) as resp:
            ports = json.loads(resp.read())["ports"]
        macs = {p["mac_address"].lower() for p in ports
                if p["device_id"] == router["id"] and p["device_owner"] == "network:router_interface"}
        self.assertEqual(len(macs), 2)
        self.assertIn(self.lab.neighbour_mac("v1", "10.1.0.1"), macs)
        self.assertIn(self.lab.neighbour_mac("v2", "10.2.0.1"), macs)

        self.transfer("v1", "v2", "10.2.0.12", 5201, 4_000_000, 1)
        self.transfer("v2", "v1", "10.1.0.11", 5202, 4_000_000, 2)
        self.transfer("v3", "v2", "10.2.0.12", 5203, 1_000_000, 3)

        # Each host routed what its own VMs sent (3 pings to net2 from hv1, ...).
        for host in ("hv1", "hv2", "hv3"):
            self.assertGreater(self.router_counter(host, "routed"), routed_before[host], host)
        self.assertGreater(self.router_counter("hv1", "echo_replies"), 0)

        # Removing the interface on net2 ends the routing between the subnets.
        self.openstack("router", "remove", "subnet", router["id"], ids["rt-net2"][1], output=False)
        self.wait_until(lambda: not self.lab.ping("v1", "10.2.0.12", wait=1), 30,
                        "v1 still reaches 10.2.0.12 after the router left the subnet")

    # --- (b) two tenants, identical addresses -----------------------------------------------
    def tenant(self, tag, hosts):
        project = labkit.new_project()
        nets = {}
        for suffix, cidr in (("n0", "10.0.0.0/24"), ("n9", "10.9.0.0/24")):
            net = self.lab.cli("network", "create", f"{tag}-{suffix}", "--project", project)
            sub = self.lab.cli("subnet", "create", f"{tag}-{suffix}-sub", "--network", net["id"], "--cidr", cidr,
                               "--project", project)
            nets[suffix] = (net, sub)
        router = self.lab.cli("router", "create", f"{tag}-router", "--project", project)
        for net, sub in nets.values():
            self.lab.cli("router", "add", "subnet", router["id"], sub["id"])
        for vm, suffix, host, ip in ((f"{tag}1", "n0", hosts[0], "10.0.0.11"), (f"{tag}2", "n9", hosts[1], "10.9.0.12")):
            port = self.lab.cli("port", "create", vm + "-port", "--network", nets[suffix][0]["id"], "--host", host,
                                "--fixed-ip", f"ip={ip}", "--project", project)
            self.vm(vm, port)

    def test_two_tenants_with_identical_subnets_route_apart(self):
        self.tenant("a", ("hv1", "hv2"))
        self.tenant("b", ("hv1", "hv3"))
        self.wait_ping("a1", "10.9.0.12")
        self.wait_ping("b1", "10.9.0.12")
        self.wait_ping("a2", "10.0.0.11")
        self.wait_ping("b2", "10.0.0.11")

        servers = {vm: self.start(vm, ECHO_SERVER, vm, str(ECHO_PORT)) for vm in ("a2", "b2")}
        for vm, proc in servers.items():
            self.assertEqual(proc.stdout.readline().strip(), "ready", vm)
        clients = {vm: self.start(vm, ECHO_CLIENT, f"from-{vm}", "10.9.0.12", str(ECHO_PORT), str(MESSAGES))
                   for vm in ("a1", "b1")}
        replies = {vm: json.loads(proc.communicate(timeout=60)[0]) for vm, proc in clients.items()}
        received = {vm: json.loads(proc.communicate(timeout=60)[0]) for vm, proc in servers.items()}

        for tenant in ("a", "b"):
            server, client = f"{tenant}2", f"{tenant}1"
            got = received[server]
            self.assertGreaterEqual(len(got), MESSAGES - 2, f"{server} got too little: {got}")
            # Every datagram the server got is its own tenant's, from 10.0.0.11 routed.
            self.assertEqual({payload.split()[0] for payload, _ in got}, {f"from-{client}"}, server)
            self.assertEqual({source for _, source in got}, {"10.0.0.11"}, server)
            self.assertGreaterEqual(len(replies[client]), MESSAGES - 2, f"{client} got too few replies")
            self.assertEqual({r.split()[0] for r in replies[client]}, {server}, client)

        # Each tenant's VMs also reach their own router's addresses, with the same numbers.
        for vm in ("a1", "b1"):
            self.assertEqual(self.ping_ttls(vm, "10.9.0.1"), [64, 64, 64], vm)
            self.assertEqual(self.ping_ttls(vm, "10.9.0.12"), [63, 63, 63], vm)


if __name__ == "__main__":
    unittest.main(verbosity=2)

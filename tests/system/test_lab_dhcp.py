"""`overcast lab vm` configures its VM by DHCP (issue 6, section 2), with busybox's udhcpc
running in the VM and the agent of the VM's own hypervisor answering:
  - the VM gets its port's fixed IP and mask, the subnet's gateway as default route, the
    subnet's host route, and the network's MTU (option 26: the lab starts the interface at
    1500, so only the lease can bring it to the network's); it then reaches the other VM;
  - a renewal (udhcpc's SIGUSR1) goes unicast to the server identifier, the subnet's
    gateway: the VM ARPs for it first and the agent answers with the DHCP server's MAC,
    then answers the renewal with a unicast ACK (seen by tshark on the VM's interface);
  - re-attached with --static, the VM's client is stopped;
  - a port whose subnet has DHCP off is refused unless --static.
"""

import json
import os
import signal
import unittest
import urllib.request

import labkit

DHCP_SERVER_MAC = "02:6f:63:00:00:01"


class LabVmDhcp(labkit.LabTestCase):
    HOSTS = 2
    TOOLS = ("tshark",)

    def setUp(self):
        if not any(os.access(os.path.join(d, "udhcpc"), os.X_OK)
                   for d in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin", "/sbin"]):
            print(labkit.SKIP_MARK, "udhcpc is not installed (scripts/install-deps.sh)", flush=True)
            self.skipTest("udhcpc is not installed")
        super().setUp()
        self.project = labkit.new_project()
        self.net = self.lab.cli("network", "create", "dhcp-net", "--project", self.project)
        self.subnet = self.post("subnets", {
            "name": "dhcp-sub", "network_id": self.net["id"], "ip_version": 4, "cidr": "10.0.0.0/24",
            "gateway_ip": "10.0.0.1", "tenant_id": self.project,
            "host_routes": [{"destination": "192.0.2.0/24", "nexthop": "10.0.0.254"}]})

    def post(self, collection, body):
        key = collection[:-1]
        req = urllib.request.Request(f"{self.lab.endpoint}/v2.0/{collection}", data=json.dumps({key: body}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())[key]

    def port(self, name, host, ip, network_id=None):
        return self.lab.cli("port", "create", name, "--network", network_id or self.net["id"], "--host", host,
                            "--fixed-ip", f"ip={ip}", "--project", self.project)

    def vm_json(self, vm, *cmd):
        return json.loads(self.lab.exec(vm, *cmd, check=True).stdout or "[]")

    def dhcp_replies(self, host):
        return self.lab.agent(host, "/counters")["stages"]["dhcp_responder"]["replies"]

    def client_log(self, vm):
        with open(os.path.join(self.lab.state_dir, f"dhcp-{vm}.log"), errors="replace") as f:
            return f.read()

    def test_vm_gets_address_gateway_routes_and_mtu_by_dhcp_and_renews(self):
        mtu = self.net.get("mtu", 1450)
        self.assertLess(mtu, 1500, "the network's MTU must differ from a fresh NIC's for this test to mean anything")
        v1_port = self.port("v1-port", "hv1", "10.0.0.11")
        self.port("v2-port", "hv2", "10.0.0.12")
        replies_before = self.dhcp_replies("hv1")
        out = self.lab.lab("vm", "v1", "--port", v1_port["id"]).stdout
        self.lab.lab("vm", "v2", "--port", "v2-port")
        print(out)
        self.assertIn("by DHCP", out)
        vms = {vm["name"]: vm for vm in self.lab.status()["vms"]}
        self.assertTrue(vms["v1"]["dhcp"] and vms["v2"]["dhcp"])
        tap = vms["v1"]["tap"]

        link = self.vm_json("v1", "ip", "-j", "-4", "addr", "show", "dev", tap)[0]
        self.assertEqual([(a["local"], a["prefixlen"]) for a in link["addr_info"]], [("10.0.0.11", 24)])
        self.assertEqual(link["mtu"], mtu, "option 26 was not applied")
        routes = {(r["dst"], r.get("gateway")) for r in self.vm_json("v1", "ip", "-j", "-4", "route", "show",
                                                                       "proto", "dhcp")}
        self.assertEqual(routes, {("default", "10.0.0.1"), ("192.0.2.0/24", "10.0.0.254")})
        self.assertGreaterEqual(self.dhcp_replies("hv1") - replies_before, 2, "no OFFER and ACK from hv1")
        self.assertTrue(self.lab.ping("v1", "10.0.0.12", count=3, wait=2, interval=0.2), "v1 does not reach v2")

        # Renewal: unicast to the server identifier (10.0.0.1), which must answer ARP.
        self.lab.exec("v1", "ip", "neigh", "flush", "all", check=True)
        replies_before = self.dhcp_replies("hv1")
        renewals_before = self.client_log("v1").count("udhcpc renew on")
        with self.lab.capture([tap], "arp or udp port 67", ns="v1") as pcap:
            os.kill(self.lab.daemon_pid("dhcp-v1"), signal.SIGUSR1)
            self.wait_until(lambda: self.client_log("v1").count("udhcpc renew on") > renewals_before, 20,
                            "v1's renewal was not answered:\n" + self.client_log("v1")[-2000:])
        self.assertEqual(self.lab.neighbour_mac("v1", "10.0.0.1"), DHCP_SERVER_MAC)
        self.assertGreater(self.dhcp_replies("hv1"), replies_before)
        # On the VM's wire (tshark): the unicast REQUEST to the server's MAC and address, and
        # the server's unicast ACK. (udhcpc may miss that ACK: it sends from a socket it closes
        # at once, and an answer within microseconds can reach that socket first; it then
        # broadcasts the renewal, which is answered too. The server's side is what we test.)
        frames = labkit.run(["tshark", "-n", "-r", pcap, "-Y", "dhcp", "-T", "fields", "-e", "eth.dst",
                             "-e", "ip.src", "-e", "ip.dst", "-e", "dhcp.option.dhcp"]).stdout.split("\n")
        frames = [tuple(line.split("\t")) for line in frames if line.strip()]
        print("DHCP on v1's wire during the renewal:", frames)
        self.assertIn((DHCP_SERVER_MAC, "10.0.0.11", "10.0.0.1", "3"), frames, "no unicast REQUEST")
        self.assertIn((v1_port["mac_address"].lower(), "10.0.0.1", "10.0.0.11", "5"), frames, "no unicast ACK")
        link = self.vm_json("v1", "ip", "-j", "-4", "addr", "show", "dev", tap)[0]
        self.assertEqual([a["local"] for a in link["addr_info"]], ["10.0.0.11"])
        self.assertTrue(self.lab.ping("v1", "10.0.0.12", wait=2), "v1 lost v2 after its renewal")
        print("v1's DHCP client:\n" + "".join(self.client_log("v1").splitlines(True)[-4:]))

        # Attached again with --static: its DHCP client is stopped, the address set directly.
        self.assertEqual(len(labkit.run(["ip", "netns", "pids", self.lab.netns("v1")]).stdout.split()), 1)
        self.lab.lab("vm", "v1", "--port", v1_port["id"], "--static")
        self.assertEqual(labkit.run(["ip", "netns", "pids", self.lab.netns("v1")]).stdout.split(), [])
        self.assertFalse(next(v for v in self.lab.status()["vms"] if v["name"] == "v1")["dhcp"])
        self.assertTrue(self.lab.ping("v1", "10.0.0.12", wait=2), "v1 lost v2 once static")

    def test_subnet_without_dhcp_needs_static(self):
        net = self.lab.cli("network", "create", "static-net", "--project", self.project)
        self.post("subnets", {"name": "static-sub", "network_id": net["id"], "ip_version": 4,
                              "cidr": "10.5.0.0/24", "enable_dhcp": False, "tenant_id": self.project})
        port = self.port("s1-port", "hv1", "10.5.0.11", network_id=net["id"])
        proc = self.lab.lab("vm", "s1", "--port", port["id"], check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--static", proc.stderr)
        self.lab.lab("vm", "s1", "--port", port["id"], "--static")
        link = self.vm_json("s1", "ip", "-j", "-4", "addr", "show")
        self.assertIn("10.5.0.11", [a["local"] for l in link for a in l.get("addr_info", [])])


if __name__ == "__main__":
    unittest.main(verbosity=2)

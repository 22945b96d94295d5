"""Port security and DHCP at the edge, with scapy (which shares no code with ours) on the
VMs' side:
  - a VM that forges its source IP reaches no one: the other VM receives none of those
    datagrams but every genuine one sent right after, and the sender's agent counts the
    forged ones as `spoofed` drops (stage port_security, spoofed_ip);
  - a VM asking by DHCP (DISCOVER, then REQUEST) gets its port's fixed IP, the subnet's
    gateway and mask and the network's MTU, from its own hypervisor's agent: the other
    agent sees no DHCP at all."""

import json
import subprocess
import unittest

import labkit

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw, raw
except ImportError:  # reported as a skip in setUp
    Ether = None

FORGED = 20
GENUINE = 5
RECEIVER_PORT = 40001

# Runs in the receiving VM: prints "ready", then every payload received until quiet.
RECEIVER = r"""
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(3)
print("ready", flush=True)
got = []
try:
    while True:
        data, addr = s.recvfrom(2048)
        got.append([data.decode(errors="replace"), addr[0]])
except socket.timeout:
    pass
print(json.dumps(got), flush=True)
"""

# Runs in a VM: sends the given frames unchanged on its interface.
SENDER = r"""
import json, socket, sys, time
job = json.load(sys.stdin)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((job["iface"], 0))
for h in job["frames"]:
    s.send(bytes.fromhex(h))
    time.sleep(0.002)
print(len(job["frames"]))
"""

# Runs in a VM: DISCOVER then REQUEST with scapy, prints what OFFER and ACK said.
DHCP_CLIENT = r"""
import json, random, socket, sys, time
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
job = json.load(sys.stdin)
mac = job["mac"]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((job["iface"], 0))
s.settimeout(0.5)

def exchange(options):
    xid = random.getrandbits(32)
    frame = (Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / IP(src="0.0.0.0", dst="255.255.255.255") /
             UDP(sport=68, dport=67) /
             BOOTP(chaddr=bytes.fromhex(mac.replace(":", "")) + b"\0" * 10, xid=xid, flags=0x8000) /
             DHCP(options=options + [("param_req_list", [1, 3, 6, 26, 51, 54]), "end"]))
    s.send(bytes(frame))
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            data = s.recv(4096)
        except socket.timeout:
            continue
        f = Ether(data)
        if f.haslayer(BOOTP) and f.haslayer(UDP) and f[UDP].sport == 67 and f[BOOTP].xid == xid:
            opts = {o[0]: o[1] for o in f[DHCP].options if isinstance(o, tuple) and len(o) == 2}
            return {"yiaddr": f[BOOTP].yiaddr, "src_mac": f[Ether].src,
                    "type": opts.get("message-type"), "router": opts.get("router"),
                    "subnet_mask": opts.get("subnet_mask"), "mtu": opts.get("interface-mtu"),
                    "server_id": opts.get("server_id")}
    return None

offer = exchange([("message-type", "discover")])
ack = None
if offer:
    ack = exchange([("message-type", "request"), ("requested_addr", offer["yiaddr"]),
                    ("server_id", offer["server_id"])])
print(json.dumps({"offer": offer, "ack": ack}))
"""


class PortSecurityAndDhcp(labkit.LabTestCase):
    HOSTS = 2

    def setUp(self):
        if Ether is None:
            print(labkit.SKIP_MARK, "scapy is not importable", flush=True)
            self.skipTest("scapy is not importable")
        super().setUp()
        project = labkit.new_project()
        self.net = self.lab.network("ps-net", project)  # 10.0.0.0/24: gateway 10.0.0.1 by default
        self.vms = {}
        for name, host, ip in (("v1", "hv1", "10.0.0.11"), ("v2", "hv2", "10.0.0.12")):
            port = self.lab.vm(name, self.net["id"], host, ip, project)
            self.assertTrue(port.get("port_security_enabled", True), "ports get port security by default")
            self.vms[name] = {"host": host, "ip": ip, "mac": port["mac_address"].lower()}
        for vm in self.lab.status()["vms"]:
            self.vms[vm["name"]]["tap"] = vm["tap"]
        self.wait_until(lambda: self.lab.ping("v1", "10.0.0.12", wait=2), 30, "v1 never reached v2")

    def counters(self, host):
        return self.lab.agent(host, "/counters")

    def run_in(self, vm, script, job, timeout=60):
        proc = subprocess.run(["ip", "netns", "exec", self.lab.netns(vm), "/usr/bin/python3", "-c", script],
                              input=json.dumps(job), capture_output=True, text=True, timeout=timeout)
        self.assertEqual(proc.returncode, 0, f"{vm}: {proc.stderr}")
        return proc.stdout

    def test_forged_source_ip_reaches_no_one_and_is_counted(self):
        v1, v2 = self.vms["v1"], self.vms["v2"]

        def datagram(src_ip, text):
            return raw(Ether(dst=v2["mac"], src=v1["mac"]) / IP(src=src_ip, dst=v2["ip"]) /
                       UDP(sport=40000, dport=RECEIVER_PORT) / Raw(text.encode())).hex()

        frames = [datagram("10.0.0.99", f"forged-{i}") for i in range(FORGED)]
        frames += [datagram(v1["ip"], f"genuine-{i}") for i in range(GENUINE)]
        before = self.counters("hv1")
        receiver = subprocess.Popen(["ip", "netns", "exec", self.lab.netns("v2"), "/usr/bin/python3", "-c",
                                     RECEIVER, str(RECEIVER_PORT)], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(receiver.stdout.readline().strip(), "ready")
            self.assertEqual(self.run_in("v1", SENDER, {"iface": v1["tap"], "frames": frames}).strip(),
                             str(len(frames)))
            out, _ = receiver.communicate(timeout=30)
        finally:
            if receiver.poll() is None:
                receiver.kill()
                receiver.wait()
        got = json.loads(out.strip().splitlines()[-1])
        texts = sorted(text for text, _ in got)
        print(f"v2 received {texts}")
        self.assertEqual(texts, sorted(f"genuine-{i}" for i in range(GENUINE)),
                         "forged datagrams reached v2, or genuine ones did not")
        after = self.counters("hv1")
        spoofed = after["drops"]["spoofed"] - before["drops"].get("spoofed", 0)
        spoofed_ip = (after["stages"]["port_security"]["spoofed_ip"] -
                      before["stages"]["port_security"]["spoofed_ip"])
        print(f"hv1 drops: spoofed +{spoofed}, port_security.spoofed_ip +{spoofed_ip}")
        self.assertEqual(spoofed, FORGED)
        self.assertEqual(spoofed_ip, FORGED)

    def test_dhcp_gives_the_fixed_ip_gateway_and_mtu_from_the_local_agent(self):
        v1 = self.vms["v1"]
        hv2_before = self.counters("hv2")["stages"]["dhcp_responder"]["requests"]
        result = json.loads(self.run_in("v1", DHCP_CLIENT, {"iface": v1["tap"], "mac": v1["mac"]}))
        print(f"DHCP: {result}")
        offer, ack = result["offer"], result["ack"]
        self.assertIsNotNone(offer, "no OFFER")
        self.assertIsNotNone(ack, "no ACK")
        self.assertEqual(offer["type"], 2)  # OFFER
        self.assertEqual(ack["type"], 5)    # ACK
        for reply in (offer, ack):
            self.assertEqual(reply["yiaddr"], v1["ip"])
            self.assertEqual(reply["router"], "10.0.0.1")
            self.assertEqual(reply["subnet_mask"], "255.255.255.0")
            self.assertEqual(reply["mtu"], self.net.get("mtu", 1450))
        hv1 = self.counters("hv1")["stages"]
        self.assertGreaterEqual(hv1["dhcp"]["replied"], 2)
        self.assertEqual(self.counters("hv2")["stages"]["dhcp_responder"]["requests"], hv2_before,
                         "a DHCP request left v1's hypervisor")


if __name__ == "__main__":
    unittest.main(verbosity=2)

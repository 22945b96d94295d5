"""Offloads end to end: VMs whose TAPs take TSO super-frames and partial checksums, tunnel
transmit with UDP GSO, tunnel receive with UDP GRO and user-space GRO, and the path-MTU rules.

Every transfer is checked byte for byte (SHA-256 at both ends) — the VMs' own TCP stacks
verify every checksum we produce on the way:
- TCP over IPv4 and IPv6 in both directions, with random write sizes (odd segment sizes,
  PSH in odd places, 64 KB super-frames);
- several flows at once, TCP and UDP mixed, so GRO sees interleaved flows;
- non-TCP traffic larger than the MTU (fragmented by the VM) still crosses;
- a VM whose MTU is larger than its network's: DF packets get ICMP "fragmentation needed"
  back (and the VM's TCP adapts), non-DF packets are fragmented by the data plane.
The agents' counters show that the offload paths were really taken (super-frames read from
TAPs, datagrams merged on receive), so a data plane that silently fell back to one frame
per syscall would fail here."""

import json
import os
import subprocess
import sys
import time
import unittest

import labkit

BULK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bulk_transfer.py")
V1_IP, V2_IP = "10.0.0.11", "10.0.0.12"
V1_IP6, V2_IP6 = "fd00:0:0:1::11", "fd00:0:0:1::12"


class OffloadPaths(labkit.LabTestCase):
    HOSTS = 2

    def setUp(self):
        super().setUp()
        project = labkit.new_project()
        net = self.lab.network("off-net", project)
        self.mtu = int(net["mtu"])
        ports = {"v1": self.lab.vm("v1", net["id"], "hv1", V1_IP, project),
                 "v2": self.lab.vm("v2", net["id"], "hv2", V2_IP, project)}
        for (vm, ip6), host in zip((("v1", V1_IP6), ("v2", V2_IP6)), ("hv1", "hv2")):
            # The IPv6 addresses below are not the ports' fixed IPs: port security lets the
            # VMs send from them only as allowed address pairs, as Neutron would.
            port_id = ports[vm]["id"]
            self.lab.update_port(port_id, {"allowed_address_pairs": [{"ip_address": ip6}]})
            self.wait_until(lambda: [p["ip_address"] for p in
                                     (self.lab.agent_port(host, port_id) or {}).get("allowed_address_pairs", [])]
                            == [ip6], 20, f"{host} never got {vm}'s address pair")
            # The lab keeps IPv6 off on VM interfaces (no router solicitations in captures).
            self.lab.exec(vm, "sysctl", "-qw", f"net.ipv6.conf.{self.ifname(vm)}.disable_ipv6=0",
                          check=True)
            self.lab.exec(vm, "ip", "-6", "addr", "add", f"{ip6}/64", "dev", self.ifname(vm),
                          "nodad", check=True)
        self.assertTrue(self.lab.ping("v1", V2_IP, count=3, wait=2), "no basic connectivity")

    # --- helpers --------------------------------------------------------------------------
    def ifname(self, vm):
        """The VM's interface: its port's TAP, moved into the VM namespace."""
        links = json.loads(self.lab.exec(vm, "ip", "-j", "link", "show", check=True).stdout)
        names = [link["ifname"] for link in links if link["ifname"] != "lo"]
        self.assertEqual(len(names), 1, names)
        return names[0]

    def start_server(self, vm, port, v6=False):
        cmd = ["ip", "netns", "exec", self.lab.netns(vm), sys.executable, "-u", BULK, "server",
               str(port)] + (["--v6"] if v6 else [])
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertEqual(proc.stdout.readline().strip(), "listening")
        return proc

    def transfer(self, src, dst, dst_ip, port, size, seed, v6=False):
        server = self.start_server(dst, port, v6)
        client = self.lab.exec(src, sys.executable, BULK, "client", dst_ip, str(port), str(size),
                               str(seed), timeout=120)
        self.assertEqual(client.returncode, 0, client.stderr)
        out, err = server.communicate(timeout=60)
        self.assertEqual(server.returncode, 0, err)
        self.assertEqual(out.split(), client.stdout.split(),
                         f"{src}->{dst} {dst_ip}: bytes differ (sent, received)")

    def counters(self, host):
        return self.lab.agent(host, "/counters")

    def tap_rx(self, host):
        ports = self.counters(host)["ports"]
        return sum(p["rx_packets"] for p in ports), sum(p["rx_bytes"] for p in ports)

    def gro_merged(self, host):
        return self.counters(host)["stages"].get("tunnel_gro", {}).get("merged", 0)

    def stage(self, host, name, counter):
        return self.counters(host)["stages"].get(name, {}).get(counter, 0)

    def drops(self, host, reason):
        return self.counters(host)["drops"].get(reason, 0)

    # --- tests ----------------------------------------------------------------------------
    def test_tcp_both_ways_v4_and_v6_with_super_frames_and_gro(self):
        rx_before = self.tap_rx("hv1")
        merged_before = self.gro_merged("hv2")
        self.transfer("v1", "v2", V2_IP, 5001, 24 << 20, 1)
        self.transfer("v2", "v1", V1_IP, 5002, 8 << 20, 2)
        self.transfer("v1", "v2", V2_IP6, 5003, 16 << 20, 3, v6=True)
        self.transfer("v2", "v1", V1_IP6, 5004, 8 << 20, 4, v6=True)
        packets, octets = (a - b for a, b in zip(self.tap_rx("hv1"), rx_before))
        # v1 sent ~40 MB: one frame per MTU would be ~28,000 frames of ~1450 bytes.
        self.assertGreater(octets / max(packets, 1), 2 * self.mtu,
                           f"v1's TAP gave {packets} frames for {octets} bytes: no TSO super-frames")
        self.assertGreater(self.gro_merged("hv2") - merged_before, 1000,
                           "hv2 merged no received segments (UDP GRO / user-space GRO not used)")
        for host in ("hv1", "hv2"):
            self.assertEqual(self.drops(host, "bad_offload"), 0, self.counters(host)["drops"])

    def test_mixed_flows_and_non_tcp(self):
        servers = [(self.start_server("v2", 5100 + i), i) for i in range(3)]
        clients = [subprocess.Popen(["ip", "netns", "exec", self.lab.netns("v1"), sys.executable,
                                     BULK, "client", V2_IP, str(5100 + i), str(6 << 20), str(10 + i)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for i in range(3)]
        # UDP alongside: 300 datagrams of 1200 bytes, counted at the receiver.
        udp_rx = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.netns("v2"), sys.executable, "-c",
             "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
             "s.bind(('0.0.0.0',6000));s.settimeout(5);n=0\n"
             "try:\n while True:\n  d=s.recv(65535);n+=1 if len(d)==1200 else 0\n"
             "except OSError: pass\nprint(n)"], stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        self.lab.exec("v1", sys.executable, "-c",
                      "import socket,time;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                      f"for i in range(300):\n s.sendto(bytes(1200),('{V2_IP}',6000));time.sleep(0.002)",
                      check=True)
        for (server, _), client in zip(servers, clients):
            c_out, c_err = client.communicate(timeout=120)
            self.assertEqual(client.returncode, 0, c_err)
            s_out, s_err = server.communicate(timeout=60)
            self.assertEqual(s_out.split(), c_out.split(), "a concurrent flow's bytes differ")
        received = int(udp_rx.communicate(timeout=30)[0].strip() or 0)
        self.assertGreaterEqual(received, 290, "UDP datagrams lost beside the TCP flows")
        # Larger than the MTU, not TCP: the VM fragments, fragments cross.
        self.assertTrue(self.lab.ping("v1", V2_IP, count=3, wait=2) and
                        self.lab.exec("v1", "ping", "-n", "-c", "3", "-W", "2", "-s", "4000",
                                      V2_IP).returncode == 0, "large ICMP did not cross")
        self.assertEqual(self.lab.exec("v1", "ping", "-6", "-n", "-c", "3", "-W", "2", "-s", "3000",
                                       V2_IP6).returncode, 0, "large ICMPv6 did not cross")

    def test_vm_mtu_larger_than_the_network(self):
        big = self.mtu + 1500
        for vm in ("v1", "v2"):
            self.lab.exec(vm, "ip", "link", "set", self.ifname(vm), "mtu", str(big), check=True)
        replied_before = self.stage("hv1", "path_mtu", "replied")
        fragmented_before = self.stage("hv1", "path_mtu", "fragmented")
        # DF set: answered with "fragmentation needed", which the VM's ping reports.
        proc = self.lab.exec("v1", "ping", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", str(big - 100),
                             V2_IP)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(f"mtu = {self.mtu}", proc.stdout + proc.stderr)
        self.assertGreater(self.stage("hv1", "path_mtu", "replied"), replied_before)
        # No DF: fragmented by hv1 on the way, reassembled by v2, echoed back.
        self.lab.exec("v1", "ip", "route", "flush", "cache")
        self.assertEqual(self.lab.exec("v1", "ping", "-n", "-c", "3", "-W", "2", "-M", "dont", "-s",
                                       str(big - 100), V2_IP).returncode, 0,
                         "a non-DF packet larger than the network MTU did not cross")
        self.assertGreater(self.stage("hv1", "path_mtu", "fragmented"), fragmented_before)
        # IPv6: "packet too big" back to the sender.
        proc = self.lab.exec("v1", "ping", "-6", "-n", "-c", "1", "-W", "2", "-M", "do", "-s",
                             str(big - 100), V2_IP6)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("mtu", (proc.stdout + proc.stderr).lower())
        # TCP with MSS announced from the big MTU: super-frames are cut small enough, small
        # oversize segments get "fragmentation needed" and the VM's TCP adapts.
        self.lab.exec("v1", "ip", "route", "flush", "cache")
        self.transfer("v1", "v2", V2_IP, 5200, 8 << 20, 20)
        self.transfer("v2", "v1", V1_IP6, 5201, 4 << 20, 21, v6=True)
        self.assertGreater(self.drops("hv1", "too_big"), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""(f) Linux's own VXLAN as a peer: a hypervisor-like namespace with a kernel vxlan device
(nolearning, static bridge fdb entries pointing at the Overcast VTEP), a bridge and a veth
into a VM namespace, exchanging pings with an Overcast VM on the same VNI.

The Overcast side learns of the kernel VTEP as a static VTEP (`overcast host create kvm1
--underlay-ip ...`, a host with no agent) and of the kernel VM as a port bound to that host
(`port create --mac ... --fixed-ip ... --host kvm1`). hv1 then has the kernel VM as a remote
port at the kernel VTEP's address, and that address in the network's flood list.

ARP, checked on the wire (tshark on the kernel peer's fabric link): the Overcast VM's ARP
for the kernel VM is answered on hv1 from the view (no broadcast ARP from it crosses), while
the kernel VM's ARP for the Overcast VM crosses: the kernel floods it to its all-zeros fdb
entry (hv1's VTEP) and hv1 decapsulates the broadcast into the VNI's local ports."""

import os
import subprocess
import sys
import unittest

import labkit

BULK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bulk_transfer.py")

KERNEL_HOST = "kvm1"
KERNEL_VTEP_IP = "172.16.2.200"
KERNEL_VM_IP = "10.0.0.50"
KERNEL_VM_MAC = "02:00:00:00:00:50"
OVERCAST_VM_IP = "10.0.0.11"


class KernelVxlanPeer(labkit.LabTestCase):
    HOSTS = 2

    def ns(self, suffix):
        return f"{self.lab.prefix}-{suffix}"

    def ip(self, *args):
        return labkit.run(["ip", *args])

    def build_kernel_peer(self, vni, overcast_vtep, overcast_vm_mac):
        p = self.lab.prefix
        host_ns, vm_ns = self.ns("kv"), self.ns("vm-kvm")
        for ns in (host_ns, vm_ns):
            self.ip("netns", "add", ns)
            self.ip("-n", ns, "link", "set", "lo", "up")
        # Underlay: a port of leaf2's bridge in the fabric, like a hypervisor's uplink.
        self.ip("-n", self.lab.netns("fab"), "link", "add", f"{p}-f-kv", "type", "veth",
                "peer", "name", f"{p}-up", "netns", host_ns)
        self.ip("-n", self.lab.netns("fab"), "link", "set", f"{p}-f-kv", "master", f"{p}-leaf2", "up")
        self.ip("-n", host_ns, "address", "add", f"{KERNEL_VTEP_IP}/24", "dev", f"{p}-up")
        self.ip("-n", host_ns, "link", "set", f"{p}-up", "up")
        self.ip("-n", host_ns, "route", "add", "default", "via", "172.16.2.1")
        # Overlay: vxlan + bridge + veth into the VM; routed underlay, so ttl > 1.
        self.ip("-n", host_ns, "link", "add", f"{p}-vx", "type", "vxlan", "id", str(vni),
                "local", KERNEL_VTEP_IP, "dstport", "4789", "nolearning", "ttl", "16")
        self.ip("-n", host_ns, "link", "add", f"{p}-kbr", "type", "bridge")
        self.ip("-n", host_ns, "link", "set", f"{p}-vx", "master", f"{p}-kbr", "mtu", "1450", "up")
        self.ip("-n", host_ns, "link", "add", f"{p}-kp", "type", "veth", "peer", "name", "eth0",
                "netns", vm_ns)
        self.ip("-n", host_ns, "link", "set", f"{p}-kp", "master", f"{p}-kbr", "mtu", "1450", "up")
        self.ip("-n", host_ns, "link", "set", f"{p}-kbr", "up")
        self.ip("-n", vm_ns, "link", "set", "eth0", "address", KERNEL_VM_MAC, "mtu", "1450", "up")
        self.ip("-n", vm_ns, "address", "add", f"{KERNEL_VM_IP}/24", "dev", "eth0")
        labkit.run(["bridge", "-n", host_ns, "fdb", "append", "00:00:00:00:00:00", "dev",
                    f"{p}-vx", "dst", overcast_vtep])
        labkit.run(["bridge", "-n", host_ns, "fdb", "add", overcast_vm_mac, "dev", f"{p}-vx",
                    "dst", overcast_vtep])
        return host_ns, vm_ns

    def register_foreign_vtep(self, network_id, project):
        """Declares the kernel VTEP as a static host and the kernel VM as a port on it, then
        waits until hv1's agent has the kernel VM as a remote port behind that VTEP."""
        vtep = self.lab.cli("host", "create", KERNEL_HOST, "--underlay-ip", KERNEL_VTEP_IP)
        self.assertEqual(vtep["agent_type"], "Static VTEP")
        self.assertTrue(vtep["alive"])
        hosts = {h["host"]: h for h in self.lab.cli("host", "list")}
        self.assertEqual(hosts[KERNEL_HOST]["configurations"]["tunneling_ip"], KERNEL_VTEP_IP)
        port = self.lab.cli("port", "create", "kvm-vm-port", "--network", network_id,
                            "--mac", KERNEL_VM_MAC, "--fixed-ip", f"ip={KERNEL_VM_IP}",
                            "--host", KERNEL_HOST, "--project", project)
        self.assertEqual(port["binding:host_id"], KERNEL_HOST)
        self.assertEqual(port["mac_address"], KERNEL_VM_MAC)

        def hv1_knows_the_kernel_vm():
            view = self.lab.agent("hv1", "/view")
            remote = [r for r in view["remote_ports"] if r["port_id"] == port["id"]]
            floods = [n for n in view["networks"] if n["network_id"] == network_id]
            return (remote and remote[0]["vtep_ip"] == KERNEL_VTEP_IP
                    and KERNEL_VM_IP in remote[0]["ips"]
                    and floods and KERNEL_VTEP_IP in floods[0]["flood_vteps"])
        self.wait_until(hv1_knows_the_kernel_vm, 15,
                        "hv1's view never had the kernel VM behind the static VTEP")
        # A static host with a port bound cannot be deleted from under it (409).
        refused = self.lab.cli("host", "delete", KERNEL_HOST, check=False)
        self.assertEqual(refused.returncode, 1, refused.stderr)
        self.assertIn("bound", refused.stderr)
        return port

    def arp_responder_replies(self):
        stages = self.lab.agent("hv1", "/counters")["stages"]
        return stages["arp_responder"]["replied"]

    def test_kernel_vxlan_exchanges_pings_with_an_overcast_vm(self):
        project = labkit.new_project()
        net = self.lab.network("k-net", project)
        vni = net.get("provider:segmentation_id", net.get("vni"))
        port = self.lab.vm("o1", net["id"], "hv1", OVERCAST_VM_IP, project)
        hv1 = next(h for h in self.lab.status()["hosts"] if h["name"] == "hv1")
        host_ns, vm_ns = self.build_kernel_peer(vni, hv1["underlay_ip"],
                                                port["mac_address"].lower())
        # The kernel side is sound: its VTEP reaches the Overcast VTEP across the fabric.
        self.assertEqual(labkit.run(["ip", "netns", "exec", host_ns, "ping", "-c", "1", "-W",
                                     "2", hv1["underlay_ip"]], check=False).returncode, 0)
        try:
            self.register_foreign_vtep(net["id"], project)
        except unittest.SkipTest as skip:
            print(labkit.SKIP_MARK, skip, flush=True)
            raise
        o1_mac = port["mac_address"].lower()
        replies_before = self.arp_responder_replies()
        with self.lab.capture([f"{self.lab.prefix}-f-kv"]) as pcap:
            # Overcast VM -> kernel VM first; it also covers the capture's first moments,
            # which tshark may miss even after saying "Capturing on".
            self.assertTrue(self.lab.ping("o1", KERNEL_VM_IP, count=3, wait=2))
            # Then each side resolves the other with an empty neighbour cache, on the wire:
            # the kernel VM's ARP must cross, the Overcast VM's is answered on hv1.
            labkit.run(["ip", "-n", vm_ns, "neigh", "flush", "dev", "eth0"])
            self.assertEqual(labkit.run(["ip", "netns", "exec", vm_ns, "ping", "-n", "-c", "3",
                                         "-W", "2", OVERCAST_VM_IP], check=False).returncode, 0)
            self.lab.exec("o1", "ip", "neigh", "flush", "all", check=True)
            self.assertTrue(self.lab.ping("o1", KERNEL_VM_IP, count=3, wait=2))
        self.assertEqual(self.lab.neighbour_mac("o1", KERNEL_VM_IP), KERNEL_VM_MAC)
        self.assertEqual(labkit.run(["ip", "netns", "exec", vm_ns, "ip", "-j", "neigh", "show",
                                     OVERCAST_VM_IP]).stdout.count(o1_mac), 1)

        frames = labkit.decode_vxlan(pcap)
        self.assertTrue(frames, "nothing crossed the kernel peer's fabric link")
        for f in frames:
            self.assertEqual(f["vni"], vni, f)
            self.assertEqual(f["dstport"], "4789", f)
            self.assertFalse(f["malformed"], f)
            self.assertEqual({f["outer_src"], f["outer_dst"]}, {KERNEL_VTEP_IP, hv1["underlay_ip"]}, f)
        icmp = [f for f in frames if f["icmp_type"] is not None]
        self.assertTrue(any(f["icmp_type"] == 8 and f["outer_src"] == hv1["underlay_ip"] for f in icmp))
        self.assertTrue(any(f["icmp_type"] == 8 and f["outer_src"] == KERNEL_VTEP_IP for f in icmp))
        self.assertTrue(any(f["icmp_type"] == 0 and f["outer_src"] == KERNEL_VTEP_IP for f in icmp))
        self.assertTrue(any(f["icmp_type"] == 0 and f["outer_src"] == hv1["underlay_ip"] for f in icmp))
        broadcast_arp = [f for f in frames if f["arp"] and f["inner_dst_mac"] == "ff:ff:ff:ff:ff:ff"]
        # The kernel VM's ARP crossed: flooded by the kernel to hv1, answered by the Overcast VM.
        kernel_arp = [f for f in broadcast_arp if f["inner_src_mac"] == KERNEL_VM_MAC]
        self.assertTrue(kernel_arp, f"the kernel VM's ARP request never crossed to hv1: {frames}")
        self.assertTrue(all(f["outer_dst"] == hv1["underlay_ip"] for f in kernel_arp))
        self.assertTrue(any(f["arp"] and f["inner_src_mac"] == o1_mac and
                            f["inner_dst_mac"] == KERNEL_VM_MAC for f in frames),
                        "the Overcast VM's ARP reply to the kernel VM never crossed")
        # The Overcast VM's ARP did not cross: hv1 answered it from the view.
        self.assertFalse([f for f in broadcast_arp if f["inner_src_mac"] == o1_mac],
                         "the Overcast VM's ARP request was flooded instead of answered on hv1")
        self.assertGreater(self.arp_responder_replies(), replies_before)
        print(f"ARP: o1 -> kernel VM answered locally on hv1; kernel VM -> o1 crossed "
              f"({len(kernel_arp)} broadcast request(s) from {KERNEL_VTEP_IP})", flush=True)

        # TCP both ways, checked byte for byte: the kernel decapsulates what hv1 cut from the
        # Overcast VM's super-frames (UDP GSO sends) and its TCP verifies every checksum; hv1
        # merges what the kernel sends.
        self.bulk(["ip", "netns", "exec", vm_ns], ["ip", "netns", "exec", self.lab.netns("o1")],
                  KERNEL_VM_IP, 5301, 8 << 20, 7)
        self.bulk(["ip", "netns", "exec", self.lab.netns("o1")], ["ip", "netns", "exec", vm_ns],
                  OVERCAST_VM_IP, 5302, 8 << 20, 8)

    def bulk(self, server_prefix, client_prefix, server_ip, port, size, seed):
        server = subprocess.Popen(server_prefix + [sys.executable, "-u", BULK, "server", str(port)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: server.poll() is None and server.kill())
        self.assertEqual(server.stdout.readline().strip(), "listening")
        client = labkit.run(client_prefix + [sys.executable, BULK, "client", server_ip, str(port),
                                             str(size), str(seed)], check=False, timeout=120)
        self.assertEqual(client.returncode, 0, client.stderr)
        out, err = server.communicate(timeout=60)
        self.assertEqual(out.split(), client.stdout.split(), f"TCP to {server_ip}: bytes differ {err}")

if __name__ == "__main__":
    unittest.main(verbosity=2)

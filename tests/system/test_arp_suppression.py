"""(c) ARP stays at the edge: with every neighbour cache flushed, VMs on different
hypervisors ARP for each other and ping; the agents answer ARP locally, so the underlay
capture shows VXLAN-carried ICMP but not one inner ARP frame."""

import unittest

import labkit


class ArpSuppression(labkit.LabTestCase):
    TOOLS = ("tshark",)

    def test_no_arp_crosses_the_underlay(self):
        world = self.two_tenants()
        for vm in world:
            self.lab.exec(vm, "ip", "neigh", "flush", "all", check=True)
        replied_before = self.arp_replies()
        leaves = [f"{self.lab.prefix}-leaf1", f"{self.lab.prefix}-leaf2"]
        with self.lab.capture(leaves) as pcap:
            for src, dst in (("a1", "a2"), ("a2", "a1"), ("b1", "b2"), ("b2", "b1")):
                self.assertTrue(self.lab.ping(src, world[dst]["ip"], count=2, wait=2),
                                f"{src} cannot ping {dst}")
                self.assertEqual(self.lab.neighbour_mac(src, world[dst]["ip"]), world[dst]["mac"])
        frames = labkit.decode_vxlan(pcap)
        arp = [f for f in frames if f["arp"] or f["inner_type"] == "0x0806"]
        icmp = [f for f in frames if f["icmp_type"] is not None]
        print(f"{len(frames)} VXLAN frames, {len(icmp)} ICMP, {len(arp)} ARP")
        self.assertGreater(len(icmp), 0, "the capture saw no overlay traffic at all")
        self.assertEqual(arp, [], "ARP crossed the underlay")
        # The VMs did ARP (their caches were empty) and the agents answered locally.
        answered = self.arp_replies() - replied_before
        print(f"ARP requests answered locally by the agents: {answered}")
        self.assertGreaterEqual(answered, 4)

    def arp_replies(self):
        return sum(self.lab.agent(h, "/counters")["stages"]["arp_responder"]["replied"]
                   for h in ("hv1", "hv2", "hv3"))


if __name__ == "__main__":
    unittest.main(verbosity=2)

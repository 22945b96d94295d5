"""(b) What really crosses the routed underlay: tshark on a leaf bridge of the fabric
router (capture filter "udp port 4789") decodes VXLAN with each tenant's VNI, outer IPs
of the right hypervisors, and intact inner ICMP frames between the right MACs and IPs."""

import unittest

import labkit


class UnderlayCapture(labkit.LabTestCase):
    TOOLS = ("tshark",)

    def test_vxlan_on_the_wire_carries_the_right_vni_and_intact_frames(self):
        world = self.two_tenants()
        hv_ip = {h["name"]: h["underlay_ip"] for h in self.lab.status()["hosts"]}
        # Warm up (ARP is answered locally; this only settles the data plane).
        self.assertTrue(self.lab.ping("a1", world["a2"]["ip"], count=1, wait=2))
        self.assertTrue(self.lab.ping("b1", world["b2"]["ip"], count=1, wait=2))

        leaf1 = f"{self.lab.prefix}-leaf1"
        with self.lab.capture([leaf1]) as pcap:
            self.assertTrue(self.lab.ping("a1", world["a2"]["ip"], count=3, interval=0.2))
            self.assertTrue(self.lab.ping("b1", world["b2"]["ip"], count=3, interval=0.2))
        frames = labkit.decode_vxlan(pcap)
        print(f"{len(frames)} frames captured on {leaf1}")
        for f in frames:
            print(f)

        self.assertFalse([f for f in frames if f["malformed"]], "tshark found malformed frames")
        for vm_src, vm_dst in (("a1", "a2"), ("b1", "b2")):
            s, d = world[vm_src], world[vm_dst]
            for icmp_type, (x, y) in ((8, (s, d)), (0, (d, s))):
                matching = [f for f in frames
                            if f["icmp_type"] == icmp_type and f["inner_ip_src"] == x["ip"]
                            and f["inner_ip_dst"] == y["ip"] and f["vni"] == x["vni"]]
                self.assertGreaterEqual(len(matching), 3,
                                        f"{vm_src}<->{vm_dst} ICMP type {icmp_type} in VNI {x['vni']}")
                for f in matching:
                    self.assertEqual(f["outer_src"], hv_ip[x["host"]])
                    self.assertEqual(f["outer_dst"], hv_ip[y["host"]])
                    self.assertEqual(f["dstport"], "4789")
                    self.assertEqual(f["inner_src_mac"], x["mac"])
                    self.assertEqual(f["inner_dst_mac"], y["mac"])
                    self.assertEqual(f["icmp_checksum"], ["1"], f"inner ICMP checksum: {f}")
                    self.assertNotIn("0", f["ip_checksum"], f"bad IP checksum: {f}")
        # Tenants never share a VNI on the wire.
        vnis_a = {f["vni"] for f in frames if f["inner_src_mac"] in (world["a1"]["mac"], world["a2"]["mac"])}
        vnis_b = {f["vni"] for f in frames if f["inner_src_mac"] in (world["b1"]["mac"], world["b2"]["mac"])}
        self.assertEqual(vnis_a, {world["a1"]["vni"]})
        self.assertEqual(vnis_b, {world["b1"]["vni"]})


if __name__ == "__main__":
    unittest.main(verbosity=2)

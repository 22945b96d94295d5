"""(a) The demo's matrix: two tenants with identical 10.0.0.0/24 networks, two VMs each on
different hypervisors. Every VM pings every other VM's address once; a cell is "reachable"
only if the ping is answered AND the sender's neighbour entry for that address is the
target VM's MAC (a2 and b2 share 10.0.0.12, so a bare ping would not tell them apart).
Same tenant: reachable. Other tenant: never."""

import unittest

import labkit


class TenantIsolation(labkit.LabTestCase):
    def test_same_tenant_reaches_other_tenant_never(self):
        world = self.two_tenants()
        vni_a, vni_b = world["a1"]["vni"], world["b1"]["vni"]
        self.assertIsNotNone(vni_a)
        self.assertNotEqual(vni_a, vni_b, "two networks share a VNI")

        wrong = []
        matrix = []
        for src, s in world.items():
            row = []
            for dst, d in world.items():
                if src == dst:
                    row.append("-")
                    continue
                answered = self.lab.ping(src, d["ip"], count=1, wait=2)
                mac = self.lab.neighbour_mac(src, d["ip"]) if answered else None
                reached = answered and mac == d["mac"]
                row.append("yes" if reached else "no")
                expected = s["tenant"] == d["tenant"]
                if reached != expected:
                    wrong.append(f"{src}->{dst} ({d['ip']}): reached={reached} "
                                 f"answered={answered} mac={mac} expected={expected}")
            matrix.append(f"{src:>4} " + " ".join(f"{c:>4}" for c in row))
        print("      " + " ".join(f"{d:>4}" for d in world))
        print("\n".join(matrix))
        self.assertEqual(wrong, [], "connectivity matrix is wrong")

        # The duplicate address resolves, per tenant, to that tenant's VM.
        self.assertEqual(self.lab.neighbour_mac("a1", "10.0.0.12"), world["a2"]["mac"])
        self.assertTrue(self.lab.ping("b1", "10.0.0.12"))
        self.assertEqual(self.lab.neighbour_mac("b1", "10.0.0.12"), world["b2"]["mac"])


if __name__ == "__main__":
    unittest.main(verbosity=2)

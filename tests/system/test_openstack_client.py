"""(g) The real OpenStack client against the lab's controller, with no Keystone:
`openstack --os-auth-type none --os-endpoint http://127.0.0.1:PORT` creates and lists
networks, subnets and ports; `overcast` sees the same objects."""

import json
import os
import unittest

import labkit


class OpenstackClient(labkit.LabTestCase):
    HOSTS = 1
    TOOLS = ("openstack",)

    def openstack(self, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        proc = labkit.run(["openstack", "--os-auth-type", "none", "--os-endpoint",
                           self.lab.endpoint, *args, "-f", "json"], env=env, timeout=120)
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def test_create_and_list_with_openstack_client(self):
        net = self.openstack("network", "create", "os-net")
        self.assertEqual(net["name"], "os-net")
        subnet = self.openstack("subnet", "create", "os-sub", "--network", net["id"],
                                "--subnet-range", "10.9.0.0/24")
        self.assertEqual(subnet["cidr"], "10.9.0.0/24")
        port = self.openstack("port", "create", "os-port", "--network", net["id"],
                              "--fixed-ip", f"subnet={subnet['id']},ip-address=10.9.0.50",
                              "--host", "hv1")
        self.assertEqual(port["name"], "os-port")

        names = {n["Name"] for n in self.openstack("network", "list")}
        self.assertIn("os-net", names)
        subnets = {s["Name"]: s for s in self.openstack("subnet", "list")}
        self.assertEqual(subnets["os-sub"]["Subnet"], "10.9.0.0/24")
        ports = {p["Name"]: p for p in self.openstack("port", "list")}
        self.assertIn("os-port", ports)
        self.assertIn("10.9.0.50", json.dumps(ports["os-port"]["Fixed IP Addresses"]))

        # Our own CLI reads the same model.
        ours = self.lab.cli("port", "show", port["id"])
        self.assertEqual(ours.get("binding:host_id"), "hv1")

        self.openstack_delete("port", port["id"])
        self.openstack_delete("subnet", subnet["id"])
        self.openstack_delete("network", net["id"])
        self.assertNotIn("os-net", {n["Name"] for n in self.openstack("network", "list")})

    def openstack_delete(self, kind, ident):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        labkit.run(["openstack", "--os-auth-type", "none", "--os-endpoint", self.lab.endpoint,
                    kind, "delete", ident], env=env, timeout=120)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""(e) kill -9 a hypervisor's agent (its VMs' TAPs stay in the kernel, in the VMs'
namespaces): traffic to its VMs stops; `overcast lab up` restarts the agent, which
re-attaches to the TAPs, and connectivity comes back for both tenants."""

import unittest

import labkit


class AgentRestart(labkit.LabTestCase):
    def test_connectivity_returns_after_agent_restart(self):
        world = self.two_tenants()
        self.assertTrue(self.lab.ping("a1", world["a2"]["ip"], wait=2))
        self.assertTrue(self.lab.ping("b1", world["b2"]["ip"], wait=2))

        killed = self.lab.kill_daemon("agent-hv2")  # hv2 holds a2 and b2
        status = {h["name"]: h for h in self.lab.status()["hosts"]}
        self.assertFalse(status["hv2"]["agent"]["alive"])
        self.assertFalse(self.lab.ping("a1", world["a2"]["ip"], count=2, wait=1),
                         "a2 answered with its agent dead: who forwarded?")

        self.lab.up()
        restarted = self.lab.daemon_pid("agent-hv2")
        self.assertNotEqual(killed, restarted)
        for src, dst in (("a1", "a2"), ("a2", "a1"), ("b1", "b2"), ("b2", "b1")):
            self.wait_until(lambda: self.lab.ping(src, world[dst]["ip"], wait=1), 30,
                            f"{src} -> {dst} did not come back after the agent restart")
        vms = {vm["name"]: vm for vm in self.lab.status()["vms"]}
        self.assertTrue(vms["a2"]["present"] and vms["b2"]["present"])
        # Isolation holds after the re-sync too.
        self.assertEqual(self.lab.neighbour_mac("b1", "10.0.0.12"), world["b2"]["mac"])


if __name__ == "__main__":
    unittest.main(verbosity=2)

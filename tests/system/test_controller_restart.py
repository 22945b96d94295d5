"""(d) The data plane does not need the controller: kill -9 the controller in the middle
of a ping between hypervisors, restart it with `overcast lab up` (same database), and the
ping keeps going. Reports the loss; asserts only that most packets got through and that
the model (networks, subnets, ports) came back intact."""

import re
import subprocess
import time
import unittest

import labkit

PING_COUNT = 60
PING_INTERVAL = 0.2


class ControllerRestart(labkit.LabTestCase):
    def model_snapshot(self):
        return {kind: sorted(item["id"] for item in self.lab.cli(kind, "list"))
                for kind in ("network", "subnet", "port")}

    def test_ping_survives_controller_kill_and_restart(self):
        world = self.two_tenants()
        before = self.model_snapshot()
        self.assertEqual(len(before["port"]), 4)
        self.assertTrue(self.lab.ping("a1", world["a2"]["ip"], wait=2))

        ping = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.netns("a1"), "ping", "-n", "-c", str(PING_COUNT),
             "-i", str(PING_INTERVAL), "-W", "1", world["a2"]["ip"]],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(2)
            killed = self.lab.kill_daemon("controller")
            time.sleep(1)
            self.lab.up()
            restarted = self.lab.daemon_pid("controller")
            out, _ = ping.communicate(timeout=PING_COUNT * PING_INTERVAL + 60)
        finally:
            if ping.poll() is None:
                ping.kill()
                ping.wait()
        self.assertNotEqual(killed, restarted)
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        self.assertIsNotNone(m, out)
        sent, received = int(m.group(1)), int(m.group(2))
        print(f"controller pid {killed} killed, {restarted} restarted; "
              f"ping: {sent} sent, {received} received, {sent - received} lost")
        self.assertGreaterEqual(received, sent * 3 // 4, out)

        self.assertEqual(self.model_snapshot(), before, "the model changed across the restart")
        for vm in ("a1", "a2", "b1", "b2"):
            peer = {"a1": "a2", "a2": "a1", "b1": "b2", "b2": "b1"}[vm]
            self.assertTrue(self.lab.ping(vm, world[peer]["ip"], wait=2), f"{vm} -> {peer}")


if __name__ == "__main__":
    unittest.main(verbosity=2)

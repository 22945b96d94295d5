"""Security groups as a stateful distributed firewall, end to end, with the overcast CLI:

  - the project's `default` group lets its members reach each other (ping both ways,
    across hypervisors) and keeps out a VM of another group;
  - a rule opening TCP 80 from a prefix lets a connection in; the answer reaches a VM
    whose group has no ingress rule at all (return traffic needs none);
  - removing that rule cuts a running connection: a long-lived TCP stream stops, and a
    new connection no longer opens;
  - the agents count what they denied (drops `security_group`, stage `security_groups`).

hv1: web 10.0.0.11 (default + web). hv2: client 10.0.0.12 (default), stranger 10.0.0.13
(group `other`: all egress, no ingress)."""

import json
import os
import subprocess
import sys
import time
import unittest

import labkit

PORT = 80

# Runs in the web VM: every connection gets 1 KB every 50 ms until it breaks.
STREAM_SERVER = r"""
import socket, sys, threading, time
def serve(c):
    try:
        while True:
            c.sendall(b"x" * 1024)
            time.sleep(0.05)
    except OSError:
        pass
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""

# Runs in a client VM: connects, then prints the bytes received so far as they come;
# "stalled" once nothing came for `quiet` seconds, "connect-failed" if it never opened,
# "enough" after `limit` bytes (0: no limit).
STREAM_CLIENT = r"""
import socket, sys, time
host, port, quiet, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = socket.socket()
s.settimeout(3)
try:
    s.connect((host, port))
except OSError as e:
    print("connect-failed", e, flush=True)
    sys.exit(0)
print("connected", flush=True)
s.settimeout(0.2)
total, last = 0, time.monotonic()
while True:
    try:
        data = s.recv(65536)
        if not data:
            print("closed", flush=True)
            break
        total += len(data)
        last = time.monotonic()
        if limit and total >= limit:
            print("enough", total, flush=True)
            break
    except socket.timeout:
        if time.monotonic() - last > quiet:
            print("stalled", total, flush=True)
            break
    print("bytes", total, flush=True)
"""


class SecurityGroups(labkit.LabTestCase):
    HOSTS = 2

    def start(self, vm, code, *args):
        """A Python process in `vm`, killed (by its PID) when the test ends."""
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.netns(vm), sys.executable, "-u", "-c", code,
                                 *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.stop, proc)
        return proc

    @staticmethod
    def stop(proc):
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            stream.close()

    def connect_once(self, vm, quiet=1.0):
        """Connects from `vm` to web:80; True if the connection opened and data came."""
        proc = self.lab.exec(vm, sys.executable, "-c", STREAM_CLIENT, self.ips["web"], str(PORT), str(quiet),
                             "4096", timeout=30)
        lines = proc.stdout.split("\n")
        return "connected" in lines and any(l.startswith("bytes") and int(l.split()[1]) > 0 for l in lines)

    def counters(self, host):
        return self.lab.agent(host, "/counters")

    def group_id(self, name, project):
        groups = self.lab.cli("security", "group", "list")
        ids = [g["id"] for g in groups if g["name"] == name and g.get("project_id") == project]
        self.assertEqual(len(ids), 1, f"groups named {name} in project {project}: {groups}")
        return ids[0]

    def wait_groups_applied(self, host, port_id, groups):
        def applied():
            port = self.lab.agent_port(host, port_id)
            return port is not None and sorted(port.get("security_groups", [])) == sorted(groups)
        self.wait_until(applied, 20, f"{host} never held port {port_id} with groups {groups}")

    def test_default_group_rules_return_traffic_and_cutting_a_running_connection(self):
        project = labkit.new_project()
        net = self.lab.network("sg-net", project)
        self.ips = {"web": "10.0.0.11", "client": "10.0.0.12", "stranger": "10.0.0.13"}
        ports = {}
        for name, host in (("web", "hv1"), ("client", "hv2"), ("stranger", "hv2")):
            ports[name] = self.lab.vm(name, net["id"], host, self.ips[name], project)
        default = self.group_id("default", project)
        other = self.lab.cli("security", "group", "create", "other", "--project", project)["id"]
        web = self.lab.cli("security", "group", "create", "web", "--project", project)["id"]
        self.lab.update_port(ports["stranger"]["id"], {"security_groups": [other]})
        self.lab.update_port(ports["web"]["id"], {"security_groups": [default, web]})
        self.wait_groups_applied("hv2", ports["stranger"]["id"], [other])
        self.wait_groups_applied("hv1", ports["web"]["id"], [default, web])

        # The default group: its members reach each other across hypervisors.
        self.wait_until(lambda: self.lab.ping("client", self.ips["web"]), 30, "client never reached web")
        self.assertTrue(self.lab.ping("web", self.ips["client"]), "web did not reach client")

        # A VM of another group is kept out, and the agents count it.
        before = {h: self.counters(h) for h in ("hv1", "hv2")}
        self.assertFalse(self.lab.ping("stranger", self.ips["web"], count=3, wait=1))
        self.assertFalse(self.lab.ping("web", self.ips["stranger"], count=3, wait=1))
        after = {h: self.counters(h) for h in ("hv1", "hv2")}
        delta = lambda h, f: f(after[h]) - f(before[h])
        denied_hv1 = delta("hv1", lambda c: c["drops"]["security_group"])
        denied_hv2 = delta("hv2", lambda c: c["drops"]["security_group"])
        print(f"pings across groups: security_group drops hv1 +{denied_hv1}, hv2 +{denied_hv2}; "
              f"hv1 denied_ingress +{delta('hv1', lambda c: c['stages']['security_groups']['denied_ingress'])}",
              flush=True)
        self.assertGreaterEqual(denied_hv1, 3, "web's host did not count the stranger's pings")
        self.assertGreaterEqual(denied_hv2, 3, "stranger's host did not count web's pings")
        self.assertGreaterEqual(delta("hv1", lambda c: c["stages"]["security_groups"]["denied_ingress"]), 3)
        self.assertGreaterEqual(delta("hv1", lambda c: c["stages"]["firewall"]["denied"]), 3)

        # TCP 80 is closed to the stranger until a rule opens it from its prefix.
        server = self.start("web", STREAM_SERVER, PORT)
        self.assertEqual(server.stdout.readline().strip(), "ready")
        self.assertFalse(self.connect_once("stranger"), "TCP 80 was open before any rule")
        rule = self.lab.cli("security", "group", "rule", "create", web, "--protocol", "tcp",
                            "--dst-port", "80", "--remote-ip", "10.0.0.0/24")
        # The stranger's group has no ingress rule: the answers come in as return traffic.
        self.wait_until(lambda: self.connect_once("stranger"), 20, "the TCP 80 rule never let the stranger in")

        # A long-lived stream, then the rule goes: the running connection stops.
        stream = self.start("stranger", STREAM_CLIENT, self.ips["web"], PORT, 3, 0)
        self.assertEqual(stream.stdout.readline().strip(), "connected")
        received = 0
        deadline = time.monotonic() + 10
        while received < 60 * 1024 and time.monotonic() < deadline:
            line = stream.stdout.readline().split()
            if line and line[0] == "bytes":
                received = int(line[1])
        self.assertGreaterEqual(received, 60 * 1024, "the stream never got going")
        cut_before = self.counters("hv1")["stages"]["security_groups"]["cut"]
        # Still flowing just before the rule goes (1 KB every 50 ms).
        flowing_until = time.monotonic() + 1
        while time.monotonic() < flowing_until:
            line = stream.stdout.readline().split()
            if line and line[0] == "bytes":
                latest = int(line[1])
        self.assertGreater(latest, received, "the stream stopped before the rule was removed")
        received = latest
        self.lab.cli("security", "group", "rule", "delete", rule["id"])
        removed_at = time.monotonic()
        outcome, total = None, 0
        while time.monotonic() - removed_at < 30:
            line = stream.stdout.readline().split()
            if not line:
                break
            if line[0] in ("stalled", "closed"):
                outcome = line[0]
                total = int(line[1]) if len(line) > 1 else total
                break
            total = int(line[1])
        print(f"stream: {received} bytes before the rule went, {total} in all; outcome {outcome} "
              f"{time.monotonic() - removed_at:.1f} s after the delete", flush=True)
        self.assertEqual(outcome, "stalled", "the running connection kept flowing after its rule was removed")
        self.assertGreaterEqual(self.counters("hv1")["stages"]["security_groups"]["cut"] - cut_before, 1,
                                "hv1 ended no connection")
        self.assertFalse(self.connect_once("stranger"), "a new connection opened without the rule")
        # The default group's members are not affected.
        self.assertTrue(self.lab.ping("client", self.ips["web"]))


if __name__ == "__main__":
    unittest.main()

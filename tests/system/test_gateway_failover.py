"""Gateway hosts with the real daemons and the real `openstack` client: two agents started
with --gateway=PRIORITY and --bridge-mappings register over the southbound; a router with an
external gateway lists them as its L3 agents, the higher priority one active; when that
agent is killed (-9), the controller notices by missed heartbeats and the other becomes
active; restarted, it is active again; hung (SIGSTOP), it loses the role after the missed
heartbeats; the active host's agent alone holds the router's gateway in its view (the router
entry naming it, the external network), and it moves with the election. Also: an agent with a
malformed --bridge-mappings refuses to start, naming the flag.

Everything runs inside one network namespace of its own (prefix per run): the controller on
its loopback, the agents with underlay addresses on a veth inside it, the openstack client
through `ip netns exec`. No lab is needed; nothing outside the namespace is touched.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import labkit

API_PORT = 9696
SOUTHBOUND_PORT = 6641
# The controller calls an agent dead after 3 missed 2 s heartbeats.
FAILOVER_DEADLINE_S = 30


class GatewayFailover(unittest.TestCase):
    def setUp(self):
        reason = labkit.missing_prerequisites(("openstack",))
        if reason:
            print(labkit.SKIP_MARK, reason, flush=True)
            self.skipTest(reason)
        self.netns = "t" + secrets.token_hex(2) + "-gw"
        self.work = tempfile.mkdtemp(prefix="oc-gw-")
        self.procs = {}
        self.addCleanup(self.cleanup)
        labkit.run(["ip", "netns", "add", self.netns])
        self.ns("ip", "link", "set", "lo", "up")
        # A veth pair inside the namespace stands for the fabric (no dummy module needed).
        self.ns("ip", "link", "add", "fabric", "type", "veth", "peer", "name", "fabric-peer")
        self.ns("ip", "link", "set", "fabric-peer", "up")
        self.ns("ip", "link", "set", "fabric", "up")
        for address in ("192.0.2.11/24", "192.0.2.12/24"):
            self.ns("ip", "addr", "add", address, "dev", "fabric")

    def cleanup(self):
        for name, proc in self.procs.items():
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            if not self._outcome.success:
                with open(os.path.join(self.work, name + ".log")) as log:
                    print(f"--- {name} log ---\n{log.read()[-3000:]}", flush=True)
        labkit.run(["ip", "netns", "del", self.netns], check=False)
        shutil.rmtree(self.work, ignore_errors=True)

    def ns(self, *argv, check=True, timeout=60):
        return labkit.run(["ip", "netns", "exec", self.netns, *argv], check=check, timeout=timeout)

    def start(self, name, argv):
        log = open(os.path.join(self.work, name + ".log"), "w")
        self.procs[name] = subprocess.Popen(["ip", "netns", "exec", self.netns, *argv],
                                            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self.procs[name]

    def start_agent(self, name, host, underlay_ip, extra):
        """Starts overcast-agent for `host` (its state dir is per host); `name` names the process."""
        state = os.path.join(self.work, host)
        return self.start(name, [os.path.join(labkit.BIN_DIR, "overcast-agent"), "--host", host,
                                 "--underlay-ip", underlay_ip,
                                 "--controller", f"127.0.0.1:{SOUTHBOUND_PORT}",
                                 "--state-dir", state, *extra])

    def openstack(self, *args, check=True, output=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        proc = subprocess.run(["ip", "netns", "exec", self.netns, "openstack", "--os-auth-type", "none",
                               "--os-endpoint", f"http://127.0.0.1:{API_PORT}", *args,
                               *(["-f", "json"] if output else [])],
                              capture_output=True, text=True, timeout=120, env=env)
        if check and proc.returncode != 0:
            raise AssertionError(f"openstack {' '.join(args)} failed: {proc.stderr}")
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def wait_for(self, what, predicate, timeout):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.5)

    def ha_states(self, router_id):
        """host -> (ha_state, alive) of the router's L3 agents, straight from the API."""
        fetch = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())"
        proc = self.ns(sys.executable, "-c", fetch, f"http://127.0.0.1:{API_PORT}/v2.0/routers/{router_id}/l3-agents")
        agents = json.loads(proc.stdout)["agents"]
        return {a["host"]: (a["ha_state"], a["alive"]) for a in agents}

    def agent_view(self, host):
        """The /view of `host`'s agent, from its control socket (HTTP over a Unix socket)."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(10)
            sock.connect(os.path.join(self.work, host, "agent.sock"))
            sock.sendall(b"GET /view HTTP/1.0\r\nHost: agent\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return json.loads(data.split(b"\r\n\r\n", 1)[1])

    def served_in_view(self, host, router_id, public_id):
        """(gateway_host the router entry names, whether the external network is held) in `host`'s
        view, or None when the view has no entry for the router."""
        try:
            view = self.agent_view(host)
        except OSError:
            return None  # not up (yet)
        router = next((r for r in view["routers"] if r["router_id"] == router_id), None)
        if router is None:
            return None
        holds_public = any(n["network_id"] == public_id for n in view["networks"])
        return router.get("external", {}).get("gateway_host"), holds_public

    def test_active_gateway_follows_liveness(self):
        self.start("controller", [os.path.join(labkit.BIN_DIR, "overcast-controller"),
                                  "--api", f"127.0.0.1:{API_PORT}",
                                  "--southbound", f"127.0.0.1:{SOUTHBOUND_PORT}",
                                  "--db", os.path.join(self.work, "controller.db")])
        self.start_agent("gw-low", "gw-low", "192.0.2.11", ["--gateway=10", "--bridge-mappings", "physnet1:fabric"])
        high = self.start_agent("gw-high", "gw-high", "192.0.2.12", ["--gateway=20", "--bridge-mappings", "physnet1:fabric"])

        agents = self.wait_for("both agents alive", lambda: (
            lambda listed: listed if listed and len(listed) == 2 and all(a["Alive"] for a in listed) else None)(
            self.openstack("network", "agent", "list", check=False)), 60)
        self.assertEqual({a["Agent Type"] for a in agents}, {"L3 agent"})
        shown = self.openstack("network", "agent", "show", next(a["ID"] for a in agents if a["Host"] == "gw-high"))
        configurations = shown.get("configurations", shown.get("configuration"))
        self.assertIsNotNone(configurations, shown)
        if isinstance(configurations, str):  # older clients print it as text
            self.assertIn("physnet1", configurations)
        else:
            self.assertEqual(configurations["bridge_mappings"], {"physnet1": "fabric"})
            self.assertEqual(configurations["gateway_priority"], 20)

        public = self.openstack("network", "create", "public", "--external", "--provider-network-type", "flat",
                                "--provider-physical-network", "physnet1")
        self.openstack("subnet", "create", "public-subnet", "--network", "public",
                       "--subnet-range", "203.0.113.0/24", "--gateway", "203.0.113.1")
        router = self.openstack("router", "create", "r1")
        self.openstack("router", "set", "--external-gateway", "public", "r1", output=False)
        listed = self.openstack("network", "agent", "list", "--router", "r1")
        self.assertEqual({a["Host"] for a in listed}, {"gw-low", "gw-high"})
        self.assertEqual(self.ha_states(router["id"]),
                         {"gw-high": ("active", True), "gw-low": ("standby", True)})
        # The view compiler agrees with the API: the active host alone holds the router's
        # gateway (the router entry naming it, and the external network); the standby nothing.
        self.wait_for("the router's gateway in gw-high's view",
                      lambda: self.served_in_view("gw-high", router["id"], public["id"]) == ("gw-high", True), 30)
        self.assertIsNone(self.served_in_view("gw-low", router["id"], public["id"]))

        high.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        high.wait(timeout=10)
        self.wait_for("gw-low active", lambda: self.ha_states(router["id"]).get("gw-low") == ("active", True),
                      FAILOVER_DEADLINE_S)
        took = time.monotonic() - killed_at
        print(f"gateway failover seen in the API after {took:.1f} s", flush=True)
        self.assertEqual(self.ha_states(router["id"])["gw-high"], ("standby", False))
        self.wait_for("the router's gateway moved to gw-low's view",
                      lambda: self.served_in_view("gw-low", router["id"], public["id"]) == ("gw-low", True),
                      FAILOVER_DEADLINE_S)
        print(f"gateway failover in the standby's view after {time.monotonic() - killed_at:.1f} s", flush=True)

        # Back with its state: the higher priority takes over again.
        high = self.start_agent("gw-high-again", "gw-high", "192.0.2.12",
                                ["--gateway=20", "--bridge-mappings", "physnet1:fabric"])
        self.wait_for("gw-high active again",
                      lambda: self.ha_states(router["id"]).get("gw-high") == ("active", True), 60)
        self.wait_for("the router's gateway back in gw-high's view, gone from gw-low's",
                      lambda: self.served_in_view("gw-high", router["id"], public["id"]) == ("gw-high", True)
                      and self.served_in_view("gw-low", router["id"], public["id"]) is None, 60)
        # A hung agent (stopped, its connection open) is found dead by missed heartbeats.
        high.send_signal(signal.SIGSTOP)
        stopped_at = time.monotonic()
        self.wait_for("gw-low active after gw-high hangs",
                      lambda: self.ha_states(router["id"]).get("gw-low") == ("active", True), FAILOVER_DEADLINE_S)
        print(f"hung gateway failover seen in the API after {time.monotonic() - stopped_at:.1f} s", flush=True)
        high.send_signal(signal.SIGCONT)

    def test_bad_bridge_mapping_is_a_startup_error(self):
        proc = self.ns(os.path.join(labkit.BIN_DIR, "overcast-agent"), "--host", "bad",
                       "--underlay-ip", "192.0.2.11", "--controller", f"127.0.0.1:{SOUTHBOUND_PORT}",
                       "--state-dir", os.path.join(self.work, "bad"), "--bridge-mappings", "physnet1",
                       check=False, timeout=30)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--bridge-mappings", proc.stderr)
        self.assertIn("PHYSNET:INTERFACE", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

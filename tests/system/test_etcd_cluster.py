"""A controller cluster on etcd: a 3-member etcd on loopback and 2 controllers sharing it.

(a) kill -9 the controller an agent is on: the agent moves to the other one and keeps
    its state, and still gets the changes made through either controller;
(b) kill -9 one etcd member: writes through both controllers go on;
(c) kill -9 etcd's leader during a burst of API writes through both controllers: every
    acknowledged write is there afterwards (read back by a third controller started
    from etcd alone), nothing is duplicated, and no VNI, MAC or IP is handed out twice.
Each test starts and stops its own etcd members and controllers (by PID) and removes
its temporary directory and namespace whatever happens.
"""

import collections
import secrets
import threading
import time
import unittest
import uuid

import etcdkit
import labkit


class EtcdClusterTest(unittest.TestCase):
    def setUp(self):
        reason = etcdkit.missing_prerequisites()
        if reason:
            print(labkit.SKIP_MARK, reason, flush=True)
            self.skipTest(reason)
        self.dir = etcdkit.ClusterDir()
        self.addCleanup(self.dir.remove)
        self.processes = etcdkit.Processes(self.dir.path)
        self.addCleanup(self.processes.kill_all)
        self.addCleanup(self.dump_logs_on_failure)
        self.etcd = etcdkit.EtcdCluster(self.processes)
        self.etcd.start()
        self.project = uuid.uuid4().hex

    def dump_logs_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        failed = outcome is not None and (not getattr(outcome, "success", True) or any(
            error for _, error in getattr(outcome, "errors", []) if error is not None))
        if failed:
            for name in list(self.processes.running) + ["c1", "c2", "c3", "agent"]:
                tail = self.processes.log_tail(name)
                if tail:
                    print(f"---- {name}\n{tail}", flush=True)

    def controllers(self, southbound_host="127.0.0.1"):
        c1 = etcdkit.Controller(self.processes, "c1", self.etcd.store_url(), southbound_host)
        c2 = etcdkit.Controller(self.processes, "c2", self.etcd.store_url(), southbound_host)
        c1.start()
        c2.start()
        return c1, c2

    def network(self, controller, name, cidr="10.0.0.0/24"):
        net = controller.create("network", {"name": name, "project_id": self.project})
        controller.create("subnet", {"network_id": net["id"], "cidr": cidr, "ip_version": 4,
                                     "project_id": self.project})
        return net

    def port(self, controller, net, host, name):
        return controller.create("port", {"network_id": net["id"], "name": name,
                                          "binding:host_id": host, "project_id": self.project})

    # --- (a) ---------------------------------------------------------------------------
    def test_agent_moves_to_the_other_controller_and_keeps_its_state(self):
        agent = etcdkit.AgentHost(self.processes, "t" + secrets.token_hex(2))
        self.addCleanup(agent.remove_namespace)
        agent.create_namespace()
        c1, c2 = self.controllers(southbound_host=agent.gateway)
        c1.create("agent", {"host": "vtep1", "agent_type": "Static VTEP",
                            "configurations": {"tunneling_ip": "10.252.0.9"}})
        net = self.network(c1, "a-net")
        local = self.port(c1, net, agent.host, "vm1")
        remote = self.port(c1, net, "vtep1", "vm2")

        agent.start([c1, c2])
        etcdkit.wait_for(lambda: agent.get("/status")["connected"], 20, "the agent never connected")
        self.assertEqual(agent.get("/status")["controller"], c1.southbound)

        def keys():
            view = agent.get("/view")
            return {kind: sorted(e["key"] for e in view[kind])
                    for kind in ("networks", "local_ports", "remote_ports")}

        etcdkit.wait_for(lambda: len(keys()["remote_ports"]) == 1, 20, "the agent never got its view")
        before = keys()
        self.assertEqual(len(before["networks"]), 1)
        self.assertEqual(len(before["local_ports"]), 1)
        self.assertIn(local["id"], before["local_ports"][0])
        self.assertIn(remote["id"], before["remote_ports"][0])
        first = agent.get("/status")
        # c2 does not serve the agent, but knows through etcd that c1 does.
        etcdkit.wait_for(lambda: {a["host"]: a for a in c2.list("agent")}[agent.host]["alive"], 10,
                         "c2 calls an agent connected to c1 dead")

        c1.kill()
        killed_at = time.monotonic()
        etcdkit.wait_for(lambda: agent.get("/status")["connected"] and
                         agent.get("/status")["controller"] == c2.southbound,
                         20, f"the agent did not move to c2: {agent.get('/status')}")
        moved_after = time.monotonic() - killed_at
        after = agent.get("/status")
        self.assertNotEqual(after["epoch"], first["epoch"], "c2 is another controller")
        self.assertEqual(keys(), before, "the agent's view changed across the failover")
        print(f"agent moved from c1 to c2 within {moved_after:.2f} s "
              f"(epoch {first['epoch']} -> {after['epoch']}, "
              f"snapshots {first['snapshots']} -> {after['snapshots']})", flush=True)

        # c2 learned c1's writes through etcd, and its own writes reach the agent.
        self.assertIn(local["id"], {p["id"] for p in c2.list("port")})
        added = self.port(c2, net, "vtep1", "vm3")
        etcdkit.wait_for(lambda: len(keys()["remote_ports"]) == 2, 20,
                         "a port created on c2 never reached the agent")
        self.assertTrue(any(added["id"] in k for k in keys()["remote_ports"]))
        agents = {a["host"]: a for a in c2.list("agent")}
        self.assertTrue(agents[agent.host]["alive"], "c2 serves the agent now")

    # --- (b) ---------------------------------------------------------------------------
    def test_writes_go_on_when_one_etcd_member_dies(self):
        c1, c2 = self.controllers()
        self.network(c1, "before")
        victim = next(n for n in self.etcd.names if n != self.etcd.leader())
        self.etcd.kill(victim)
        created = []
        for i in range(10):
            controller = (c1, c2)[i % 2]
            created.append(self.network(controller, f"after-{i}", cidr=f"10.1.{i}.0/24")["id"])
        for controller in (c1, c2):
            etcdkit.wait_for(lambda: set(created) <= {n["id"] for n in controller.list("network")},
                             20, f"{controller.name} misses networks created after the member died")
        vnis = [n["provider:segmentation_id"] for n in c1.list("network")]
        self.assertEqual(len(vnis), len(set(vnis)), "a VNI was handed out twice")
        self.assertEqual(len(vnis), 11)

    # --- (c) ---------------------------------------------------------------------------
    def test_acknowledged_writes_survive_killing_the_etcd_leader_mid_burst(self):
        c1, c2 = self.controllers()
        net = self.network(c1, "burst", cidr="10.2.0.0/16")
        etcdkit.wait_for(lambda: net["id"] in {n["id"] for n in c2.list("network")}, 20,
                         "c2 never saw the network")
        acknowledged = {}  # port name -> id, for every 201
        failures = collections.Counter()
        lock = threading.Lock()
        stop = threading.Event()

        def writer(controller, tag):
            i = 0
            while not stop.is_set():
                name = f"{tag}-{i}"
                i += 1
                try:
                    status, answer = controller.request("POST", "/ports", {"port": {
                        "network_id": net["id"], "name": name, "binding:host_id": "hv-x",
                        "project_id": self.project}})
                except OSError as e:
                    status, answer = f"no answer ({type(e).__name__})", None
                with lock:
                    if status == 201:
                        acknowledged[name] = answer["port"]["id"]
                    else:
                        kind = ""
                        if isinstance(answer, str) and '"type"' in answer:
                            kind = " " + answer.split('"type"', 1)[1].split('"')[1]
                        failures[f"{status}{kind}"] += 1

        threads = [threading.Thread(target=writer, args=(c, f"{c.name}w{k}"))
                   for c in (c1, c2) for k in range(2)]
        for t in threads:
            t.start()
        try:
            time.sleep(2)
            leader = self.etcd.leader()
            self.assertIsNotNone(leader)
            with lock:
                before_kill = len(acknowledged)
            self.etcd.kill(leader)
            time.sleep(6)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        with lock:
            after_kill = len(acknowledged) - before_kill
        print(f"leader {leader} killed; {before_kill} writes acknowledged before, {after_kill} "
              f"after; refused or unanswered: {dict(failures)}", flush=True)
        self.assertGreater(before_kill, 0)
        self.assertGreater(after_kill, 0, "no write succeeded after the leader died")

        # A third controller knows only what etcd holds.
        c3 = etcdkit.Controller(self.processes, "c3", self.etcd.store_url())
        c3.start()
        for controller in (c1, c2, c3):
            def settled():
                names = {p["name"] for p in controller.list("port")}
                return set(acknowledged) <= names
            etcdkit.wait_for(settled, 30, f"{controller.name} misses acknowledged ports")
        ports = c3.list("port")
        by_name = collections.Counter(p["name"] for p in ports)
        self.assertEqual([n for n, k in by_name.items() if k > 1], [], "a write was applied twice")
        ids = {p["name"]: p["id"] for p in ports}
        for name, port_id in acknowledged.items():
            self.assertEqual(ids[name], port_id, f"acknowledged port {name} changed identity")
        ips = [f["ip_address"] for p in ports for f in p["fixed_ips"]]
        macs = [p["mac_address"] for p in ports]
        self.assertEqual(len(ips), len(set(ips)), "an IP address was handed out twice")
        self.assertEqual(len(macs), len(set(macs)), "a MAC address was handed out twice")
        self.assertEqual(sorted(p["id"] for p in c1.list("port")), sorted(p["id"] for p in ports))
        self.assertEqual(sorted(p["id"] for p in c2.list("port")), sorted(p["id"] for p in ports))


if __name__ == "__main__":
    unittest.main(verbosity=2)

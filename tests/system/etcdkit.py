"""Helpers of the controller-cluster system tests: real etcd members and real
overcast-controller processes on loopback, and an agent in a namespace of its own.

Everything a test starts is recorded here and stopped by PID only (SIGKILL, then waited
for); data directories live under one temporary directory that is removed at the end.
Ports are free ephemeral ports of 127.0.0.1; the agent's namespace and veth carry the
per-run prefix and are deleted even when the test fails.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import labkit

ETCD = "/usr/bin/etcd"
ETCDCTL = "/usr/bin/etcdctl"


def missing_prerequisites():
    if os.geteuid() != 0:
        return "system tests need root (network namespaces)"
    for name in ("overcast-controller", "overcast-agent"):
        if not os.access(os.path.join(labkit.BIN_DIR, name), os.X_OK):
            return f"{name} is not built in {labkit.BIN_DIR}"
    if shutil.which("ip") is None:
        return "ip is not installed"
    for tool in (ETCD, ETCDCTL):
        if not os.access(tool, os.X_OK):
            return f"{tool} is not installed (scripts/install-deps.sh)"
    return None


def wait_for(predicate, timeout, message, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(interval)
    raise AssertionError(message)


def port_open(port, host="127.0.0.1"):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


class Processes:
    """Every process the test started, by PID; kill_all() at the end."""

    def __init__(self, directory):
        self.directory = directory
        self.running = {}  # name -> Popen

    def start(self, name, argv, netns=None):
        if netns:
            argv = ["ip", "netns", "exec", netns, *argv]
        log = open(os.path.join(self.directory, name + ".log"), "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.running[name] = proc
        return proc

    def kill(self, name):
        proc = self.running.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        return proc.pid

    def kill_all(self):
        for name in list(self.running):
            self.kill(name)

    def log_tail(self, name, lines=30):
        path = os.path.join(self.directory, name + ".log")
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])


class EtcdCluster:
    """A cluster of `size` etcd members on 127.0.0.1 with free ports."""

    def __init__(self, processes, size=3):
        self.processes = processes
        self.names = [f"m{i}" for i in range(1, size + 1)]
        self.client_ports = {n: labkit.free_tcp_port() for n in self.names}
        self.peer_ports = {n: labkit.free_tcp_port() for n in self.names}
        self.token = "overcast-test-" + secrets.token_hex(4)

    def endpoint(self, name):
        return f"127.0.0.1:{self.client_ports[name]}"

    def endpoints(self):
        return [self.endpoint(n) for n in self.names]

    def store_url(self):
        return "etcd://" + ",".join(self.endpoints())

    def start(self):
        cluster = ",".join(f"{n}=http://127.0.0.1:{self.peer_ports[n]}" for n in self.names)
        for n in self.names:
            client = f"http://{self.endpoint(n)}"
            peer = f"http://127.0.0.1:{self.peer_ports[n]}"
            self.processes.start("etcd-" + n, [
                ETCD, "--name", n, "--data-dir", os.path.join(self.processes.directory, "etcd-" + n),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", cluster, "--initial-cluster-token", self.token,
                "--initial-cluster-state", "new", "--logger", "zap", "--log-outputs", "stderr"])
        wait_for(lambda: self.leader() is not None, 30, "the etcd cluster elected no leader")

    def status(self, names=None):
        """{name: endpoint status} of the members that answer."""
        names = names or [n for n in self.names if "etcd-" + n in self.processes.running]
        proc = labkit.run([ETCDCTL, "--endpoints", ",".join(self.endpoint(n) for n in names),
                           "--command-timeout=2s", "-w", "json", "endpoint", "status"], check=False)
        by_endpoint = {self.endpoint(n): n for n in names}
        result = {}
        for entry in json.loads(proc.stdout or "[]"):
            result[by_endpoint[entry["Endpoint"]]] = entry["Status"]
        return result

    def leader(self):
        for name, status in self.status().items():
            if status["leader"] != 0 and status["leader"] == status["header"]["member_id"]:
                return name
        return None

    def kill(self, name):
        return self.processes.kill("etcd-" + name)

    def count_keys(self, prefix):
        alive = [self.endpoint(n) for n in self.names if "etcd-" + n in self.processes.running]
        proc = labkit.run([ETCDCTL, "--endpoints", ",".join(alive), "get", prefix, "--prefix",
                           "--keys-only"], check=True)
        return len([line for line in proc.stdout.splitlines() if line.strip()])


class Controller:
    """One overcast-controller on the etcd cluster."""

    def __init__(self, processes, name, store_url, southbound_host="127.0.0.1"):
        self.processes = processes
        self.name = name
        self.api_port = labkit.free_tcp_port()
        self.southbound_port = labkit.free_tcp_port()
        self.southbound_host = southbound_host
        self.store_url = store_url
        self.url = f"http://127.0.0.1:{self.api_port}/v2.0"

    @property
    def southbound(self):
        return f"{self.southbound_host}:{self.southbound_port}"

    def start(self):
        self.processes.start(self.name, [
            os.path.join(labkit.BIN_DIR, "overcast-controller"), "--store", self.store_url,
            "--api", f"127.0.0.1:{self.api_port}", "--southbound", self.southbound])
        wait_for(lambda: port_open(self.api_port), 30, f"{self.name} did not open its API")

    def kill(self):
        return self.processes.kill(self.name)

    def request(self, method, path, body=None, timeout=40):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                text = resp.read()
                return resp.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def create(self, kind, body):
        status, answer = self.request("POST", f"/{kind}s", {kind: body})
        if status != 201:
            raise AssertionError(f"{self.name}: POST {kind} -> {status} {answer}")
        return answer[kind]

    def list(self, kind):
        status, answer = self.request("GET", f"/{kind}s")
        if status != 200:
            raise AssertionError(f"{self.name}: GET {kind}s -> {status} {answer}")
        return answer[kind + "s"]


class AgentHost:
    """An overcast-agent in namespace <prefix>-hv, joined to the root namespace by a veth
    pair on a /24 of 10.253.0.0/16 that no route of the machine uses. Controllers that
    serve it listen on the root side's address (`gateway`)."""

    def __init__(self, processes, prefix):
        self.processes = processes
        self.ns = f"{prefix}-hv"
        self.root_link = f"{prefix}-c"
        self.ns_link = f"{prefix}-h"
        self.state_dir = os.path.join(processes.directory, "agent")
        self.socket = os.path.join(self.state_dir, "agent.sock")
        self.host = f"{prefix}-hv"
        routes = labkit.run(["ip", "-4", "route", "show"]).stdout
        subnet = next(k for k in range(1, 255) if f"10.253.{k}." not in routes)
        self.gateway = f"10.253.{subnet}.1"
        self.underlay_ip = f"10.253.{subnet}.2"

    def create_namespace(self):
        labkit.run(["ip", "netns", "add", self.ns])
        labkit.run(["ip", "link", "add", self.root_link, "type", "veth", "peer", "name", self.ns_link])
        labkit.run(["ip", "link", "set", self.ns_link, "netns", self.ns])
        labkit.run(["ip", "addr", "add", self.gateway + "/24", "dev", self.root_link])
        labkit.run(["ip", "link", "set", self.root_link, "up"])
        labkit.run(["ip", "-n", self.ns, "addr", "add", self.underlay_ip + "/24", "dev", self.ns_link])
        labkit.run(["ip", "-n", self.ns, "link", "set", self.ns_link, "up"])
        labkit.run(["ip", "-n", self.ns, "link", "set", "lo", "up"])

    def remove_namespace(self):
        labkit.run(["ip", "link", "del", self.root_link], check=False)
        labkit.run(["ip", "netns", "del", self.ns], check=False)

    def start(self, controllers):
        os.makedirs(self.state_dir, exist_ok=True)
        self.processes.start("agent", [
            os.path.join(labkit.BIN_DIR, "overcast-agent"), "--host", self.host,
            "--underlay-ip", self.underlay_ip,
            "--controller", ",".join(c.southbound for c in controllers),
            "--state-dir", self.state_dir, "--control-socket", self.socket], netns=self.ns)

    def get(self, path):
        """GET `path` on the agent's control socket (HTTP/1.0 over the Unix socket)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(self.socket)
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: agent\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            raise ValueError(f"agent {path}: {head!r}")
        return json.loads(body)


class ClusterDir:
    """The temporary directory everything of one test lives in."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="overcast-etcd-")

    def remove(self):
        shutil.rmtree(self.path, ignore_errors=True)

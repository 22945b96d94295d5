"""Shared helpers of Overcast's system tests: a lab of real daemons in network namespaces.

Every test brings up its own lab through the real `overcast lab` command, with a per-run
prefix ("t" + 4 hex digits) and a free API port, and tears it down even when it fails. Only
the Python standard library and tshark are needed.

Environment: OVERCAST_BIN_DIR (where overcast, overcast-controller and overcast-agent are;
ctest sets it), OVERCAST_LAB_HOSTS_TIMEOUT (seconds for `lab up`, default 120).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest
import urllib.request
import uuid

BIN_DIR = os.environ.get(
    "OVERCAST_BIN_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "bin"))
SKIP_MARK = "OVERCAST-SYSTEM-TEST-SKIPPED"


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing_prerequisites(tools=()):
    """Why this machine cannot run the system tests, or None."""
    if os.geteuid() != 0:
        return "system tests need root (network namespaces)"
    for name in ("overcast", "overcast-controller", "overcast-agent"):
        if not os.access(os.path.join(BIN_DIR, name), os.X_OK):
            return f"{name} is not built in {BIN_DIR}"
    for tool in ("ip", "ping") + tuple(tools):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


class CommandFailed(AssertionError):
    pass


def run(argv, check=True, timeout=60, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and proc.returncode != 0:
        raise CommandFailed(f"`{' '.join(argv)}` exited {proc.returncode}\n"
                            f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


class Lab:
    """One lab: `overcast lab` with a private prefix, port and state dir."""

    def __init__(self, hosts=3):
        self.prefix = "t" + secrets.token_hex(2)
        self.api_port = free_tcp_port()
        self.hosts = hosts
        self.state_dir = f"/tmp/overcast-lab-{self.prefix}"
        self.overcast = os.path.join(BIN_DIR, "overcast")
        self.endpoint = f"http://127.0.0.1:{self.api_port}"

    # --- the lab itself -------------------------------------------------------------------
    def lab(self, *args, check=True, timeout=180):
        argv = [self.overcast, "lab", *args, "--prefix", self.prefix,
                "--state-dir", self.state_dir]
        return run(argv, check=check, timeout=timeout)

    def up(self):
        return self.lab("up", "--hosts", str(self.hosts), "--api-port", str(self.api_port),
                        "--bin-dir", BIN_DIR)

    def down(self):
        return self.lab("down", check=False)

    def status(self):
        return json.loads(self.lab("status", "--json").stdout)

    def agent(self, host, path="/status"):
        return json.loads(self.lab("agent", host, path).stdout)

    def daemon_pid(self, name):
        """PID of 'controller' or 'agent-hvN' from the lab's PID file."""
        with open(os.path.join(self.state_dir, name + ".pid")) as f:
            return int(f.read().strip())

    def kill_daemon(self, name, sig=signal.SIGKILL):
        pid = self.daemon_pid(name)
        os.kill(pid, sig)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        return pid

    def netns(self, name):
        if name == "fab":
            return f"{self.prefix}-fab"
        if name.startswith("hv") and name[2:].isdigit():
            return f"{self.prefix}-{name}"
        return f"{self.prefix}-vm-{name}"

    def exec(self, name, *cmd, check=False, timeout=60):
        return run(["ip", "netns", "exec", self.netns(name), *cmd], check=check, timeout=timeout)

    # --- extra underlay hosts -------------------------------------------------------------
    def add_underlay_host(self, name, leaf, ip):
        """A bare host <P>-<name> on the fabric's leaf bridge `leaf`: one veth into the bridge,
        `ip`/24 on it, a default route via the leaf's router. For tests that put traffic on
        the underlay that no hypervisor would send. Returns the namespace's name; `lab down`
        removes it with the lab, remove_underlay_host removes it earlier."""
        ns = f"{self.prefix}-{name}"
        inside, outside = ns, f"{self.prefix}-x-{name}"
        fabric = self.netns("fab")
        run(["ip", "netns", "add", ns])
        try:
            run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w",
                 "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"])
            run(["ip", "-n", ns, "link", "add", inside, "type", "veth",
                 "peer", "name", outside, "netns", fabric])
            run(["ip", "-n", fabric, "link", "set", outside, "master",
                 f"{self.prefix}-leaf{leaf}", "up"])
            run(["ip", "-n", ns, "addr", "add", f"{ip}/24", "dev", inside])
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
            run(["ip", "-n", ns, "link", "set", inside, "up"])
            run(["ip", "-n", ns, "route", "add", "default", "via", f"172.16.{leaf}.1"])
        except Exception:
            self.remove_underlay_host(name)
            raise
        return ns

    def remove_underlay_host(self, name):
        # Deleting the namespace deletes the veth pair, its end in the fabric included.
        return run(["ip", "netns", "delete", f"{self.prefix}-{name}"], check=False)

    # --- the operator's CLI -----------------------------------------------------------------
    def cli(self, *args, check=True):
        proc = run([self.overcast, "--endpoint", self.endpoint, "-f", "json", *args],
                   check=check)
        if not check:
            return proc
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def network(self, name, project, cidr="10.0.0.0/24"):
        net = self.cli("network", "create", name, "--project", project)
        self.cli("subnet", "create", name + "-sub", "--network", net["id"], "--cidr", cidr,
                 "--project", project)
        return net

    def vm(self, name, network_id, host, ip, project):
        """A port bound to `host` with address `ip`, and a VM namespace on it."""
        port = self.cli("port", "create", name + "-port", "--network", network_id,
                        "--host", host, "--fixed-ip", f"ip={ip}", "--project", project)
        self.lab("vm", name, "--port", port["id"], "--static")
        return port

    def update_port(self, port_id, fields):
        """PUT /v2.0/ports/<id> with `fields`, for what the CLI has no option for yet (port
        security, allowed address pairs). Returns the updated port."""
        body = {"port": fields}
        req = urllib.request.Request(f"{self.endpoint}/v2.0/ports/{port_id}", data=json.dumps(body).encode(),
                                     method="PUT", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())["port"]

    def disable_port_security(self, port_id):
        return self.update_port(port_id, {"port_security_enabled": False, "security_groups": []})

    def agent_port(self, host, port_id):
        """The local port entry `host`'s agent holds for `port_id` (its /view), or None."""
        view = self.agent(host, "/view")
        return next((p for p in view.get("local_ports", []) if p["port_id"] == port_id), None)

    def port_security_applied(self, host, port_id, enabled):
        """Whether `host`'s agent holds the port with port security `enabled`."""
        port = self.agent_port(host, port_id)
        return port is not None and port.get("port_security_enabled") == enabled

    # --- traffic ----------------------------------------------------------------------------
    def ping(self, src_vm, dst_ip, count=1, wait=1, interval=None):
        cmd = ["ping", "-n", "-c", str(count), "-W", str(wait)]
        if interval is not None:
            cmd += ["-i", str(interval)]
        proc = self.exec(src_vm, *cmd, dst_ip, timeout=count * (wait + 1) + 30)
        return proc.returncode == 0

    def neighbour_mac(self, vm, ip):
        proc = self.exec(vm, "ip", "-j", "neigh", "show", ip)
        for entry in json.loads(proc.stdout or "[]"):
            if "lladdr" in entry:
                return entry["lladdr"]
        return None

    def _wait_for_sentinels(self, ns, interfaces, path, proc, timeout=20):
        deadline = time.monotonic() + timeout
        pending = list(interfaces)
        while pending:
            if proc.poll() is not None:
                raise CommandFailed(f"tshark exited {proc.returncode} before capturing")
            for iface in pending:
                run(["ip", "netns", "exec", self.netns(ns), sys.executable, "-c", SENTINEL_SENDER, iface])
            time.sleep(0.2)
            seen = run(["tshark", "-n", "-r", path, "-Y", "udp.dstport == 9", "-T", "fields",
                        "-e", "frame.interface_name"], check=False, timeout=30).stdout.split()
            pending = [i for i in pending if i not in seen]
            if pending and time.monotonic() > deadline:
                raise CommandFailed(f"tshark recorded nothing on {pending} within {timeout} s")

    @contextlib.contextmanager
    def capture(self, interfaces, capture_filter="udp port 4789", ns="fab"):
        """tshark in a lab namespace for the duration of the `with`; yields the pcap path."""
        path = os.path.join(self.state_dir, f"capture-{secrets.token_hex(3)}.pcap")
        argv = ["ip", "netns", "exec", self.netns(ns), "tshark", "-q", "-n", "-f",
                f"({capture_filter}) or ({SENTINEL_FILTER})", "-w", path]
        for iface in interfaces:
            argv += ["-i", iface]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_for_capture_start(proc)
            self._wait_for_sentinels(ns, interfaces, path, proc)
            yield path
            time.sleep(1)  # let the last frames reach the file
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stderr.close()


# tshark prints "Capturing on" before every interface's capture is really live: a test
# that sends at once can lose its first frames. So the capture is trusted only once it
# has recorded a sentinel of our own on each interface: a UDP broadcast to the discard
# port, which decode_vxlan() never shows (it reads VXLAN only).
SENTINEL_FILTER = "udp dst port 9 and ip dst 255.255.255.255"
SENTINEL_SENDER = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
s.sendto(b"overcast-capture-sentinel", ("255.255.255.255", 9))
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, IndexError):
        return False


def _wait_for_capture_start(proc, timeout=20):
    """tshark says "Capturing on ..." on stderr once its filter is installed."""
    deadline = time.monotonic() + timeout
    seen = ""
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline:
        try:
            seen += os.read(proc.stderr.fileno(), 4096).decode(errors="replace")
        except BlockingIOError:
            pass
        if "Capturing on" in seen:
            return
        if proc.poll() is not None:
            raise CommandFailed(f"tshark exited {proc.returncode}: {seen}")
        time.sleep(0.1)
    raise CommandFailed(f"tshark did not start capturing within {timeout} s: {seen}")


VXLAN_FIELDS = ["frame.number", "ip.src", "ip.dst", "udp.dstport", "vxlan.vni", "vxlan.flags",
                "eth.src", "eth.dst", "eth.type", "arp.opcode", "icmp.type",
                "icmp.checksum.status", "ip.checksum.status", "_ws.malformed", "ip.ttl"]


def decode_vxlan(pcap):
    """Decodes a capture with tshark (an independent decoder) into one dict per frame:
    outer/inner addresses, VNI, inner ethertype, ICMP type and checksum verdicts."""
    argv = ["tshark", "-n", "-r", pcap, "-Y", "udp.port == 4789", "-o", "ip.check_checksum:TRUE", "-T", "fields",
            "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t"]
    for field in VXLAN_FIELDS:
        argv += ["-e", field]
    out = run(argv, timeout=60).stdout
    frames = []
    for line in out.splitlines():
        values = dict(zip(VXLAN_FIELDS, (v.split("|") if v else [] for v in line.split("\t"))))
        ips_src, ips_dst = values.get("ip.src", []), values.get("ip.dst", [])
        eth_src, eth_dst = values.get("eth.src", []), values.get("eth.dst", [])
        eth_type = values.get("eth.type", [])
        frames.append({
            "outer_src": ips_src[0] if ips_src else None,
            "outer_dst": ips_dst[0] if ips_dst else None,
            "dstport": (values.get("udp.dstport") or [None])[0],
            "vni": int(values["vxlan.vni"][0]) if values.get("vxlan.vni") else None,
            "inner_src_mac": eth_src[1] if len(eth_src) > 1 else None,
            "inner_dst_mac": eth_dst[1] if len(eth_dst) > 1 else None,
            "inner_type": eth_type[1] if len(eth_type) > 1 else None,
            "inner_ip_src": ips_src[1] if len(ips_src) > 1 else None,
            "inner_ip_dst": ips_dst[1] if len(ips_dst) > 1 else None,
            "arp": bool(values.get("arp.opcode")),
            "icmp_type": int(values["icmp.type"][0]) if values.get("icmp.type") else None,
            "icmp_checksum": values.get("icmp.checksum.status", []),
            "ip_checksum": values.get("ip.checksum.status", []),
            "malformed": bool(values.get("_ws.malformed")),
        })
    return frames


def new_project():
    return uuid.uuid4().hex


class LabTestCase(unittest.TestCase):
    """A test with its own running lab (`self.lab`), torn down whatever happens."""

    HOSTS = 3
    TOOLS = ()

    def setUp(self):
        reason = missing_prerequisites(self.TOOLS)
        if reason:
            print(SKIP_MARK, reason, flush=True)
            self.skipTest(reason)
        self.lab = Lab(self.HOSTS)
        self.addCleanup(self._teardown_lab)
        try:
            self.lab.up()
        except Exception:
            self._dump_logs()
            raise

    def _teardown_lab(self):
        if any(error for _, error in getattr(self._outcome, "errors", [])
               if error is not None) or not getattr(self._outcome, "success", True):
            self._dump_logs()
        proc = self.lab.down()
        if proc.returncode != 0:
            print("lab down failed:", proc.stdout, proc.stderr, flush=True)

    def _dump_logs(self):
        if not os.path.isdir(self.lab.state_dir):
            return
        for name in sorted(os.listdir(self.lab.state_dir)):
            if name.endswith(".log"):
                with open(os.path.join(self.lab.state_dir, name), errors="replace") as f:
                    tail = f.readlines()[-40:]
                print(f"---- {name} (last {len(tail)} lines)\n{''.join(tail)}", flush=True)

    def wait_until(self, predicate, timeout, message, interval=0.5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(interval)
        self.fail(message)

    def two_tenants(self):
        """The demo's world: tenants A and B with identical 10.0.0.0/24 networks.
        A: a1 10.0.0.11 on hv1, a2 10.0.0.12 on hv2.
        B: b1 10.0.0.21 on hv3, b2 10.0.0.12 on hv2 (the same address as a2, on the same
        hypervisor: only the VNI tells them apart)."""
        world = {}
        for tenant, vms in (("a", (("a1", "hv1", "10.0.0.11"), ("a2", "hv2", "10.0.0.12"))),
                            ("b", (("b1", "hv3", "10.0.0.21"), ("b2", "hv2", "10.0.0.12")))):
            project = new_project()
            net = self.lab.network(f"{tenant}-net", project)
            for name, host, ip in vms:
                port = self.lab.vm(name, net["id"], host, ip, project)
                world[name] = {"tenant": tenant, "host": host, "ip": ip, "net": net,
                               "port": port, "mac": port["mac_address"].lower(),
                               "vni": net.get("provider:segmentation_id", net.get("vni"))}
        return world

"""Commands, namespaces and the teardown registry shared by every topology builder.

Everything the benchmark creates in the kernel is a named network namespace carrying the
run's prefix; links are created directly inside those namespaces (never in the root one), so
deleting the namespaces removes every link. Processes are started by us and recorded by PID;
teardown kills exactly those PIDs, never by name."""

import os
import shutil
import signal
import subprocess
import time

# `ip netns exec` execs the program in place, so a Popen's PID is the daemon's own PID.


class BenchError(RuntimeError):
    """A step of building or measuring failed; the message says which and why."""


def run(argv, check=True, timeout=30, env=None, capture=True):
    """Runs a command to completion; raises BenchError with its stderr when it fails."""
    try:
        proc = subprocess.run(argv, capture_output=capture, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"timed out after {timeout} s: {' '.join(argv)}") from exc
    except FileNotFoundError as exc:
        raise BenchError(f"not installed: {argv[0]}") from exc
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip()
        raise BenchError(f"failed ({proc.returncode}): {' '.join(argv)}: {detail}")
    return proc


def in_ns(ns, argv):
    return ["ip", "netns", "exec", ns, *argv]


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return False


class Registry:
    """What this run made: namespaces, processes, temp dirs. Teardown is idempotent."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.namespaces = []
        self.processes = []  # (name, Popen)
        self.temp_dirs = []

    def add_namespace(self, name):
        if not name.startswith(self.prefix):
            raise BenchError(f"namespace {name} lacks the run prefix {self.prefix}")
        run(["ip", "netns", "add", name])
        self.namespaces.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])
        # No IPv6 ND/MLD chatter on the measured links.
        run(in_ns(name, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                         "net.ipv6.conf.default.disable_ipv6=1"]), check=False)
        return name

    def start(self, name, argv, log_path, env=None):
        log = open(log_path, "ab")
        try:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        finally:
            log.close()
        self.processes.append((name, proc))
        return proc

    def stop_process(self, proc, grace=3.0):
        if proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass

    def make_temp_dir(self, base):
        path = os.path.join(base, f"{self.prefix}-{len(self.temp_dirs)}")
        os.makedirs(path, exist_ok=False)
        self.temp_dirs.append(path)
        return path

    def teardown(self, keep_logs_in=None):
        """Kills our processes, deletes our namespaces and temp dirs (logs copied first)."""
        while self.processes:
            _, proc = self.processes.pop()
            self.stop_process(proc)
        while self.namespaces:
            ns = self.namespaces.pop()
            run(["ip", "netns", "del", ns], check=False)
        while self.temp_dirs:
            path = self.temp_dirs.pop()
            if keep_logs_in:
                _copy_logs(path, keep_logs_in)
            shutil.rmtree(path, ignore_errors=True)


def _copy_logs(src, dest_root):
    for root, _, files in os.walk(src):
        for name in files:
            if name.endswith(".log"):
                rel = os.path.relpath(os.path.join(root, name), src)
                dest = os.path.join(dest_root, rel.replace(os.sep, "_"))
                os.makedirs(dest_root, exist_ok=True)
                try:
                    shutil.copyfile(os.path.join(root, name), dest)
                except OSError:
                    pass


def leftover_namespaces(prefix):
    """Named namespaces that start with PREFIX (for --cleanup after a crash)."""
    out = run(["ip", "netns", "list"], check=False).stdout or ""
    return [line.split()[0] for line in out.splitlines() if line.split() and
            line.split()[0].startswith(prefix)]


def pids_in_namespace(ns):
    """PIDs of processes living in named namespace NS (compared by the namespace's inode)."""
    try:
        target = os.stat(f"/run/netns/{ns}")
    except OSError:
        return []
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            st = os.stat(f"/proc/{entry}/ns/net")
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            pids.append(int(entry))
    return pids


def wait_until(predicate, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise BenchError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)

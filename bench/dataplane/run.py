#!/usr/bin/python3
"""bench/dataplane: Overcast's data plane against kernel VXLAN + bridge, Open vSwitch's
userspace datapath and a plain veth, built in the same two-hypervisor shape in network
namespaces and measured in the same run. Prints one table, writes it as JSON and PNG.

    sudo bench/dataplane/run.py [--duration 5] [--systems overcast,kernel,ovs,veth]

Everything carries a per-run prefix and is torn down at the end, on failure, and on
SIGINT/SIGTERM; `--cleanup PREFIX` removes what a killed run (SIGKILL) left behind."""

import argparse
import atexit
import datetime
import os
import platform
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cpu  # noqa: E402
import deps  # noqa: E402
import report  # noqa: E402
import topo_kernel  # noqa: E402
import topo_overcast  # noqa: E402
import topo_overcast_nosg  # noqa: E402
import topo_overcast_routed  # noqa: E402
import topo_ovs  # noqa: E402
import topo_veth  # noqa: E402
from measure import MAX_SECONDS, Measurer  # noqa: E402
from sysutil import BenchError, Registry, leftover_namespaces, pids_in_namespace, run  # noqa: E402
from topology import Names  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
SYSTEMS = {m.NAME: m for m in (topo_overcast, topo_overcast_nosg, topo_overcast_routed, topo_kernel, topo_ovs, topo_veth)}
ACTIVE = []  # registries of systems being built or measured, for signal/atexit teardown


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=int, default=5,
                   help=f"seconds per measurement, 1..{MAX_SECONDS} (default 5)")
    p.add_argument("--systems", default=",".join(SYSTEMS),
                   help="comma-separated subset of " + ",".join(SYSTEMS))
    p.add_argument("--bin-dir", default=os.path.join(REPO, "build", "bin"),
                   help="where overcast, overcast-controller and overcast-agent are")
    p.add_argument("--out", default=os.path.join(REPO, "build", "bench", "dataplane"),
                   help="directory for results.json, results.png, results.txt")
    p.add_argument("--udp-rate", default="0",
                   help="iperf3 -b for the 64-byte UDP test (0: as fast as the sender can)")
    p.add_argument("--keep-logs", action="store_true",
                   help="copy daemon logs to OUT/logs/SYSTEM even when a system succeeds")
    p.add_argument("--agent-args", default="",
                   help="extra overcast-agent flags, e.g. \"--workers 2 --busy-poll-us 200\"")
    p.add_argument("--no-png", action="store_true", help="skip the chart (no matplotlib)")
    p.add_argument("--cleanup", metavar="PREFIX",
                   help="only remove namespaces left by a killed run with this prefix")
    args = p.parse_args(argv)
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in args.systems if s not in SYSTEMS]
    if unknown:
        p.error(f"unknown systems {unknown}; choose from {list(SYSTEMS)}")
    if "overcast" in args.systems:
        args.systems.remove("overcast")
        args.systems.insert(0, "overcast")
    if not 1 <= args.duration <= MAX_SECONDS:
        p.error(f"--duration must be 1..{MAX_SECONDS}")
    return args


def teardown_all():
    while ACTIVE:
        ACTIVE.pop().teardown()


def on_signal(signum, _frame):
    # Unwinds through every `finally`, which tears down; atexit catches the rest. A second
    # signal is ignored so that it cannot cut the teardown short.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def cleanup_prefix(prefix):
    """After a SIGKILL-ed run: its daemons (found by living in its namespaces), its
    namespaces, its temp dirs."""
    if not prefix.startswith("ocb") or len(prefix) != 8:
        raise SystemExit("--cleanup takes a run prefix like ocb1a2b3")
    for ns in leftover_namespaces(prefix + "-"):
        for pid in pids_in_namespace(ns):
            print(f"killing pid {pid} (in namespace {ns})")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        print(f"deleting namespace {ns}")
        run(["ip", "netns", "del", ns], check=False)
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        if name.startswith(prefix + "-"):
            print(f"removing {os.path.join(tmp, name)}")
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)


def measure_system(name, args, prefix, tmp_base):
    module = SYSTEMS[name]
    record = {"title": module.TITLE, "results": {}, "errors": {}}
    reg = Registry(prefix)
    ACTIVE.append(reg)
    failed = False
    try:
        workdir = reg.make_temp_dir(tmp_base)
        names = Names(prefix, name)
        extra = (args.bin_dir, shlex.split(args.agent_args)) if name.startswith("overcast") else ()
        print(f"[{name}] building {module.TITLE}", flush=True)
        endpoints = module.build(reg, names, workdir, *extra)
        m = Measurer(reg, endpoints, args.duration, workdir, udp_rate=args.udp_rate)
        m.wait_reachable()
        m.start_server()
        record["cpu_method"] = cpu.switch_method(endpoints.switch_pids)
        for key, step in (("ping", m.ping), ("tcp1", lambda: m.tcp(1, with_cpu=True)),
                          ("tcp2", lambda: m.tcp(2)), ("udp64", m.udp64)):
            print(f"[{name}] {key}", flush=True)
            try:
                record["results"][key] = step()
            except BenchError as exc:
                failed = True
                record["errors"][key] = str(exc)
                print(f"[{name}] {key} failed: {exc}", file=sys.stderr, flush=True)
    except BenchError as exc:
        failed = True
        record["errors"]["build"] = str(exc)
        print(f"[{name}] failed: {exc}", file=sys.stderr, flush=True)
    except Exception as exc:  # a bug here must not stop the other systems' teardown
        failed = True
        record["errors"]["build"] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        logs = os.path.join(args.out, "logs", name) if failed or args.keep_logs else None
        reg.teardown(keep_logs_in=logs)
        ACTIVE.remove(reg)
        if logs:
            record["logs"] = logs
    left = leftover_namespaces(f"{prefix}-{name}-")
    if left:
        record["errors"]["teardown"] = f"namespaces left behind: {left}"
    return record


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=5).stdout
        return out.splitlines()[0].strip() if out else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def _loadavg():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def main(argv):
    args = parse_args(argv)
    if args.cleanup:
        cleanup_prefix(args.cleanup)
        return 0
    problem = deps.check(need_png=not args.no_png)
    if problem:
        print("bench-dataplane: " + problem, file=sys.stderr)
        return 2
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    atexit.register(teardown_all)
    prefix = "ocb" + secrets.token_hex(3)[:5]
    print(f"bench-dataplane: run prefix {prefix} (namespaces {prefix}-*), "
          f"{args.duration} s per measurement", flush=True)
    paths = report.output_paths(args.out)
    run_info = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "prefix": prefix, "duration_s": args.duration, "kernel": platform.release(),
        "cpus": os.cpu_count(), "iperf3": tool_version(["iperf3", "--version"]),
        "ovs": tool_version(["ovs-vswitchd", "--version"]),
        "command": "bench/dataplane/run.py " + " ".join(argv),
        # Other work on the machine shares the CPUs with every figure; say how much there was.
        "loadavg_at_start": _loadavg(),
    }
    systems = {}
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as tmp_base:
        for name in args.systems:
            systems[name] = measure_system(name, args, prefix, tmp_base)
    rows = report.build_table(systems, args.systems)
    text = report.format_table(rows, systems, args.systems)
    print("\n" + text)
    with open(paths[2], "w", encoding="utf-8") as f:
        f.write(text + "\n")
    run_info["loadavg_at_end"] = _loadavg()
    report.write_json(paths[0], run_info, systems, rows)
    written = [paths[0], paths[2]]
    if not args.no_png:
        subtitle = f"{run_info['cpus']} vCPUs, kernel {run_info['kernel']}, {args.duration} s each"
        report.write_png(paths[1], rows, systems, args.systems, subtitle)
        written.insert(1, paths[1])
    print(f"\nload average at start {run_info['loadavg_at_start']}, at end "
          f"{run_info['loadavg_at_end']} ({run_info['cpus']} CPUs)")
    print("wrote " + ", ".join(written))
    return 1 if any(s["errors"] for s in systems.values()) else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit as stop:
        if isinstance(stop.code, int) and stop.code > 128:
            print(f"bench-dataplane: interrupted by signal {stop.code - 128}; everything this "
                  "run made is torn down", file=sys.stderr)
        raise

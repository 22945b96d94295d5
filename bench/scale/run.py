#!/usr/bin/python3
"""The control-plane scale sweep: runs overcast-bench-scale once per cloud size and prints the
table, each cost's growth, and writes results.json and latency_vs_size.png.

    /usr/bin/python3 bench/scale/run.py --bin-dir build/bin --out build/bench/scale
    /usr/bin/python3 bench/scale/run.py --point 1000,10000,100000   # one point (hosts,networks,ports)
    /usr/bin/python3 bench/scale/run.py --sweep goal                 # the issue's goal point only

Sweeps (hosts, networks, ports):
  hosts     10 / 100 / 1,000 hosts at 1,000 networks, 10,000 ports
  networks  100 / 1,000 / 10,000 networks (10 ports each) at 100 hosts
  goal      1,000 hosts, 10,000 networks, 100,000 ports
  full      hosts + networks + goal (the default)"""

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402

SWEEPS = {
    "hosts": [(10, 1000, 10000), (100, 1000, 10000), (1000, 1000, 10000)],
    "networks": [(100, 100, 1000), (100, 1000, 10000), (100, 10000, 100000)],
    "goal": [(1000, 10000, 100000)],
}
SWEEPS["full"] = SWEEPS["hosts"] + SWEEPS["networks"] + SWEEPS["goal"]


def parse_point(text):
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not HOSTS,NETWORKS,PORTS")
    return tuple(int(p) for p in parts)


def run_point(args, point, out_dir):
    hosts, networks, ports = point
    out = os.path.join(out_dir, f"point-{hosts}h-{networks}n-{ports}p.json")
    command = [os.path.join(args.bin_dir, "overcast-bench-scale"),
               "--controller", os.path.join(args.bin_dir, "overcast-controller"),
               "--hosts", str(hosts), "--networks", str(networks), "--ports", str(ports),
               "--tenants", str(max(1, networks // 10)),
               "--churn-rate", str(args.churn_rate), "--churn-seconds", str(args.churn_seconds),
               "--stalled-hosts", str(args.stalled_hosts),
               "--out", out, "--log-level", "warn"]
    started = time.monotonic()
    print(f"== {hosts} hosts, {networks} networks, {ports} ports", flush=True)
    done = subprocess.run(command, check=False)
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1) or not os.path.exists(out):
        print(f"   failed (exit {done.returncode}) after {seconds:.0f} s", flush=True)
        return None
    with open(out, encoding="utf-8") as f:
        result = report.json.load(f)
    result["correct"] = done.returncode == 0
    result["wall_seconds"] = seconds
    print(f"   {seconds:.0f} s, correct={result['correct']}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", default="build/bin")
    parser.add_argument("--out", default="build/bench/scale")
    parser.add_argument("--sweep", choices=sorted(SWEEPS), default="full")
    parser.add_argument("--point", type=parse_point, action="append",
                        help="HOSTS,NETWORKS,PORTS instead of a sweep (repeatable)")
    parser.add_argument("--churn-rate", type=float, default=100)
    parser.add_argument("--churn-seconds", type=float, default=10)
    parser.add_argument("--stalled-hosts", type=int, default=0,
                        help="hosts that stop applying during the churn (a hung agent), then are released")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    points = args.point or SWEEPS[args.sweep]
    results = {}
    for point in dict.fromkeys(points):  # a point shared by two sweeps runs once
        results[point] = run_point(args, point, args.out)

    rows = [dict(report.row(r), correct=r["correct"]) for r in results.values() if r]
    sweeps_rows = {}
    for axis, name in (("hosts", "hosts"), ("networks", "networks")):
        members = [results.get(p) for p in SWEEPS[name] if p in results and results.get(p)]
        if len(members) >= 2:
            sweeps_rows[axis] = [report.row(r) for r in members]
    growth = {axis: report.growth(rs, axis) for axis, rs in sweeps_rows.items()}

    print()
    print(report.format_table(rows))
    print()
    print(report.format_growth(growth))
    report.write_json(os.path.join(args.out, "results.json"),
                      {"rows": rows, "growth": growth,
                       "points": [r for r in results.values() if r]})
    chart = os.path.join(args.out, "latency_vs_size.png")
    if report.write_chart(chart, sweeps_rows or {"hosts": rows}):
        print(f"\nchart: {chart}")
    failed = [p for p, r in results.items() if r is None or not r["correct"]]
    if failed:
        print(f"\npoints that failed or were incorrect: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

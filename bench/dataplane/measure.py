"""The measurements, each bounded in time: iperf3 TCP (1 and 2 streams), iperf3 UDP with
64-byte payloads (packet rate received), ping RTT (average and 99th percentile)."""

import json
import math
import os
import re
import time

from cpu import CpuSample
from sysutil import BenchError, in_ns, run, wait_until

IPERF_PORT = 5201
MAX_SECONDS = 10
_RTT = re.compile(r"time=([0-9.]+) ms")


class Measurer:
    def __init__(self, reg, endpoints, duration, logdir, udp_rate="0"):
        if not 1 <= duration <= MAX_SECONDS:
            raise BenchError(f"duration {duration} s is outside 1..{MAX_SECONDS}")
        self.reg, self.ep, self.duration, self.udp_rate = reg, endpoints, duration, udp_rate
        self.client_ns, self.server_ns = endpoints.vm_ns
        self.server_ip = endpoints.vm_ips[1]
        self.logdir = logdir
        self.server = None

    def wait_reachable(self, timeout=20):
        argv = in_ns(self.client_ns, ["ping", "-c", "1", "-W", "1", self.server_ip])
        wait_until(lambda: run(argv, check=False).returncode == 0, timeout,
                   f"{self.server_ip} to answer pings from {self.client_ns}")

    def start_server(self):
        self.server = self.reg.start("iperf3-server", in_ns(self.server_ns, [
            "iperf3", "-s", "-B", self.server_ip, "-p", str(IPERF_PORT)]),
            os.path.join(self.logdir, "iperf3-server.log"))

        def listening():
            if self.server.poll() is not None:
                raise BenchError("iperf3 server exited; see iperf3-server.log")
            out = run(in_ns(self.server_ns, ["ss", "-Hltn", f"sport = :{IPERF_PORT}"]),
                      check=False).stdout
            return bool(out.strip())
        wait_until(listening, 10, "the iperf3 server to listen")

    def _iperf(self, *extra, settle=True):
        if settle:
            time.sleep(0.5)  # let the server close the previous test before this one connects
        argv = in_ns(self.client_ns, ["iperf3", "-c", self.server_ip, "-p", str(IPERF_PORT),
                                      "-t", str(self.duration), "-J", *extra])
        proc = run(argv, check=False, timeout=self.duration + 20)
        try:
            result = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise BenchError(f"iperf3 {' '.join(extra)} gave no JSON: {proc.stderr.strip()}") from exc
        if "error" in result:
            raise BenchError(f"iperf3 {' '.join(extra)}: {result['error']}")
        return result

    def tcp(self, streams, with_cpu=False):
        time.sleep(0.5)
        before = CpuSample(self.ep.switch_pids) if with_cpu else None
        result = self._iperf("-P", str(streams), settle=False)
        received = result["end"]["sum_received"]
        out = {"gbps": received["bits_per_second"] / 1e9,
               "retransmits": result["end"]["sum_sent"].get("retransmits")}
        if with_cpu:
            after = CpuSample(self.ep.switch_pids)
            gigabits = received["bytes"] * 8 / 1e9
            out["seconds"] = received["seconds"]
            out["gigabits"] = gigabits
            out["switch_cpu_s"] = after.switch_seconds_since(before)
            # Per process (sending hypervisor first): shows which side is the bottleneck.
            out["switch_cpu_s_by_process"] = [after.per_pid[p] - before.per_pid[p]
                                              for p in self.ep.switch_pids]
            out["machine_cpu_s"] = after.machine_seconds_since(before)
            out["switch_cpu_s_per_gbit"] = _per(out["switch_cpu_s"], gigabits)
            out["machine_cpu_s_per_gbit"] = _per(out["machine_cpu_s"], gigabits)
        return out

    def udp64(self):
        result = self._iperf("-u", "-l", "64", "-b", self.udp_rate)
        s = result["end"]["sum"]
        # For UDP the client's end.sum carries the server's counts: packets it expected
        # (highest sequence seen) and those that never arrived.
        received = s["packets"] - s["lost_packets"]
        return {"received_pps": received / s["seconds"], "received_packets": received,
                "offered_pps": s["packets"] / s["seconds"],
                "lost_percent": s.get("lost_percent")}

    def ping(self):
        count = 100 * self.duration  # -i 0.01: one every 10 ms, so the whole run is `duration`
        proc = run(in_ns(self.client_ns, ["ping", "-c", str(count), "-i", "0.01", "-W", "1",
                                          self.server_ip]), check=False,
                   timeout=self.duration + 15)
        rtts = sorted(float(m) * 1000 for m in _RTT.findall(proc.stdout))
        if not rtts:
            raise BenchError(f"ping got no replies: {proc.stdout[-300:]} {proc.stderr}")
        return {"avg_us": sum(rtts) / len(rtts), "p99_us": percentile(rtts, 99),
                "sent": count, "received": len(rtts)}


def percentile(sorted_values, pct):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _per(seconds, gigabits):
    return seconds / gigabits if gigabits > 0 else None

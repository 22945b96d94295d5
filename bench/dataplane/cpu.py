"""CPU time counters, read before and after a measurement.

Two counts per run:
- "switch": for a userspace switch, utime+stime of its processes (/proc/PID/stat fields 14
  and 15, which cover every thread of the process), summed over both hypervisors; for the
  kernel switch and the plain veth, the machine's system+irq+softirq time from /proc/stat,
  because that is where the kernel's forwarding runs. The kernel figure therefore also holds
  the iperf3 endpoints' own TCP/IP stack time (and anyone else's kernel time on the machine).
- "machine": all non-idle time of all CPUs from /proc/stat, the same way for every system:
  endpoints, switch and kernel together (and whatever else the machine is doing)."""

import os

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / TICK


def _proc_stat_cpu():
    with open("/proc/stat", encoding="ascii") as f:
        line = f.readline().split()
    assert line[0] == "cpu"
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    return {name: int(v) / TICK for name, v in zip(names, line[1:9])}


class CpuSample:
    def __init__(self, switch_pids):
        self.switch_pids = list(switch_pids)
        self.per_pid = {pid: process_seconds(pid) for pid in self.switch_pids}
        self.stat = _proc_stat_cpu()

    def switch_seconds_since(self, before):
        if self.switch_pids:
            return sum(self.per_pid[p] - before.per_pid[p] for p in self.switch_pids)
        return sum(self.stat[k] - before.stat[k] for k in ("system", "irq", "softirq"))

    def machine_seconds_since(self, before):
        busy = ("user", "nice", "system", "irq", "softirq", "steal")
        return sum(self.stat[k] - before.stat[k] for k in busy)


def switch_method(switch_pids):
    if switch_pids:
        return "utime+stime of the switch processes (/proc/PID/stat), both hypervisors"
    return "system+irq+softirq of all CPUs (/proc/stat): the kernel is the switch"

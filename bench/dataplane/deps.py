"""What the benchmark needs on the machine, and the one line that installs what is missing."""

import importlib.util
import os
import shutil

# command -> Debian package
COMMANDS = {
    "ip": "iproute2", "bridge": "iproute2", "ss": "iproute2", "ethtool": "ethtool",
    "ping": "iputils-ping", "iperf3": "iperf3", "curl": "curl", "ovsdb-tool": "openvswitch-switch",
    "ovsdb-server": "openvswitch-switch", "ovs-vswitchd": "openvswitch-switch",
    "ovs-vsctl": "openvswitch-switch", "ovs-appctl": "openvswitch-switch",
}


def missing_packages(need_png=True):
    packages = sorted({pkg for cmd, pkg in COMMANDS.items() if shutil.which(cmd) is None})
    if need_png and importlib.util.find_spec("matplotlib") is None:
        packages.append("python3-matplotlib")
    return packages


def check(need_png=True):
    """None when all is there, else a message naming the install command."""
    problems = []
    if os.geteuid() != 0:
        problems.append("run as root (it creates network namespaces)")
    missing = missing_packages(need_png)
    if missing:
        problems.append("missing packages; install them with scripts/install-bench-deps.sh or\n"
                        "  apt-get install -y --no-install-recommends " + " ".join(missing))
    return "\n".join(problems) or None

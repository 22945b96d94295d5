#!/bin/sh
# Installs what `make bench-dataplane` needs beyond scripts/install-deps.sh: iperf3, Open
# vSwitch (its userspace datapath is one of the peers), matplotlib for the chart, ethtool.
# Open vSwitch's own service must not start in the root namespace: the benchmark runs its own
# ovsdb-server/ovs-vswitchd pairs inside namespaces, so invoke-rc.d is told "no" while we install.
set -eu

missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need iperf3 iperf3
need ovs-vswitchd openvswitch-switch
need ovsdb-server openvswitch-switch
need ethtool ethtool
need ss iproute2
need ping iputils-ping
need curl curl
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing="$missing python3-matplotlib"

if [ -z "$missing" ]; then
  exit 0
fi
# shellcheck disable=SC2086  # one word per package
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-deps: missing: $missing; run as root, or:" >&2
  echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
  exit 1
fi

policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  made_policy=yes
fi
cleanup() { if [ -n "$made_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT INT TERM

ovs_was_running=""
if [ -e /var/run/openvswitch/ovs-vswitchd.pid ] || [ -e /var/run/openvswitch/ovsdb-server.pid ]; then
  ovs_was_running=yes
fi

echo "install-bench-deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

# Should the package's service have started anyway (an init that ignores policy-rc.d), stop it
# with its own script, so nothing of Open vSwitch runs in the root namespace. A service that ran
# before we came is someone else's and is left alone.
if [ -z "$ovs_was_running" ] && { [ -e /var/run/openvswitch/ovs-vswitchd.pid ] || [ -e /var/run/openvswitch/ovsdb-server.pid ]; }; then
  /usr/share/openvswitch/scripts/ovs-ctl stop || true
fi

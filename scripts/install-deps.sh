#!/usr/bin/env bash
# Installs, from Debian 12's registry, every package the build, tests and demo need
# and that is not there yet. Idempotent and quiet when nothing is missing.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libcpp-httplib-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # lab, system tests and demo
  iproute2 iputils-ping procps tshark tcpdump python3 python3-scapy
  python3-openstackclient iperf3 ethtool
  # the DHCP client of `overcast lab vm` (busybox's udhcpc: it writes nothing under /etc)
  udhcpc
  # the controller cluster's store and its tests (which start their own members)
  etcd-server etcd-client
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# etcd-server's package starts a system etcd on 127.0.0.1:2379; Overcast's tests start
# their own members and none may collide with a daemon nobody asked for. Forbid service
# starts during the install (policy-rc.d exit 101), then make sure none is enabled.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" || { ((own_policy)) && rm -f "$policy"; exit 1; }
((own_policy)) && rm -f "$policy"
if [[ " ${missing[*]} " == *" etcd-server "* ]]; then
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    systemctl disable --now etcd >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/etcd ]]; then
    /etc/init.d/etcd stop >/dev/null 2>&1 || true
    update-rc.d etcd disable >/dev/null 2>&1 || true
  fi
fi

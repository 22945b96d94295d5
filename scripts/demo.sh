#!/usr/bin/env bash
# Overcast in five minutes: a 3-hypervisor cloud on this machine (`overcast lab`), two
# tenants with identical 10.0.0.0/24 networks, a connectivity matrix, and one packet's
# trip through the overlay with the counters of every hop. Run as root from the repo root
# (`make demo` does, after the build). Exits non-zero if the matrix is wrong.
#
# Environment: OVERCAST_BIN_DIR (default build/bin), OVERCAST_DEMO_PREFIX (default demo),
# OVERCAST_DEMO_API_PORT (default 9696).
set -euo pipefail

BIN_DIR=${OVERCAST_BIN_DIR:-build/bin}
PREFIX=${OVERCAST_DEMO_PREFIX:-demo}
API_PORT=${OVERCAST_DEMO_API_PORT:-9696}
OC="$BIN_DIR/overcast"
ENDPOINT="http://127.0.0.1:$API_PORT"
WORK=$(mktemp -d /tmp/overcast-demo.XXXXXX)

lab() { "$OC" lab "$1" --prefix "$PREFIX" "${@:2}"; }
api() { "$OC" --endpoint "$ENDPOINT" "$@"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

BACKGROUND=()  # PIDs of the servers this script starts in the lab's namespaces

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  if ((status != 0)); then
    echo "demo: failed (exit $status); daemon logs were in /var/lib/overcast/lab/$PREFIX" >&2
  fi
  lab down >/dev/null 2>&1 || echo "demo: could not tear down lab $PREFIX" >&2
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $(id -u) -ne 0 ]]; then
  echo "demo: run as root (the lab creates network namespaces)" >&2
  exit 1
fi
for binary in overcast overcast-controller overcast-agent; do
  [[ -x "$BIN_DIR/$binary" ]] || { echo "demo: $BIN_DIR/$binary is not built" >&2; exit 1; }
done

say "A cloud on one machine: fabric router, 2 leaves, 3 hypervisors"
lab down >/dev/null 2>&1 || true   # a previous run that crashed
lab up --hosts 3 --api-port "$API_PORT" --bin-dir "$BIN_DIR"
lab status

say "Two tenants, identical networks (10.0.0.0/24 each)"
declare -A VM_HOST=([a1]=hv1 [a2]=hv2 [b1]=hv3 [b2]=hv2)
declare -A VM_IP=([a1]=10.0.0.11 [a2]=10.0.0.12 [b1]=10.0.0.21 [b2]=10.0.0.12)
declare -A VM_MAC VM_TENANT PROJECT
for tenant in a b; do
  project=$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  PROJECT[$tenant]=$project
  net=$(api -f json network create "$tenant-net" --project "$project" | json_field id)
  api subnet create "$tenant-subnet" --network "$net" --cidr 10.0.0.0/24 --project "$project" >/dev/null
  echo "tenant $tenant: project $project, network $tenant-net ($net), subnet 10.0.0.0/24"
  for vm in "${tenant}1" "${tenant}2"; do
    api -f json port create "$vm-port" --network "$net" --host "${VM_HOST[$vm]}" \
      --fixed-ip "ip=${VM_IP[$vm]}" --project "$project" >"$WORK/$vm-port.json"
    VM_MAC[$vm]=$(json_field mac_address <"$WORK/$vm-port.json")
    VM_TENANT[$vm]=$tenant
    lab vm "$vm" --port "$vm-port"   # addressed by DHCP, from the agent of its hypervisor
  done
done
api network list
echo "(a2 and b2 both have 10.0.0.12, on the same hypervisor hv2: only the VNI tells them apart)"

say "Connectivity matrix: row pings column (1 packet, 1 s)"
# A cell is "yes" only if the ping is answered by that very VM (its MAC in the sender's
# neighbour table); "no(a2)" = the address answered, but from another VM of the sender's
# own tenant, as a duplicate address must.
vms=(a1 a2 b1 b2)
wrong=0
printf '%8s' ""
for dst in "${vms[@]}"; do printf '%10s' "$dst(${VM_TENANT[$dst]^^})"; done
echo
for src in "${vms[@]}"; do
  printf '%8s' "$src(${VM_TENANT[$src]^^})"
  for dst in "${vms[@]}"; do
    if [[ $src == "$dst" ]]; then printf '%10s' "-"; continue; fi
    cell=no
    if lab exec "$src" -- ping -n -c 1 -W 1 "${VM_IP[$dst]}" >/dev/null 2>&1; then
      mac=$(lab exec "$src" -- ip -j neigh show "${VM_IP[$dst]}" |
            python3 -c 'import json,sys; print(next((e["lladdr"] for e in json.load(sys.stdin) if "lladdr" in e), ""))')
      if [[ $mac == "${VM_MAC[$dst]}" ]]; then
        cell=yes
      else
        for other in "${vms[@]}"; do
          [[ $mac == "${VM_MAC[$other]}" ]] && cell="no($other)"
        done
      fi
    fi
    expected=no
    [[ ${VM_TENANT[$src]} == "${VM_TENANT[$dst]}" ]] && expected=yes
    if [[ ${cell%%(*} != "$expected" ]]; then wrong=$((wrong + 1)); cell="$cell!"; fi
    printf '%10s' "$cell"
  done
  echo
done
if ((wrong > 0)); then
  echo "MATRIX WRONG: $wrong cell(s) marked '!' (same tenant must reach, other tenant never)" >&2
  exit 1
fi
echo "matrix correct: each tenant reaches its own VMs only, despite identical addresses"

say "Routers, the outside world (ext, 203.0.113.1), SNAT, floating IPs, security groups"
# Each tenant: a router on its subnet with its external gateway on `public` (served by hv1,
# hv2 standing by). ext runs a TCP service that answers with the address it sees the
# client as: a VM without a floating IP must show up as its router's external address.
# Each tenant's first VM gets a floating IP and a web server; ext fetches the page through
# the floating IP, first with the tenant's default security group (blocked), then with a
# rule opening TCP 80.
"$OC" lab exec --prefix "$PREFIX" ext -- python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("203.0.113.1", 7777)); s.listen(16)
while True:
    c, peer = s.accept(); c.sendall(peer[0].encode()); c.close()' &
BACKGROUND+=($!)
fetch_seen_as='import socket,sys
s = socket.create_connection(("203.0.113.1", 7777), timeout=3); print(s.recv(64).decode())'
declare -A ROUTER_IP FIP
for tenant in a b; do
  api -f json router create "r-$tenant" --project "${PROJECT[$tenant]}" >"$WORK/r-$tenant.json"
  api router add subnet "r-$tenant" "$tenant-subnet" >/dev/null
  api -f json router set "r-$tenant" --external-gateway public >/dev/null
  ROUTER_IP[$tenant]=$(api -f json router show "r-$tenant" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["external_gateway_info"]["external_fixed_ips"][0]["ip_address"])')
  FIP[$tenant]=$(api -f json floating ip create public --port "${tenant}1-port" --project "${PROJECT[$tenant]}" |
    json_field floating_ip_address)
  mkdir -p "$WORK/www-${tenant}1"
  echo "hello from ${tenant}1 (tenant $tenant)" >"$WORK/www-${tenant}1/index.html"
  "$OC" lab exec --prefix "$PREFIX" "${tenant}1" -- python3 -m http.server 80 --directory "$WORK/www-${tenant}1" \
    >/dev/null 2>&1 &
  BACKGROUND+=($!)
done
api router list
api floating ip list
sleep 1  # the web servers bind

web() { lab exec ext -- curl -s -m "$2" "http://$1/" 2>/dev/null || true; }
printf '\n%-7s %-8s %-14s %-22s %-14s %-18s %-18s\n' tenant router "router ext IP" "ext sees VM 2 as" \
  "floating IP" "web, default SG" "web, TCP 80 open"
for tenant in a b; do
  router_ok=no
  lab exec "${tenant}2" -- ping -n -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && router_ok=yes
  seen=$(lab exec "${tenant}2" -- python3 -c "$fetch_seen_as" 2>/dev/null || echo none)
  before=$(web "${FIP[$tenant]}" 2)
  sg=$(api -f json security group list | python3 -c '
import json,sys
print(next(g["id"] for g in json.load(sys.stdin) if g["name"] == "default" and g["project_id"] == sys.argv[1]))' \
    "${PROJECT[$tenant]}")
  api security group rule create "$sg" --ingress --protocol tcp --dst-port 80 >/dev/null
  after=""
  for _ in 1 2 3; do after=$(web "${FIP[$tenant]}" 3); [[ -n $after ]] && break; sleep 1; done
  cell_seen="$seen"; [[ $seen == "${ROUTER_IP[$tenant]}" ]] || { cell_seen="$seen!"; wrong=$((wrong + 1)); }
  cell_before=blocked; [[ -z $before ]] || { cell_before="served!"; wrong=$((wrong + 1)); }
  cell_after="served"; [[ $after == "hello from ${tenant}1 (tenant $tenant)" ]] || { cell_after="${after:-blocked}!"; wrong=$((wrong + 1)); }
  [[ $router_ok == yes ]] || { router_ok="no!"; wrong=$((wrong + 1)); }
  printf '%-7s %-8s %-14s %-22s %-14s %-18s %-18s\n' "$tenant" "$router_ok" "${ROUTER_IP[$tenant]}" "$cell_seen" \
    "${FIP[$tenant]}" "$cell_before" "$cell_after"
done
if ((wrong > 0)); then
  echo "OUTSIDE-WORLD MATRIX WRONG: $wrong cell(s) marked '!'" >&2
  exit 1
fi
echo "correct: both tenants (identical 10.0.0.0/24) leave through their own router's address, each"
echo "floating IP serves its own VM's page, and only once the security group allows TCP 80"
# a1 lives on hv1, the gateway host, which NATs its floating IP; b1 lives on hv3, which maps
# the external network too and NATs b1's floating IP itself (DVR): its traffic crosses no
# third host.
for host in hv1 hv3; do
  lab agent "$host" /counters | python3 -c '
import json,sys
s = json.load(sys.stdin)["stages"]
print(sys.argv[1], "router_nat", {k: v for k, v in s["router_nat"].items() if v},
      "| gateway connections", s["gateway_conntrack"]["connections"])' "$host"
done

say "A day in the life of a packet: a1 (hv1) pings a2 (hv2)"
# Empty neighbour caches everywhere: a1 and a2 must ARP, and no other VM's neighbour
# probes add to the host-wide counters during the walk.
for vm in "${vms[@]}"; do lab exec "$vm" -- ip neigh flush all; done
lab agent hv1 /counters >"$WORK/hv1-before.json"
lab agent hv2 /counters >"$WORK/hv2-before.json"
pcap="$WORK/underlay.pcap"
capture_pid=""
if command -v tshark >/dev/null; then
  # Not through the lab() function: $! must be the process that becomes tshark.
  "$OC" lab exec --prefix "$PREFIX" fab -- tshark -q -n -i "$PREFIX-leaf1" -f "udp port 4789" \
    -w "$pcap" 2>"$WORK/tshark.err" &
  capture_pid=$!
  for _ in $(seq 50); do grep -q "Capturing on" "$WORK/tshark.err" 2>/dev/null && break; sleep 0.1; done
fi
lab exec a1 -- ping -n -c 1 -W 2 "${VM_IP[a2]}"
sleep 0.5
if [[ -n $capture_pid ]]; then kill -INT "$capture_pid"; wait "$capture_pid" || true; fi
lab agent hv1 /counters >"$WORK/hv1-after.json"
lab agent hv2 /counters >"$WORK/hv2-after.json"
python3 "$(dirname "$0")/demo_packet_walk.py" "$WORK" "$(lab status --json)" \
  "${VM_MAC[a1]}" "${VM_MAC[a2]}" "$pcap"

say "Tearing the lab down"

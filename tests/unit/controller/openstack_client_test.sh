#!/usr/bin/env bash
# The real OpenStack client (python3-openstackclient) against a real overcast-controller
# on an ephemeral loopback port with a temporary database. Usage: $0 PATH/TO/overcast-controller
set -euo pipefail

controller=$1
work=$(mktemp -d /tmp/oc-osc-test.XXXXXX)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$controller" --api 127.0.0.1:0 --southbound 127.0.0.1:0 --db "$work/db/controller.db" >"$work/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|.*Neutron API listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/log")
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; echo "controller exited early"; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/log"; echo "controller did not report its port"; exit 1; }

os() { openstack --os-auth-type none --os-endpoint "http://127.0.0.1:$port" "$@"; }
# check JSON 'PYTHON-EXPRESSION': asserts the expression over `d`, the command's JSON output.
check() {
  local json=$1 expr=$2
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert eval(sys.argv[2]), (sys.argv[2], d)' "$json" "$expr"
}
step() { echo "== $*"; }

step network create/list/show
out=$(os network create n1 -f json)
check "$out" 'd["name"] == "n1" and d["mtu"] == 1450 and d["provider:network_type"] == "vxlan" and d["status"] == "ACTIVE"'
net_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$out")
check "$(os network list -f json)" 'len(d) == 1 and d[0]["Name"] == "n1"'
check "$(os network show n1 -f json)" 'd["id"] == "'"$net_id"'" and d["provider:segmentation_id"] == 1'

step network set --mtu 1400 --name
os network set --mtu 1400 --name n1b n1
check "$(os network show "$net_id" -f json)" 'd["mtu"] == 1400 and d["name"] == "n1b" and d["revision_number"] == 1'

step subnet create/list/show
out=$(os subnet create --network n1b --subnet-range 10.0.0.0/24 s1 -f json)
check "$out" 'd["cidr"] == "10.0.0.0/24" and d["gateway_ip"] == "10.0.0.1" and d["allocation_pools"] == [{"start": "10.0.0.2", "end": "10.0.0.254"}]'
check "$(os subnet list -f json)" 'len(d) == 1 and d[0]["Subnet"] == "10.0.0.0/24"'
check "$(os subnet show s1 -f json)" 'd["network_id"] == "'"$net_id"'" and d["ip_version"] == 4'
if os subnet create --network n1b --subnet-range 10.0.0.1/24 bad -f json >"$work/err" 2>&1; then
  echo "a host address as cidr was accepted"; exit 1
fi
grep -q cidr "$work/err"

step port create
check "$(os port create --network n1b p1 -f json)" 'd["fixed_ips"][0]["ip_address"] == "10.0.0.2" and d["status"] == "DOWN" and d["mac_address"].startswith("fa:16:3e:")'
check "$(os port create --network n1b --fixed-ip ip-address=10.0.0.5 p2 -f json)" 'd["fixed_ips"][0]["ip_address"] == "10.0.0.5"'
check "$(os port create --network n1b --host hv1 p3 -f json)" 'd["binding_host_id"] == "hv1" and d["binding_vif_type"] == "binding_failed"'
if os port create --network n1b --fixed-ip ip-address=10.0.0.5 clash -f json >"$work/err" 2>&1; then
  echo "a taken address was given twice"; exit 1
fi
grep -q "10.0.0.5" "$work/err"

step port list/show/set/delete
check "$(os port list -f json)" 'len(d) == 3'
check "$(os port list --network n1b -f json)" 'len(d) == 3'
check "$(os port show p2 -f json)" 'd["name"] == "p2" and d["binding_vnic_type"] == "normal"'
os port set --name p2b --host hv2 p2
check "$(os port show p2b -f json)" 'd["binding_host_id"] == "hv2"'
os port delete p1 p2b p3
check "$(os port list -f json)" 'len(d) == 0'

step network agent list
check "$(os network agent list -f json)" 'd == []'

step subnet/network delete
os subnet delete s1
os network delete n1b
check "$(os network list -f json)" 'd == []'

kill -TERM "$pid"
wait "$pid"
pid=""
echo "openstack client: all steps passed"

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

# The log exists before the poll below reads it: the background job's own redirection may
# not have happened yet when the first sed runs (and under set -e that sed would end us).
: >"$work/log"
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

# expect_failure NEEDLE COMMAND...: the command must fail and its output name NEEDLE.
expect_failure() {
  local needle=$1
  shift
  if "$@" >"$work/err" 2>&1; then
    echo "accepted but should have been refused: $*"; exit 1
  fi
  grep -q -- "$needle" "$work/err" || { cat "$work/err"; echo "the refusal does not say '$needle'"; exit 1; }
}
id_of() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$1"; }

step external network and subnet
out=$(os network create public --external --provider-network-type flat --provider-physical-network physnet1 -f json)
check "$out" 'd["router:external"] is True and d["provider:network_type"] == "flat" and d["provider:physical_network"] == "physnet1"'
os subnet create public-subnet --network public --subnet-range 203.0.113.0/24 --gateway 203.0.113.1 -f json >/dev/null

step router create, add subnet, set --external-gateway
router_id=$(id_of "$(os router create r1 -f json)")
os router add subnet r1 s1
check "$(os port list --router r1 -f json)" 'len(d) == 1 and d[0]["Fixed IP Addresses"][0]["ip_address"] == "10.0.0.1"'
expect_failure "already has a port on subnet" os router add subnet r1 s1
os router set --external-gateway public r1
check "$(os router show r1 -f json)" 'd["external_gateway_info"]["network_id"] == "'"$(id_of "$(os network show public -f json)")"'" and d["external_gateway_info"]["enable_snat"] is True and d["external_gateway_info"]["external_fixed_ips"][0]["ip_address"] == "203.0.113.2"'
check "$(os network agent list --router r1 -f json)" 'd == []'
expect_failure "still has ports" os router delete r1

step floating ip create, set --port, unset
vm_id=$(id_of "$(os port create --network n1b vm1 -f json)")
out=$(os floating ip create public -f json)
check "$out" 'd["floating_ip_address"] == "203.0.113.3" and d["port_id"] is None'
fip_id=$(id_of "$out")
os floating ip set --port vm1 "$fip_id"
check "$(os floating ip show "$fip_id" -f json)" 'd["port_id"] == "'"$vm_id"'" and d["router_id"] == "'"$router_id"'" and d["fixed_ip_address"].startswith("10.0.0.")'
check "$(os floating ip list --port vm1 -f json)" 'len(d) == 1'
os floating ip unset --port "$fip_id"
check "$(os floating ip show "$fip_id" -f json)" 'd["port_id"] is None'
os port create --network n1b --no-fixed-ip bare -f json >/dev/null
expect_failure "fixed IP" os floating ip set --port bare "$fip_id"

step security group, rule, delete in use
check "$(os security group list -f json)" 'any(g["Name"] == "default" for g in d)'
os security group create web -f json >/dev/null
out=$(os security group rule create --protocol tcp --dst-port 80 web -f json)
check "$out" 'd["protocol"] == "tcp" and d["port_range_min"] == 80 and d["port_range_max"] == 80 and d["direction"] == "ingress"'
expect_failure "already exists" os security group rule create --protocol tcp --dst-port 80 web
expect_failure "Invalid protocol gre for port range" os security group rule create --protocol gre --dst-port 80 web
check "$(os security group rule list web -f json)" 'len(d) == 3'
os port create --network n1b --security-group web web-port -f json >/dev/null
expect_failure "in use" os security group delete web
os port delete web-port
os security group delete web

step teardown of the routing
os floating ip delete "$fip_id"
os port delete vm1 bare
os router unset --external-gateway r1
os router remove subnet r1 s1
os router delete r1
check "$(os router list -f json)" 'd == []'
os subnet delete public-subnet
os network delete public

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

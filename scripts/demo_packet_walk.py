#!/usr/bin/env python3
"""The demo's "day in the life of a packet": the counter deltas at every hop of one ping
from a1 (hv1) to a2 (hv2), read from the agents' control sockets before and after, and the
VXLAN frames a tshark on the fabric saw.

usage: demo_packet_walk.py WORKDIR LAB_STATUS_JSON A1_MAC A2_MAC PCAP
WORKDIR holds hv1-before.json, hv1-after.json, hv2-before.json, hv2-after.json
(`overcast lab agent hvN /counters`)."""

import json
import os
import shutil
import subprocess
import sys


def load(workdir, name):
    with open(os.path.join(workdir, name)) as f:
        return json.load(f)


def port_of(counters, port_id):
    return next((p for p in counters.get("ports", []) if p.get("port_id") == port_id), {})


def get(tree, path):
    for key in path.split("."):
        tree = tree.get(key, {}) if isinstance(tree, dict) else {}
    return tree if isinstance(tree, int) else 0


def main():
    workdir, status_text, a1_mac, a2_mac, pcap = sys.argv[1:6]
    status = json.loads(status_text)
    vms = {vm["name"]: vm for vm in status["vms"]}
    hosts = {h["name"]: h for h in status["hosts"]}
    c = {f"{h}-{w}": load(workdir, f"{h}-{w}.json") for h in ("hv1", "hv2")
         for w in ("before", "after")}

    def delta(host, path):
        return get(c[f"{host}-after"], path) - get(c[f"{host}-before"], path)

    def port_delta(host, vm, field):
        port_id = vms[vm]["port_id"]
        return (port_of(c[f"{host}-after"], port_id).get(field, 0)
                - port_of(c[f"{host}-before"], port_id).get(field, 0))

    a1, a2 = vms["a1"], vms["a2"]
    vni = port_of(c["hv1-after"], a1["port_id"]).get("vni", "?")
    hv1_ip, hv2_ip = hosts["hv1"]["underlay_ip"], hosts["hv2"]["underlay_ip"]
    rows = [
        ("a1 asks ARP 'who has %s?'; hv1's agent answers from its view" % a2["ip"],
         "hv1 arp_responder.replied", delta("hv1", "stages.arp_responder.replied")),
        ("a1's port %s on hv1 receives (ARP + echo request)" % a1["tap"],
         "hv1 port rx_packets", port_delta("hv1", "a1", "rx_packets")),
        ("L2 lookup in VNI %s: %s is remote, behind hv2" % (vni, a2_mac),
         "hv1 l2_forward.remote", delta("hv1", "stages.l2_forward.remote")),
        ("VXLAN encapsulation, VNI %s, outer %s -> %s UDP 4789" % (vni, hv1_ip, hv2_ip),
         "hv1 vxlan_encap.out", delta("hv1", "stages.vxlan_encap.out")),
        ("tunnel socket sends it into the routed underlay",
         "hv1 tunnel tx_packets", delta("hv1", "tunnel.tx_packets")),
        ("hv2's tunnel socket receives it (leaf2, via the fabric router)",
         "hv2 tunnel rx_packets", delta("hv2", "tunnel.rx_packets")),
        ("VXLAN decapsulation: VNI %s, for a local port" % vni,
         "hv2 vxlan_decap.local", delta("hv2", "stages.vxlan_decap.local")),
        ("a2's port %s on hv2 transmits it to a2 (+ the local ARP answer)" % a2["tap"],
         "hv2 port tx_packets", port_delta("hv2", "a2", "tx_packets")),
        ("the reply: a2 ARPs for %s, hv2 answers locally" % a1["ip"],
         "hv2 arp_responder.replied", delta("hv2", "stages.arp_responder.replied")),
        ("the reply: hv2 encapsulates back to hv1",
         "hv2 vxlan_encap.out", delta("hv2", "stages.vxlan_encap.out")),
        ("the reply: hv1 decapsulates it",
         "hv1 vxlan_decap.local", delta("hv1", "stages.vxlan_decap.local")),
        ("the reply: a1's port on hv1 transmits it (+ the local ARP answer)",
         "hv1 port tx_packets", port_delta("hv1", "a1", "tx_packets")),
    ]
    width = max(len(r[0]) for r in rows)
    print("(counters are per host; the ping is the only traffic during the walk)")
    print(f"{'hop':<{width}}  {'counter':<26} delta")
    for text, counter, value in rows:
        print(f"{text:<{width}}  {counter:<26} {value:+d}")
    drops = {h: {k: v for k, v in c[f"{h}-after"].get("drops", {}).items()
                 if v != c[f"{h}-before"].get("drops", {}).get(k, 0)} for h in ("hv1", "hv2")}
    print("drops during the ping:", drops if any(drops.values()) else "none")

    if os.path.exists(pcap) and shutil.which("tshark"):
        print("\non the wire (tshark on the fabric's leaf1 bridge, an independent decoder):")
        out = subprocess.run(
            ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "occurrence=a",
             "-E", "aggregator=,", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport",
             "-e", "vxlan.vni", "-e", "eth.src", "-e", "eth.dst", "-e", "_ws.col.Info"],
            capture_output=True, text=True).stdout
        arp_on_wire = 0
        for line in out.splitlines():
            f = line.split("\t")
            if len(f) < 7:
                continue
            ips, macs_src, macs_dst = f[0].split(","), f[4].split(","), f[5].split(",")
            if "ARP" in f[6] or "Who has" in f[6]:
                arp_on_wire += 1
            print(f"  outer {ips[0]} -> {f[1].split(',')[0]} udp/{f[2]}  VNI {f[3]}  "
                  f"inner {macs_src[-1]} -> {macs_dst[-1]} {ips[-1]} -> {f[1].split(',')[-1]}  "
                  f"{f[6]}")
        print(f"  inner ARP frames on the wire: {arp_on_wire}")


if __name__ == "__main__":
    main()

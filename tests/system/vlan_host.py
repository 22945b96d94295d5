"""A plain host on an 802.1Q VLAN, in user space: what `ip link add link IF type vlan` would
give, for kernels without the 8021q module (the test machine has none). Standard library only.

    vlan_host.py IFACE VID MAC IP SECONDS [PING_TARGET COUNT]

For SECONDS it answers ARP requests for IP and ICMP echo requests to IP that arrive on IFACE
tagged with VID, with frames tagged VID; with PING_TARGET it also resolves that address by ARP
and sends COUNT echo requests to it. At the end it prints one JSON line: what it saw and got.
Frames whose tag the kernel moved into metadata (rx VLAN offload) are read from PACKET_AUXDATA.
"""

import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def mac_bytes(text):
    return bytes(int(part, 16) for part in text.split(":"))


class VlanHost:
    def __init__(self, iface, vid, mac, ip):
        self.vid, self.mac, self.ip = vid, mac_bytes(mac), socket.inet_aton(ip)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.bind((iface, 0))
        self.neighbours = {}
        self.stats = {"arp_answered": 0, "echo_answered": 0, "echo_replies": 0, "other_vlan_frames": 0,
                      "untagged_frames": 0}

    def send(self, dst, ethertype, payload):
        tag = struct.pack("!HHH", 0x8100, self.vid, ethertype)
        self.sock.send(dst + self.mac + tag + payload)

    def arp(self, op, target_mac, target_ip, dst):
        body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + self.mac + self.ip + target_mac + target_ip
        self.send(dst, 0x0806, body)

    def ip_packet(self, dst_ip, payload, ident):
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, 1, 0, self.ip, dst_ip)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        return header + payload

    def echo(self, kind, ident, seq, data):
        icmp = struct.pack("!BBHHH", kind, 0, 0, ident, seq) + data
        return icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]

    def receive(self):
        data, ancillary, _, _ = self.sock.recvmsg(65535, socket.CMSG_SPACE(20))
        vid = None
        for level, kind, value in ancillary:
            if level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= 20:
                status, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", value[:20])
                if status & TP_STATUS_VLAN_VALID:
                    vid = tci & 0x0FFF
                    ethertype = struct.unpack("!H", data[12:14])[0]
                    return data[:6], data[6:12], vid, ethertype, data[14:]
        if len(data) >= 18 and data[12:14] == b"\x81\x00":
            vid = struct.unpack("!H", data[14:16])[0] & 0x0FFF
            return data[:6], data[6:12], vid, struct.unpack("!H", data[16:18])[0], data[18:]
        return data[:6], data[6:12], None, struct.unpack("!H", data[12:14])[0] if len(data) >= 14 else 0, data[14:]

    def handle(self, frame):
        dst, src, vid, ethertype, payload = frame
        if vid is None:
            self.stats["untagged_frames"] += 1
            return
        if vid != self.vid:
            self.stats["other_vlan_frames"] += 1
            return
        if ethertype == 0x0806 and len(payload) >= 28:
            op = struct.unpack("!H", payload[6:8])[0]
            sender_mac, sender_ip, target_ip = payload[8:14], payload[14:18], payload[24:28]
            self.neighbours[sender_ip] = sender_mac
            if op == 1 and target_ip == self.ip:
                self.arp(2, sender_mac, sender_ip, sender_mac)
                self.stats["arp_answered"] += 1
        elif ethertype == 0x0800 and len(payload) >= 28 and payload[9] == 1 and payload[16:20] == self.ip:
            header_length = (payload[0] & 0x0F) * 4
            icmp = payload[header_length:struct.unpack("!H", payload[2:4])[0]]
            kind, _, _, ident, seq = struct.unpack("!BBHHH", icmp[:8])
            if kind == 8:
                reply = self.ip_packet(payload[12:16], self.echo(0, ident, seq, icmp[8:]), seq)
                self.send(src, 0x0800, reply)
                self.stats["echo_answered"] += 1
            elif kind == 0 and ident == 0x4f43:
                self.stats["echo_replies"] += 1

    def run(self, seconds, target=None, count=0):
        deadline = time.monotonic() + seconds
        target_ip = socket.inet_aton(target) if target else None
        sent, next_send = 0, time.monotonic() + 0.5
        while time.monotonic() < deadline:
            now = time.monotonic()
            if target_ip and sent < count and now >= next_send:
                if target_ip in self.neighbours:
                    packet = self.ip_packet(target_ip, self.echo(8, 0x4f43, sent, b"overcast" * 7), 1000 + sent)
                    self.send(self.neighbours[target_ip], 0x0800, packet)
                    sent += 1
                else:
                    self.arp(1, b"\0" * 6, target_ip, b"\xff" * 6)
                next_send = now + 0.3
            ready, _, _ = select.select([self.sock], [], [], 0.1)
            if ready:
                self.handle(self.receive())
        self.stats["echo_sent"] = sent
        return self.stats


def main(argv):
    iface, vid, mac, ip, seconds = argv[1], int(argv[2]), argv[3], argv[4], float(argv[5])
    target, count = (argv[6], int(argv[7])) if len(argv) > 7 else (None, 0)
    print(json.dumps(VlanHost(iface, vid, mac, ip).run(seconds, target, count)), flush=True)


if __name__ == "__main__":
    main(sys.argv)

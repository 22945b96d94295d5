#!/usr/bin/python3
"""Decodes the too-big replies and IPv4 fragments too_big_dump writes with scapy,
an implementation that shares nothing with ours: checksums must be what scapy
computes, fields what RFC 1191 / RFC 4443 / RFC 791 say, and fragments must
reassemble (scapy's defragment) to the original datagram.

Usage: too_big_scapy_check.py PATH_TO_too_big_dump
"""
import os
import subprocess
import sys
import tempfile
import unittest

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.layers.inet import ICMP, IP, defragment  # noqa: E402
from scapy.layers.inet6 import IPv6, ICMPv6PacketTooBig  # noqa: E402
from scapy.layers.l2 import Dot1Q, Ether  # noqa: E402

DUMP = None


def recomputed(frame, layer, field):
    """The value scapy computes for `field` of `layer` in `frame`."""
    pkt = Ether(frame)
    delattr(pkt[layer], field)
    return getattr(Ether(bytes(pkt))[layer], field)


def l3_bytes(frame):
    pkt = Ether(frame)
    return bytes(pkt[IP] if IP in pkt else pkt[IPv6])


class TooBigScapyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fd, path = tempfile.mkstemp(prefix="too_big_dump.", suffix=".txt")
        os.close(fd)
        try:
            subprocess.run([DUMP, path], check=True, timeout=60)
            with open(path) as f:
                cls.lines = [line.split() for line in f if line.strip()]
        finally:
            os.unlink(path)
        cls.replies = [(int(l[1]), bytes.fromhex(l[2]), bytes.fromhex(l[3])) for l in cls.lines if l[0] == "reply"]
        cls.frags = [(int(l[1]), bytes.fromhex(l[2]), [bytes.fromhex(x) for x in l[3].split(",")])
                     for l in cls.lines if l[0] == "frag"]

    def test_dump_has_every_case(self):
        self.assertEqual(len(self.replies), 8)
        self.assertEqual(len(self.frags), 4)

    def check_ethernet(self, orig, reply):
        o, r = Ether(orig), Ether(reply)
        self.assertEqual(r.dst, o.src)
        self.assertEqual(r.src, o.dst)
        self.assertEqual(Dot1Q in r, Dot1Q in o)
        if Dot1Q in o:
            self.assertEqual(r[Dot1Q].vlan, o[Dot1Q].vlan)

    def test_ipv4_replies(self):
        cases = [c for c in self.replies if IP in Ether(c[1])]
        self.assertEqual(len(cases), 4)
        for mtu, orig, reply in cases:
            with self.subTest(mtu=mtu, length=len(orig)):
                self.check_ethernet(orig, reply)
                o, r = Ether(orig), Ether(reply)
                self.assertIn(ICMP, r)
                self.assertEqual((r[IP].src, r[IP].dst), (o[IP].dst, o[IP].src))
                self.assertEqual(r[IP].proto, 1)
                self.assertEqual(r[IP].chksum, recomputed(reply, IP, "chksum"))
                self.assertEqual(r[ICMP].type, 3)
                self.assertEqual(r[ICMP].code, 4)
                self.assertEqual(r[ICMP].nexthopmtu, mtu)
                self.assertEqual(r[ICMP].chksum, recomputed(reply, ICMP, "chksum"))
                quoted = bytes(r[ICMP].payload)
                self.assertEqual(quoted, l3_bytes(orig)[:576 - 28])
                self.assertLessEqual(r[IP].len, 576)
                self.assertEqual(r[IP].len, 28 + len(quoted))

    def test_ipv6_replies(self):
        cases = [c for c in self.replies if IPv6 in Ether(c[1])]
        self.assertEqual(len(cases), 4)
        for mtu, orig, reply in cases:
            with self.subTest(mtu=mtu, length=len(orig)):
                self.check_ethernet(orig, reply)
                o, r = Ether(orig), Ether(reply)
                self.assertIn(ICMPv6PacketTooBig, r)
                self.assertEqual((r[IPv6].src, r[IPv6].dst), (o[IPv6].dst, o[IPv6].src))
                self.assertEqual(r[IPv6].nh, 58)
                self.assertEqual(r[ICMPv6PacketTooBig].type, 2)
                self.assertEqual(r[ICMPv6PacketTooBig].code, 0)
                self.assertEqual(r[ICMPv6PacketTooBig].mtu, mtu)
                self.assertEqual(r[ICMPv6PacketTooBig].cksum, recomputed(reply, ICMPv6PacketTooBig, "cksum"))
                quoted = bytes(r[ICMPv6PacketTooBig].payload)
                self.assertEqual(quoted, l3_bytes(orig)[:1280 - 48])
                self.assertEqual(r[IPv6].plen, 8 + len(quoted))
                self.assertLessEqual(len(l3_bytes(reply)), 1280)

    def test_fragments(self):
        for mtu, orig, pieces in self.frags:
            o = Ether(orig)
            with self.subTest(mtu=mtu, length=len(orig)):
                base = o[IP].frag
                expected_offset = base
                for i, raw in enumerate(pieces):
                    p = Ether(raw)
                    last = i == len(pieces) - 1
                    self.assertLessEqual(len(bytes(p[IP])), mtu)
                    self.assertEqual(p[IP].len, len(bytes(p[IP])))
                    self.assertEqual(p[IP].chksum, recomputed(raw, IP, "chksum"))
                    self.assertEqual(p[IP].id, o[IP].id)
                    self.assertEqual(p[IP].frag, expected_offset)
                    self.assertEqual(bool(p[IP].flags.MF), bool(o[IP].flags.MF) if last else True)
                    data = bytes(p[IP].payload)
                    if not last:
                        self.assertEqual(len(data) % 8, 0)
                    expected_offset += len(data) // 8
                if base == 0 and not o[IP].flags.MF:
                    whole = defragment([Ether(raw) for raw in pieces])
                    self.assertEqual(len(whole), 1)
                    self.assertEqual(bytes(whole[0][IP].payload), bytes(o[IP].payload))
                else:
                    data = b"".join(bytes(Ether(raw)[IP].payload) for raw in pieces)
                    self.assertEqual(data, bytes(o[IP].payload))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    DUMP = sys.argv.pop(1)
    unittest.main(verbosity=2)

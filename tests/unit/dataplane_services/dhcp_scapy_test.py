"""The DHCP codec against an independent implementation: scapy decodes the replies the
C++ codec builds, and the C++ codec parses requests (good and malformed) scapy builds.

Usage: dhcp_scapy_test.py PATH/TO/dhcp_scapy_tool   (run by ctest with /usr/bin/python3)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, Raw, rdpcap, wrpcap  # noqa: E402

TOOL = None


def options(pkt):
    return {o[0]: o[1:] if len(o) > 2 else o[1] for o in pkt[DHCP].options if isinstance(o, tuple)}


class RepliesDecodedByScapy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        path = os.path.join(cls.tmp.name, "replies.pcap")
        subprocess.run([TOOL, "replies", path], check=True)
        cls.frames = rdpcap(path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_three_replies_with_valid_checksums(self):
        self.assertEqual(len(self.frames), 3)
        for f in self.frames:
            ip_sum, udp_sum = f[IP].chksum, f[UDP].chksum
            rebuilt = Ether(bytes(f))
            del rebuilt[IP].chksum
            del rebuilt[UDP].chksum
            rebuilt = Ether(bytes(rebuilt))
            self.assertEqual(rebuilt[IP].chksum, ip_sum)
            self.assertEqual(rebuilt[UDP].chksum, udp_sum)
            self.assertEqual((f[UDP].sport, f[UDP].dport), (67, 68))
            self.assertEqual(f[BOOTP].op, 2)
            self.assertGreaterEqual(len(f[BOOTP]), 300)

    def test_offer(self):
        f = self.frames[0]
        o = options(f)
        self.assertEqual(f[Ether].dst, "ff:ff:ff:ff:ff:ff")  # client set the broadcast flag
        self.assertEqual(f[IP].dst, "255.255.255.255")
        self.assertEqual(f[IP].src, "10.0.0.2")
        self.assertEqual(f[BOOTP].xid, 0x11223344)
        self.assertEqual(f[BOOTP].yiaddr, "10.0.0.5")
        self.assertEqual(f[BOOTP].chaddr[:6], bytes.fromhex("fa163e000005"))
        self.assertEqual(o["message-type"], 2)
        self.assertEqual(o["server_id"], "10.0.0.2")
        self.assertEqual(o["subnet_mask"], "255.255.255.0")
        self.assertEqual(o["router"], "10.0.0.1")
        self.assertEqual(o["name_server"], ("8.8.8.8", "1.1.1.1"))
        self.assertEqual(o["domain"], b"example.org")
        self.assertEqual(o["interface-mtu"], 1450)
        self.assertEqual(o["broadcast_address"], "10.0.0.255")
        self.assertEqual(o["lease_time"], 3600)
        self.assertEqual(o["renewal_time"], 1800)
        self.assertEqual(o["rebinding_time"], 3150)
        # scapy (Debian 12's 2.5) decodes option 121 itself: RFC 3442 encoding checked independently.
        self.assertEqual(list(o["classless_static_routes"]), ["172.16.0.0/12:10.0.0.254", "0.0.0.0/0:10.0.0.1"])

    def test_ack_without_parameter_list_gets_all_but_routes(self):
        f = self.frames[1]
        o = options(f)
        self.assertEqual(o["message-type"], 5)
        self.assertEqual(f[Ether].dst, "fa:16:3e:00:00:05")  # unicast to chaddr
        self.assertEqual(f[IP].dst, "10.0.0.5")
        self.assertEqual(f[BOOTP].yiaddr, "10.0.0.5")
        self.assertEqual(o["interface-mtu"], 1450)
        self.assertEqual(o["router"], "10.0.0.1")
        self.assertNotIn("classless_static_routes", o)

    def test_nak(self):
        f = self.frames[2]
        o = options(f)
        self.assertEqual(o["message-type"], 6)
        self.assertEqual(f[BOOTP].yiaddr, "0.0.0.0")
        self.assertEqual(f[Ether].dst, "ff:ff:ff:ff:ff:ff")
        self.assertNotIn("lease_time", o)


def request_frame(dhcp_options, xid=0x01020304, flags=0, ciaddr="0.0.0.0", mac="fa:16:3e:00:00:07"):
    chaddr = bytes.fromhex(mac.replace(":", ""))
    return (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67)
            / BOOTP(op=1, xid=xid, flags=flags, ciaddr=ciaddr, chaddr=chaddr)
            / DHCP(options=dhcp_options))


class RequestsBuiltByScapy(unittest.TestCase):
    def parse(self, frames):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "requests.pcap")
            wrpcap(path, frames)
            out = subprocess.run([TOOL, "parse", path], check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines()]

    def test_good_requests(self):
        got = self.parse([
            request_frame([("message-type", "discover"), ("param_req_list", [1, 3, 6, 26, 121]),
                           ("max_dhcp_size", 1500), "end"], flags=0x8000),
            request_frame([("message-type", "request"), ("requested_addr", "10.0.0.7"),
                           ("server_id", "10.0.0.2"), "end"], xid=0xcafe),
            request_frame([("message-type", "request"), "end"], ciaddr="10.0.0.7"),
        ])
        self.assertEqual(got[0], {"result": "ok", "type": 1, "xid": 0x01020304, "chaddr": "fa:16:3e:00:00:07",
                                  "broadcast": True, "ciaddr": "0.0.0.0", "prl": [1, 3, 6, 26, 121],
                                  "max_message_size": 1500})
        self.assertEqual(got[1]["type"], 3)
        self.assertEqual(got[1]["xid"], 0xcafe)
        self.assertEqual(got[1]["requested_ip"], "10.0.0.7")
        self.assertEqual(got[1]["server_id"], "10.0.0.2")
        self.assertEqual(got[2]["ciaddr"], "10.0.0.7")
        self.assertNotIn("requested_ip", got[2])

    def test_malformed_requests_get_reasons(self):
        good = request_frame([("message-type", "discover"), "end"])
        no_magic = Ether(bytes(good)[:-len(good[DHCP]) - 4]) / Raw(b"\x00\x00\x00\x00" + bytes(good[DHCP]))
        overlong_option = bytes(good)[:-len(bytes(good[DHCP]))] + bytes([53, 1, 1, 12, 40, 0x41, 0x42])
        rogue = request_frame([("message-type", "offer"), "end"])
        no_type = request_frame([("hostname", b"vm"), "end"])
        no_end = bytes(good)[:-1]
        short = bytes(good)[:14 + 20 + 8 + 100]
        reply_port = Ether(bytes(good))
        reply_port[UDP].dport = 68
        frames = [Ether(bytes(no_magic)), Ether(overlong_option), rogue, no_type, Ether(no_end), Ether(short),
                  reply_port]
        for f in frames:  # keep the corrupted lengths honest: IP/UDP lengths match the bytes
            if IP in f:
                del f[IP].len
                del f[IP].chksum
            if UDP in f:
                del f[UDP].len
                del f[UDP].chksum
        got = [g["result"] for g in self.parse([Ether(bytes(f)) for f in frames])]
        self.assertEqual(got, ["bad_magic", "bad_option", "server_message", "no_message_type", "bad_option",
                               "truncated", "not_dhcp"])


if __name__ == "__main__":
    TOOL = sys.argv.pop(1)
    unittest.main()

// What a router does with a packet larger than the next link: for IPv4 without DF,
// fragment it (RFC 791 §3.2); for IPv4 with DF, answer ICMP "fragmentation needed"
// (RFC 1191) and for IPv6 ICMPv6 "packet too big" (RFC 8201), so the sender lowers
// its path MTU instead of losing the packet silently.
//
// Frames are Ethernet (VLAN tags allowed); `mtu` is the largest IP packet the
// network carries.
#pragma once

#include <cstddef>
#include <cstdint>

namespace overcast::dataplane {

enum class TooBigAction { kFragment, kReply, kDrop };

// Which of the three applies to `frame`. kDrop: not IP, unparsable, from a
// multicast/unspecified source, IPv4 without DF but with options (not fragmented here),
// or one no ICMP error may answer (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7): an ICMP error,
// a non-initial fragment, a packet to a multicast or broadcast address (IP or MAC).
TooBigAction too_big_action(const uint8_t* frame, size_t length);

// Writes the ICMP/ICMPv6 reply to `frame` into `out` (capacity `room`), addressed
// back to its sender from its destination (MACs and IPs swapped), quoting as much
// of the packet as RFC 1812 §4.3.2.3 / RFC 4443 §2.4 allow. Returns its length,
// 0 if it does not fit or the frame is not one too_big_action() says kReply to.
size_t build_too_big_reply(const uint8_t* frame, size_t length, uint32_t mtu, uint8_t* out, size_t room);

// IPv4 fragmentation: the number of fragments `frame` needs for `mtu`, and the
// fragment `index` of them written into `out` (Ethernet and IP header copied, offset,
// MF, length and checksum set). Returns its length, 0 if it does not fit `room`.
// A count of 0: not fragmentable (options, or offsets past the header's 13 bits).
size_t ipv4_fragment_count(const uint8_t* frame, size_t length, uint32_t mtu);
size_t build_ipv4_fragment(const uint8_t* frame, size_t length, uint32_t mtu, size_t index, uint8_t* out,
                           size_t room);

}  // namespace overcast::dataplane

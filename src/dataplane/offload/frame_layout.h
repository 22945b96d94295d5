// Where the headers of a TCP-over-IP Ethernet frame are, checked: what segmentation
// and coalescing both need before they touch a byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace overcast::dataplane {

struct TcpFrameLayout {
  uint16_t l3_offset = 0;       // after Ethernet and any VLAN tags
  uint16_t l4_offset = 0;       // after the IP header (IPv4 options included)
  uint16_t payload_offset = 0;  // after the TCP header and its options
  bool ipv6 = false;
};

// The layout when `frame` is Ethernet (up to two VLAN tags) + IPv4 without fragments
// or IPv6 without extension headers + a TCP header that fits. The IP length fields
// are not checked against `length`: a GSO super-frame's may say anything.
std::optional<TcpFrameLayout> parse_tcp_frame(const uint8_t* frame, size_t length);

// The L3 offset and IP version of any IPv4/IPv6 frame (after VLAN tags), for
// checksum completion on non-TCP traffic. nullopt for other ethertypes.
struct IpFrameLayout {
  uint16_t l3_offset = 0;
  bool ipv6 = false;
};
std::optional<IpFrameLayout> parse_ip_frame(const uint8_t* frame, size_t length);

}  // namespace overcast::dataplane

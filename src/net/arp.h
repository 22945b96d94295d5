// ARP for IPv4 over Ethernet (RFC 826): the only kind the data plane answers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/mac_address.h"
#include "net/byte_order.h"

namespace overcast::net {

namespace arp {
inline constexpr uint16_t kHardwareEthernet = 1;
inline constexpr uint16_t kOpRequest = 1;
inline constexpr uint16_t kOpReply = 2;
}  // namespace arp

struct [[gnu::may_alias]] ArpPacket {
  be16 hardware_type;
  be16 protocol_type;
  uint8_t hardware_length;
  uint8_t protocol_length;
  be16 operation;
  uint8_t sender_mac[6];
  be32 sender_ip;
  uint8_t target_mac[6];
  be32 target_ip;
};
static_assert(sizeof(ArpPacket) == 28);

// The ARP packet at `data` if it is Ethernet/IPv4 ARP and fits in `length`.
inline const ArpPacket* parse_arp_ethernet_ipv4(const uint8_t* data, size_t length) {
  if (length < sizeof(ArpPacket)) return nullptr;
  const auto* a = header_at<ArpPacket>(data);
  if (a->hardware_type.host() != arp::kHardwareEthernet || a->protocol_type.host() != 0x0800 ||
      a->hardware_length != 6 || a->protocol_length != 4) {
    return nullptr;
  }
  return a;
}

// Turns the request at `a` into the reply "target_ip is at `answer`", in place.
inline void make_arp_reply_in_place(ArpPacket* a, const MacAddress& answer) {
  const be32 asked_ip = a->target_ip;
  for (int i = 0; i < 6; ++i) a->target_mac[i] = a->sender_mac[i];
  a->target_ip = a->sender_ip;
  for (int i = 0; i < 6; ++i) a->sender_mac[i] = answer.bytes[i];
  a->sender_ip = asked_ip;
  a->operation = be16::from_host(arp::kOpReply);
}

}  // namespace overcast::net

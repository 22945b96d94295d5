// The gateway's own ARP frames on the external segment (RFC 826, Ethernet/IPv4):
// requests for its next hops, gratuitous ARP when it takes a router's addresses over
// (failover: the outside's caches must move to this host's uplink), and reading the
// sender of an ARP frame the uplink received (to feed the NeighbourCache).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/mac_address.h"

namespace overcast::dataplane::gateway {

// Ethernet (14) + ARP (28), padded to the 60-byte Ethernet minimum.
inline constexpr size_t kArpFrameSize = 60;

// "Who has target_ip? Tell sender_ip" broadcast from sender_mac. Returns the frame's
// length, 0 when `capacity` is too small.
size_t build_arp_request(uint8_t* out, size_t capacity, const MacAddress& sender_mac, uint32_t sender_ip,
                         uint32_t target_ip);
// Gratuitous ARP (RFC 5227 section 3 "ARP announcement": a request with sender = target
// = ip), broadcast. Returns the length, 0 when `capacity` is too small.
size_t build_gratuitous_arp(uint8_t* out, size_t capacity, const MacAddress& mac, uint32_t ip);

// "our_ip is at our_mac", unicast to the asker. Returns the length, 0 when `capacity` is too small.
size_t build_arp_reply(uint8_t* out, size_t capacity, const MacAddress& our_mac, uint32_t our_ip,
                       const MacAddress& asker_mac, uint32_t asker_ip);

struct ArpSender {
  uint32_t ip = 0;  // host order
  MacAddress mac;
  bool reply = false;
  uint32_t target_ip = 0;
};
// The sender of the Ethernet/IPv4 ARP frame at `frame` (untagged), or nullopt when it is
// not one or is cut short.
std::optional<ArpSender> parse_arp_sender(const uint8_t* frame, size_t length);

}  // namespace overcast::dataplane::gateway

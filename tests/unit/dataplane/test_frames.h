// Frame builders for data plane tests, written byte by byte (not with the
// parsers under test).
#pragma once

#include <cstdint>
#include <vector>

#include "common/mac_address.h"

namespace overcast::dataplane::testing {

inline MacAddress mac(uint8_t last) { return MacAddress{{0xfa, 0x16, 0x3e, 0x00, 0x00, last}}; }

inline void put_mac(std::vector<uint8_t>& f, const MacAddress& m) { f.insert(f.end(), m.bytes.begin(), m.bytes.end()); }
inline void put16(std::vector<uint8_t>& f, uint16_t v) {
  f.push_back(static_cast<uint8_t>(v >> 8));
  f.push_back(static_cast<uint8_t>(v));
}
inline void put32(std::vector<uint8_t>& f, uint32_t v) {
  put16(f, static_cast<uint16_t>(v >> 16));
  put16(f, static_cast<uint16_t>(v));
}

// Ethernet + IPv4 + UDP, `payload` bytes of payload.
inline std::vector<uint8_t> udp_frame(const MacAddress& dst, const MacAddress& src, uint16_t sport = 1000,
                                      size_t payload = 18) {
  std::vector<uint8_t> f;
  put_mac(f, dst);
  put_mac(f, src);
  put16(f, 0x0800);
  const uint16_t total = static_cast<uint16_t>(20 + 8 + payload);
  f.insert(f.end(), {0x45, 0x00});
  put16(f, total);
  f.insert(f.end(), {0, 0, 0x40, 0, 64, 17, 0, 0});
  put32(f, 0x0a000001);
  put32(f, 0x0a000002);
  put16(f, sport);
  put16(f, 80);
  put16(f, static_cast<uint16_t>(8 + payload));
  put16(f, 0);
  for (size_t i = 0; i < payload; ++i) f.push_back(static_cast<uint8_t>(i));
  return f;
}

// Broadcast ARP request: who has `target_ip`? tell `sender_ip` (at `sender`).
inline std::vector<uint8_t> arp_request(const MacAddress& sender, uint32_t sender_ip, uint32_t target_ip) {
  std::vector<uint8_t> f;
  put_mac(f, MacAddress::broadcast());
  put_mac(f, sender);
  put16(f, 0x0806);
  put16(f, 1);
  put16(f, 0x0800);
  f.push_back(6);
  f.push_back(4);
  put16(f, 1);
  put_mac(f, sender);
  put32(f, sender_ip);
  put_mac(f, MacAddress{});
  put32(f, target_ip);
  return f;
}

// The exact reply an ARP responder must produce for arp_request(...).
inline std::vector<uint8_t> arp_reply(const MacAddress& answer, uint32_t answer_ip, const MacAddress& asker,
                                      uint32_t asker_ip) {
  std::vector<uint8_t> f;
  put_mac(f, asker);
  put_mac(f, answer);
  put16(f, 0x0806);
  put16(f, 1);
  put16(f, 0x0800);
  f.push_back(6);
  f.push_back(4);
  put16(f, 2);
  put_mac(f, answer);
  put32(f, answer_ip);
  put_mac(f, asker);
  put32(f, asker_ip);
  return f;
}

// VXLAN header + inner frame, as the tunnel socket delivers it.
inline std::vector<uint8_t> vxlan_payload(uint32_t vni, const std::vector<uint8_t>& inner, uint8_t flags = 0x08) {
  std::vector<uint8_t> f = {flags, 0, 0, 0, static_cast<uint8_t>(vni >> 16), static_cast<uint8_t>(vni >> 8),
                            static_cast<uint8_t>(vni), 0};
  f.insert(f.end(), inner.begin(), inner.end());
  return f;
}

}  // namespace overcast::dataplane::testing

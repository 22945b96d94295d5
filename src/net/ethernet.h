// Ethernet II header and 802.1Q / 802.1ad tags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/mac_address.h"
#include "net/byte_order.h"

namespace overcast::net {

namespace ethertype {
inline constexpr uint16_t kIpv4 = 0x0800;
inline constexpr uint16_t kArp = 0x0806;
inline constexpr uint16_t kVlan = 0x8100;   // 802.1Q customer tag
inline constexpr uint16_t kQinQ = 0x88a8;   // 802.1ad service tag
inline constexpr uint16_t kIpv6 = 0x86dd;
}  // namespace ethertype

struct [[gnu::may_alias]] EthernetHeader {
  uint8_t dst[6];
  uint8_t src[6];
  be16 ethertype;

  MacAddress dst_mac() const { return MacAddress::from_bytes(dst); }
  MacAddress src_mac() const { return MacAddress::from_bytes(src); }
};
static_assert(sizeof(EthernetHeader) == 14);

// The 4 bytes after the addresses when a frame is tagged: TPID (0x8100/0x88a8)
// is the EthernetHeader's ethertype; this is what follows it.
struct [[gnu::may_alias]] VlanTag {
  be16 tci;  // PCP(3) DEI(1) VID(12)
  be16 ethertype;

  uint16_t vid() const { return tci.host() & 0x0fff; }
};
static_assert(sizeof(VlanTag) == 4);

inline constexpr size_t kEthernetHeaderSize = sizeof(EthernetHeader);
inline constexpr size_t kMaxVlanTags = 2;  // QinQ: service tag + customer tag

struct ParsedEthernet {
  const EthernetHeader* header = nullptr;
  uint16_t ethertype = 0;    // innermost, after any tags
  uint16_t l3_offset = 0;    // where the payload starts
  uint8_t vlan_count = 0;    // 0, 1 or 2 tags
  uint16_t outer_vid = 0;    // VID of the first tag when vlan_count > 0
};

inline bool is_vlan_tpid(uint16_t type) { return type == ethertype::kVlan || type == ethertype::kQinQ; }

// nullopt for a runt (shorter than the header and the tags it announces) or for
// more than kMaxVlanTags tags.
inline std::optional<ParsedEthernet> parse_ethernet(const uint8_t* data, size_t length) {
  if (length < kEthernetHeaderSize) return std::nullopt;
  ParsedEthernet out;
  out.header = header_at<EthernetHeader>(data);
  out.ethertype = out.header->ethertype.host();
  size_t offset = kEthernetHeaderSize;
  while (is_vlan_tpid(out.ethertype)) {
    if (out.vlan_count == kMaxVlanTags || length < offset + sizeof(VlanTag)) return std::nullopt;
    const auto* tag = header_at<VlanTag>(data + offset);
    if (out.vlan_count == 0) out.outer_vid = tag->vid();
    ++out.vlan_count;
    out.ethertype = tag->ethertype.host();
    offset += sizeof(VlanTag);
  }
  out.l3_offset = static_cast<uint16_t>(offset);
  return out;
}

}  // namespace overcast::net

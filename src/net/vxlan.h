// VXLAN header (RFC 7348 §5): 8 bytes after the outer UDP header.
//
//   flags(8: I bit 0x08) | reserved(24) | VNI(24) | reserved(8)
//
// We send every reserved bit zero and, on receive, accept only flags == 0x08 with
// all reserved bits zero: the kernel's VXLAN drops anything else, so a peer that
// sets them is broken or is speaking an extension (GPE, GBP) we do not implement.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/byte_order.h"

namespace overcast::net {

inline constexpr uint16_t kVxlanUdpPort = 4789;  // IANA
inline constexpr uint8_t kVxlanFlagVniValid = 0x08;  // the I bit
inline constexpr uint32_t kVxlanMaxVni = 0xffffff;

struct [[gnu::may_alias]] VxlanHeader {
  uint8_t flags;
  uint8_t reserved1[3];
  uint8_t vni[3];
  uint8_t reserved2;

  uint32_t vni_value() const { return (uint32_t{vni[0]} << 16) | (uint32_t{vni[1]} << 8) | vni[2]; }
  // The only header we accept: I set, every other bit of flags and reserved zero.
  bool is_well_formed() const {
    return flags == kVxlanFlagVniValid && reserved1[0] == 0 && reserved1[1] == 0 && reserved1[2] == 0 &&
           reserved2 == 0;
  }
};
static_assert(sizeof(VxlanHeader) == 8);

// Writes a header for `vni` (low 24 bits) at `out`.
inline void write_vxlan_header(uint8_t* out, uint32_t vni) {
  out[0] = kVxlanFlagVniValid;
  out[1] = out[2] = out[3] = 0;
  out[4] = static_cast<uint8_t>(vni >> 16);
  out[5] = static_cast<uint8_t>(vni >> 8);
  out[6] = static_cast<uint8_t>(vni);
  out[7] = 0;
}

}  // namespace overcast::net

// VXLAN (RFC 7348) as a Codec for EncapStage/DecapStage: the three tunnel hooks.
// The outer UDP/IP headers are the kernel's (the tunnel sends through a UDP
// socket), so the codec handles only the 8-byte VXLAN header.
#pragma once

#include <cstdint>

#include "dataplane/core/packet.h"
#include "dataplane/encap/pop_result.h"
#include "net/vxlan.h"

namespace overcast::dataplane {

struct VxlanCodec {
  static constexpr const char* kName = "vxlan";
  static constexpr const char* kEncapStageName = "vxlan_encap";
  static constexpr const char* kDecapStageName = "vxlan_decap";
  static constexpr uint32_t kHeaderSize = sizeof(net::VxlanHeader);
  static constexpr uint32_t kMaxVni = net::kVxlanMaxVni;

  static void build_header(uint32_t vni, uint8_t* out) { net::write_vxlan_header(out, vni); }

  // Prepends the header in headroom; false without headroom.
  static bool push_header(Packet& p, uint32_t vni) {
    uint8_t* h = p.prepend(kHeaderSize);
    if (!h) return false;
    build_header(vni, h);
    return true;
  }

  // Checks and strips the header; sets `vni` on success.
  static PopResult pop_header(Packet& p, uint32_t& vni) {
    if (p.length() < kHeaderSize) return PopResult::kRunt;
    const auto* h = net::header_at<net::VxlanHeader>(p.data());
    if (!h->is_well_formed()) return PopResult::kBadFlags;
    vni = h->vni_value();
    p.pull(kHeaderSize);
    return PopResult::kOk;
  }
};

}  // namespace overcast::dataplane

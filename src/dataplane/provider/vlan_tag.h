// 802.1Q tags on provider networks' frames: pushed on the way out of a VLAN network's
// uplink, popped on the way in. In place, in the packet's headroom: the 12 address
// bytes move by 4, the payload never does.
#pragma once

#include <cstdint>

#include "dataplane/core/packet.h"

namespace overcast::dataplane {

// Inserts a C-tag (TPID 0x8100) with `vid` after the MAC addresses. Offload offsets
// (partial checksum, GSO headers) move with the bytes. False without headroom or
// for a frame shorter than an Ethernet header.
bool push_vlan_tag(Packet& p, uint16_t vid);

// Removes the first tag. False when the frame does not start with one whole tag.
bool pop_vlan_tag(Packet& p);

}  // namespace overcast::dataplane

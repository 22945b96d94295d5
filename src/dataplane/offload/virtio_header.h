// virtio-net's per-frame header (virtio spec §5.1.6), which a TAP opened with
// IFF_VNET_HDR puts in front of every frame: OffloadInfo to and from it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dataplane/core/offload_info.h"

namespace overcast::dataplane {

// struct virtio_net_hdr of <linux/virtio_net.h>, which C++ cannot include (a member
// there is named `class`). Little-endian fields; 10 bytes, no padding.
struct virtio_net_hdr {
  uint8_t flags;
  uint8_t gso_type;
  uint16_t hdr_len;
  uint16_t gso_size;
  uint16_t csum_start;
  uint16_t csum_offset;
};
static_assert(sizeof(virtio_net_hdr) == 10);

inline constexpr uint8_t VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
inline constexpr uint8_t VIRTIO_NET_HDR_F_DATA_VALID = 2;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_NONE = 0;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_TCPV4 = 1;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_UDP = 3;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_TCPV6 = 4;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_ECN = 0x80;

inline constexpr size_t kVirtioHeaderSize = sizeof(virtio_net_hdr);
inline constexpr uint16_t kMinGsoSize = 88;    // Linux's TCP_MIN_MSS
inline constexpr uint16_t kMinCsumStart = 14;  // after the Ethernet header

// False when the header asks for what we never offered (UDP fragmentation offload,
// unknown GSO types or flags), does not fit a frame of `frame_length` bytes, puts the
// checksum inside the Ethernet header, or has a GSO size below kMinGsoSize.
bool decode_virtio_header(const virtio_net_hdr& header, size_t frame_length, OffloadInfo& out);
virtio_net_hdr encode_virtio_header(const OffloadInfo& offload);

}  // namespace overcast::dataplane

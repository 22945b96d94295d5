#include "dataplane/offload/virtio_header.h"

#include <endian.h>

namespace overcast::dataplane {

// A TAP's vnet header is in the host's byte order unless TUNSETVNETBE/LE says otherwise
// (legacy virtio); the data plane never sets either, so little-endian here.
bool decode_virtio_header(const virtio_net_hdr& header, size_t frame_length, OffloadInfo& out) {
  out = OffloadInfo{};
  if (header.flags & ~(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID)) return false;
  out.needs_csum = header.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;
  out.data_valid = header.flags & VIRTIO_NET_HDR_F_DATA_VALID;
  out.csum_start = le16toh(header.csum_start);
  out.csum_offset = le16toh(header.csum_offset);
  out.hdr_len = le16toh(header.hdr_len);
  out.gso_size = le16toh(header.gso_size);
  out.ecn = header.gso_type & VIRTIO_NET_HDR_GSO_ECN;
  switch (header.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
    case VIRTIO_NET_HDR_GSO_NONE: out.gso_type = GsoType::kNone; break;
    case VIRTIO_NET_HDR_GSO_TCPV4: out.gso_type = GsoType::kTcpV4; break;
    case VIRTIO_NET_HDR_GSO_TCPV6: out.gso_type = GsoType::kTcpV6; break;
    default: return false;
  }
  if (out.needs_csum && static_cast<size_t>(out.csum_start) + out.csum_offset + 2 > frame_length) return false;
  if (out.is_gso() && out.gso_size == 0) return false;
  if (!out.is_gso()) out.gso_size = 0;
  return true;
}

virtio_net_hdr encode_virtio_header(const OffloadInfo& offload) {
  virtio_net_hdr h{};
  if (offload.needs_csum) {
    h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    h.csum_start = htole16(offload.csum_start);
    h.csum_offset = htole16(offload.csum_offset);
  } else if (offload.data_valid) {
    h.flags = VIRTIO_NET_HDR_F_DATA_VALID;
  }
  switch (offload.gso_type) {
    case GsoType::kNone: h.gso_type = VIRTIO_NET_HDR_GSO_NONE; break;
    case GsoType::kTcpV4: h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4; break;
    case GsoType::kTcpV6: h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6; break;
  }
  if (offload.is_gso()) {
    if (offload.ecn) h.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
    h.gso_size = htole16(offload.gso_size);
    h.hdr_len = htole16(offload.hdr_len);
  }
  return h;
}

}  // namespace overcast::dataplane

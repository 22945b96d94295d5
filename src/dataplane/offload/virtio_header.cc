#include "dataplane/offload/virtio_header.h"

namespace overcast::dataplane {

// A TAP's vnet header is in the host's byte order unless TUNSETVNETBE/LE says otherwise
// (legacy virtio); the data plane sets neither, so the fields are used as they are.
bool decode_virtio_header(const virtio_net_hdr& header, size_t frame_length, OffloadInfo& out) {
  out = OffloadInfo{};
  if (header.flags & ~(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID)) return false;
  out.needs_csum = header.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;
  out.data_valid = header.flags & VIRTIO_NET_HDR_F_DATA_VALID;
  out.csum_start = header.csum_start;
  out.csum_offset = header.csum_offset;
  out.hdr_len = header.hdr_len;
  out.gso_size = header.gso_size;
  out.ecn = header.gso_type & VIRTIO_NET_HDR_GSO_ECN;
  switch (header.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
    case VIRTIO_NET_HDR_GSO_NONE: out.gso_type = GsoType::kNone; break;
    case VIRTIO_NET_HDR_GSO_TCPV4: out.gso_type = GsoType::kTcpV4; break;
    case VIRTIO_NET_HDR_GSO_TCPV6: out.gso_type = GsoType::kTcpV6; break;
    default: return false;
  }
  // The checksum is the L4 one: it lies past the Ethernet header, which the switch has
  // already acted on and which a VM must not get rewritten behind its back.
  if (out.needs_csum &&
      (out.csum_start < kMinCsumStart || static_cast<size_t>(out.csum_start) + out.csum_offset + 2 > frame_length)) {
    return false;
  }
  // A segment size below TCP's minimum MSS would turn one frame into tens of thousands.
  if (out.is_gso() && out.gso_size < kMinGsoSize) return false;
  if (!out.is_gso()) out.gso_size = 0;
  return true;
}

virtio_net_hdr encode_virtio_header(const OffloadInfo& offload) {
  virtio_net_hdr h{};
  if (offload.needs_csum) {
    h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    h.csum_start = offload.csum_start;
    h.csum_offset = offload.csum_offset;
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
    h.gso_size = offload.gso_size;
    h.hdr_len = offload.hdr_len;
  }
  return h;
}

}  // namespace overcast::dataplane

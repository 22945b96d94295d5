// What a frame carries besides its bytes when it was handed over with offloads
// (virtio-net's header, RFC-less but fixed by the virtio spec §5.1.6): a checksum
// the sender left for us to finish, and a TCP "super-frame" (GSO) that we must cut
// into segments of gso_size payload bytes before it goes on a wire.
//
// Offsets are from the first byte of the inner Ethernet frame.
#pragma once

#include <cstdint>

namespace overcast::dataplane {

enum class GsoType : uint8_t { kNone, kTcpV4, kTcpV6 };

struct OffloadInfo {
  // The L4 checksum is partial: the field at csum_start + csum_offset holds the
  // pseudo-header sum, and the sum from csum_start to the end is still to be added.
  bool needs_csum = false;
  // The L4 checksum was verified (by us or the sender): the receiver may skip it.
  bool data_valid = false;
  // TCP ECN: the sender set CWR on the super-frame; only the first segment keeps it.
  bool ecn = false;
  GsoType gso_type = GsoType::kNone;
  uint16_t gso_size = 0;  // payload bytes per segment
  uint16_t hdr_len = 0;   // Ethernet + IP + TCP header bytes (a hint; we parse)
  uint16_t csum_start = 0;
  uint16_t csum_offset = 0;

  bool is_gso() const { return gso_type != GsoType::kNone; }
};

}  // namespace overcast::dataplane

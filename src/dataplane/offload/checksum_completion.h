// Finishing a checksum a sender left partial (virtio's NEEDS_CSUM): what a NIC does
// on transmit, done before the frame leaves on a tunnel, where nobody else will.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dataplane/core/offload_info.h"

namespace overcast::dataplane {

// Sums from csum_start to the end of the frame (the field already holds the
// pseudo-header sum, as the sender left it) and stores the result at
// csum_start + csum_offset. False, frame untouched, when the offsets do not fit.
// A UDP checksum that comes out 0 is sent as 0xffff (RFC 768).
bool complete_partial_checksum(uint8_t* frame, size_t length, const OffloadInfo& offload);

}  // namespace overcast::dataplane

#include "dataplane/offload/checksum_completion.h"

#include "net/checksum.h"

namespace overcast::dataplane {

bool complete_partial_checksum(uint8_t* frame, size_t length, const OffloadInfo& offload) {
  const size_t start = offload.csum_start;
  const size_t field = start + offload.csum_offset;
  if (start >= length || field + 2 > length || (offload.csum_offset & 1) != 0) return false;
  uint16_t sum = net::checksum_finish(net::checksum_partial(frame + start, length - start));
  // csum_offset 6 is UDP's field (16 is TCP's): a UDP sum of 0 means "none", so 0xffff.
  if (sum == 0 && offload.csum_offset == 6) sum = 0xffff;
  frame[field] = static_cast<uint8_t>(sum >> 8);
  frame[field + 1] = static_cast<uint8_t>(sum);
  return true;
}

}  // namespace overcast::dataplane

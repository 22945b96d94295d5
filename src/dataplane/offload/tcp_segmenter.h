// TcpSegmenter: what a NIC's TSO does, done in user space straight into tunnel
// datagrams. A TCP super-frame (one Ethernet frame with up to 64 KB of payload, as a
// VM hands it over with TSO) becomes segments of at most `mss` payload bytes, each
// preceded by a copy of a tunnel header (`prefix`) and its own Ethernet/IP/TCP
// headers, ready for one sendmsg with UDP_SEGMENT (UDP GSO).
//
// The payload is never copied: every segment is two iovecs, its freshly written
// headers (in the segmenter's scratch) and a slice of the super-frame. Each segment's
// TCP checksum is computed in full, IPv4 gets consecutive IDs and its own header
// checksum; FIN and PSH stay only on the last segment, CWR only on the first.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "dataplane/offload/frame_layout.h"

namespace overcast::dataplane {

class TcpSegmenter {
 public:
  // Most segments one next() call emits: the kernel's UDP GSO limit (UDP_MAX_SEGMENTS).
  static constexpr size_t kMaxSegments = 64;
  // Largest tunnel header + Ethernet (2 tags) + IP + TCP with options we write per segment.
  static constexpr size_t kMaxHeader = 64 + 22 + 60 + 60;

  // False when the frame is not TCP over IP with its payload after the headers, when
  // `mss` is 0, or the headers do not fit kMaxHeader. `frame` must outlive the segments.
  bool start(const uint8_t* prefix, size_t prefix_length, const uint8_t* frame, size_t length, uint16_t mss);

  bool done() const { return next_offset_ >= length_; }
  // Bytes of one full datagram (prefix + headers + mss): the UDP_SEGMENT size.
  size_t segment_size() const { return header_bytes_ + mss_; }
  // Writes up to kMaxSegments segments whose datagrams add up to at most
  // `max_bytes` (at least one), as 2 iovecs each into iov_; returns how many.
  size_t next(size_t max_bytes);
  const iovec* iov() const { return iov_.data(); }

 private:
  const uint8_t* prefix_ = nullptr;
  size_t prefix_length_ = 0;
  const uint8_t* frame_ = nullptr;
  size_t length_ = 0;
  TcpFrameLayout layout_;
  uint16_t mss_ = 0;
  size_t header_bytes_ = 0;  // prefix + frame headers, per segment
  size_t next_offset_ = 0;   // payload byte of the frame where the next segment starts
  uint32_t index_ = 0;       // segments emitted so far

  std::array<std::array<uint8_t, kMaxHeader>, kMaxSegments> headers_{};
  std::array<iovec, 2 * kMaxSegments> iov_{};
};

}  // namespace overcast::dataplane

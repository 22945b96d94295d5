// TunnelGro: user-space GRO for the tunnel's receive side.
//
// With UDP_GRO on the tunnel socket the kernel hands over up to 64 datagrams of one
// outer flow in one buffer, back to back (meta.gro_size each, the last may be
// shorter). Each datagram is a tunnel header plus an inner frame. TunnelGro splits
// the buffer and merges runs of consecutive TCP segments of one inner flow into one
// GSO frame (what Linux's tcp_gro_receive does), so the VM's TAP gets one write of
// up to 64 KB instead of one per segment.
//
// A run continues while: the tunnel header and the inner Ethernet/IP headers are
// the same (IPv4 ID aside), the TCP ports, ACK, window, options and flags match
// (PSH/FIN end a run; a CWR segment never joins the run before it), the sequence follows on, every segment but the last
// carried exactly the first one's payload size, and each segment's IP and TCP
// checksums verify (the outer UDP checksum may be zero, so nothing else vouches for
// the bytes; a frame that fails is passed on alone and the VM's stack judges it).
//
// The merged frame is the first segment's headers with lengths fixed, PSH/FIN of the
// last, and a partial checksum (virtio NEEDS_CSUM) for the TAP. The first run is
// merged in place in the received buffer; later runs and other datagrams are copied
// into buffers of their own. Output keeps the input's order.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/offload/frame_layout.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class TunnelGro {
 public:
  static constexpr const char* kName = "tunnel_gro";
  enum : size_t { kBuffers, kDatagrams, kFrames, kMerged, kDropped };
  // More datagrams in one buffer than the kernel ever gives (UDP_GRO_CNT_MAX is 64)
  // means the buffer is not what we think: dropped as bad_offload.
  static constexpr size_t kMaxDatagrams = 256;

  explicit TunnelGro(uint32_t tunnel_header);

  // Every packet of `in` ends in `out` (possibly as several) or dropped; `in` left empty.
  void process(StageContext& ctx, Batch& in, BatchQueue& out);
  const CounterSet& counters() const { return counters_; }

 private:
  struct Datagram {
    uint32_t offset = 0;  // in the buffer's data
    uint32_t length = 0;
    bool tcp = false;     // a checked TCP segment that may join or start a run
    TcpFrameLayout layout;
    uint32_t seq = 0;
    uint32_t payload = 0;
    uint8_t flags = 0;
    uint32_t run = 0;     // index of its run
  };
  struct Run {
    uint32_t first = 0;  // datagram indexes [first, last]
    uint32_t last = 0;
  };

  void split(StageContext& ctx, Packet* p, BatchQueue& out);
  void classify(const uint8_t* data, Datagram& d) const;
  bool follows(const uint8_t* data, const Datagram& head, const Datagram& tail, const Datagram& next,
               size_t run_bytes) const;
  // Writes the run into `dst` (which may be the buffer holding it, when dst_base ==
  // src_base and the run is the first) and returns the frame's length.
  uint32_t build(const uint8_t* src, const Run& run, uint8_t* dst, Packet& out_meta) const;
  uint32_t run_length(const Run& run) const;  // bytes build() writes

  uint32_t tunnel_header_;
  std::vector<Datagram> datagrams_;
  std::vector<Run> runs_;
  CounterSet counters_{"buffers", "datagrams", "frames", "merged", "dropped"};
};

}  // namespace overcast::dataplane

// The tunnel's transmit side: datagrams go out through the kernel's UDP/IP stack
// (routing, neighbour resolution, checksums, and UDP GSO later), in batches with
// sendmmsg, each to meta.remote_vtep:dst_port.
//
// RFC 7348 §5 wants the outer UDP source port to carry the inner flow's hash. A
// UDP socket sends from the port it is bound to, so UdpTunnelSockets binds a
// small pool of sockets to underlay_ip on distinct ports of 49152–65535 (skipping
// ports in use), and a packet leaves through socket meta.outer_src_port % count:
// a flow keeps one source port, flows spread over `count` ports.
//
// A TCP super-frame (meta.offload GSO) is cut by a TcpSegmenter into datagrams laid
// out back to back and sent with one sendmsg per 64 of them, with UDP_SEGMENT: the
// kernel walks its stack once for all of them (UDP GSO), and the veth underlay
// carries them as one buffer to a receiver that asked for UDP_GRO.
//
// These sockets exist only to send. Anything that arrives on their ports is
// dropped by the kernel (a classic BPF filter that accepts nothing), so nothing
// reaches the pipeline except through the checked tunnel receive socket.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/core/batch.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/tunnel/tunnel_counters.h"

namespace overcast::dataplane {

// The bound sockets, shared by every worker (sendmmsg on one socket from several
// threads is safe).
class UdpTunnelSockets {
 public:
  static constexpr size_t kDefaultCount = 16;
  static constexpr size_t kMaxCount = 256;  // open() caps `count` here

  static std::shared_ptr<UdpTunnelSockets> open(uint32_t ip, size_t count, std::string& error);
  ~UdpTunnelSockets();
  UdpTunnelSockets(const UdpTunnelSockets&) = delete;
  UdpTunnelSockets& operator=(const UdpTunnelSockets&) = delete;

  size_t count() const { return fds_.size(); }
  int fd(size_t i) const { return fds_[i]; }
  uint16_t source_port(size_t i) const { return ports_[i]; }

 private:
  UdpTunnelSockets() = default;

  std::vector<int> fds_;
  std::vector<uint16_t> ports_;
};

// One worker's sender: owns the per-batch message arrays and nothing else.
class UdpTunnelTx {
 public:
  UdpTunnelTx(std::shared_ptr<const UdpTunnelSockets> sockets, uint16_t dst_port)
      : sockets_(std::move(sockets)), dst_port_(dst_port) {}

  // Sends every packet of `batch` (data = tunnel header + inner frame) to
  // meta.remote_vtep. Each packet is returned to `pool`, sent or counted as a
  // tx error. Leaves `batch` empty.
  void tx_burst(PacketPool& pool, Batch& batch, TunnelCounters& counters);

  // Largest UDP payload one UDP_SEGMENT send may carry (64 KB minus UDP and IPv4 headers).
  static constexpr size_t kMaxGsoBytes = 65535 - 8 - 20;

 private:
  // Sends `plain` (datagrams that need no cutting) with one sendmmsg per socket.
  void send_datagrams(PacketPool& pool, Batch& plain, TunnelCounters& counters);
  // Cuts and sends one GSO packet; returns it to `pool`.
  void send_segmented(PacketPool& pool, Packet* p, TunnelCounters& counters);
  // Sends the segmenter's last `count` segments as separate datagrams; how many went.
  size_t send_one_by_one(int fd, sockaddr_in& destination, size_t count);

  std::shared_ptr<const UdpTunnelSockets> sockets_;
  uint16_t dst_port_;
  std::array<Packet*, Batch::kCapacity> ordered_{};
  std::array<mmsghdr, Batch::kCapacity> messages_{};
  std::array<iovec, Batch::kCapacity> iovecs_{};
  std::array<sockaddr_in, Batch::kCapacity> destinations_{};
  Batch plain_;
  TcpSegmenter segmenter_;
};

}  // namespace overcast::dataplane

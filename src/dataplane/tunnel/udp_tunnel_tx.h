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

 private:
  std::shared_ptr<const UdpTunnelSockets> sockets_;
  uint16_t dst_port_;
  std::array<Packet*, Batch::kCapacity> ordered_{};
  std::array<mmsghdr, Batch::kCapacity> messages_{};
  std::array<iovec, Batch::kCapacity> iovecs_{};
  std::array<sockaddr_in, Batch::kCapacity> destinations_{};
};

}  // namespace overcast::dataplane

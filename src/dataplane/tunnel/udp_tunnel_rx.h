// UdpTunnelRx: the tunnel's receive side, a UDP socket bound to
// underlay_ip:vxlan_port, read with recvmmsg straight into pool buffers.
//
// Each datagram becomes a packet whose data is the UDP payload (tunnel header +
// inner frame) with meta.remote_vtep = the sender's IPv4 address (host order) and
// meta.in_port = kNoPort. The kernel has checked the outer IP/UDP headers.
//
// The socket asks for UDP_GRO: the kernel may then deliver up to 64 datagrams of one
// outer flow in one buffer (a UDP GSO send from a peer, or GRO on the underlay
// device), and says their size in a control message; meta.gro_size carries it to
// TunnelGro, which splits and merges them.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/core/batch.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/tunnel/tunnel_counters.h"

namespace overcast::dataplane {

class UdpTunnelRx {
 public:
  // `reuse_port`: several workers each open one, and the kernel spreads flows
  // across them (SO_REUSEPORT). nullptr with `error` on failure.
  static std::unique_ptr<UdpTunnelRx> open(uint32_t ip, uint16_t port, bool reuse_port, std::string& error);
  ~UdpTunnelRx();
  UdpTunnelRx(const UdpTunnelRx&) = delete;
  UdpTunnelRx& operator=(const UdpTunnelRx&) = delete;

  int fd() const { return fd_; }
  // Reads up to out.free_space() datagrams without blocking; appends them to `out`.
  size_t rx_burst(PacketPool& pool, Batch& out, TunnelCounters& counters);

 private:
  explicit UdpTunnelRx(int fd) : fd_(fd) {}

  int fd_;
  std::array<Packet*, Batch::kCapacity> packets_{};
  std::array<mmsghdr, Batch::kCapacity> messages_{};
  std::array<iovec, Batch::kCapacity> iovecs_{};
  std::array<sockaddr_in, Batch::kCapacity> senders_{};
  static constexpr size_t kControlSize = 64;  // CMSG_SPACE(sizeof(int)) with room to spare
  std::array<std::array<char, kControlSize>, Batch::kCapacity> controls_{};
};

}  // namespace overcast::dataplane

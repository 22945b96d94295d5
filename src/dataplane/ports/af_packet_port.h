// AfPacketPort: a provider uplink over an AF_PACKET socket bound to one host interface
// (the one the agent maps to a physical network with --bridge-mappings).
//
// The socket sees every frame of the interface (promiscuous, removed by the kernel when
// the socket closes) but not the host's own outgoing ones (PACKET_IGNORE_OUTGOING, and
// PACKET_OUTGOING frames are skipped where the kernel lacks it). Reads and writes are
// batched (recvmmsg / sendmmsg). A VLAN tag the NIC or veth took off into metadata
// (rx VLAN offload) is put back into the frame from PACKET_AUXDATA, so the stages
// always see tags in band.
//
// Frames to send are finished in software first, as a NIC would: partial checksums
// completed, TCP super-frames (GSO) cut into MTU-sized segments.
//
// Errors on the fast path are counted (rx_errors / tx_errors), never thrown.
#pragma once

#include <memory>
#include <string>

#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/ports/port_io.h"

namespace overcast::dataplane {

class AfPacketPort final : public PortIo {
 public:
  // Opens the socket on `interface` of the calling thread's network namespace. nullptr
  // with `error` set if the interface is missing or down, or the socket cannot be made.
  static std::unique_ptr<AfPacketPort> open(const std::string& interface, std::string& error);

  ~AfPacketPort() override;
  AfPacketPort(const AfPacketPort&) = delete;
  AfPacketPort& operator=(const AfPacketPort&) = delete;

  const std::string& name() const override { return name_; }
  int poll_fd() const override { return fd_; }
  size_t rx_burst(PacketPool& pool, Batch& out) override;
  void tx_burst(PacketPool& pool, Batch& batch) override;

 private:
  AfPacketPort(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  // Sends a GSO or partially checksummed frame as finished frames. False on any failure.
  bool send_in_software(Packet& p);

  int fd_;
  std::string name_;
  std::unique_ptr<TcpSegmenter> segmenter_;  // made on first need: 13 KB of scratch
};

}  // namespace overcast::dataplane

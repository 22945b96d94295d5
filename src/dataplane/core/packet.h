// A packet buffer that owns its bytes and keeps headroom in front of the frame,
// so encapsulation prepends outer headers in place instead of copying the frame.
//
//   buffer_: [ headroom ........ | data (length_) ........ | tailroom ]
//            ^ 0                 ^ offset_
//
// Packets come from a PacketPool and go back to it; stages pass Packet* around
// and never copy one to change a header.
#pragma once

#include <cstdint>
#include <cstring>

#include "dataplane/core/offload_info.h"

namespace overcast::dataplane {

// Where a packet came from or goes to: a port slot of the forwarding table, or the tunnel.
using PortSlot = uint32_t;
inline constexpr PortSlot kNoPort = UINT32_MAX;

class Packet {
 public:
  // Enough for outer Ethernet + IPv6 + UDP + the largest tunnel header we prepend.
  static constexpr uint32_t kHeadroom = 128;
  // Room for the largest frame offloads bring: an IPv6 TCP super-frame (14 + 8 of VLAN
  // tags + 40 + 65535) or 64 datagrams of one UDP GRO read, with slack.
  static constexpr uint32_t kMaxData = 65536 + 256;
  static constexpr uint32_t kDefaultBufferSize = kHeadroom + kMaxData;

  Packet(uint8_t* buffer, uint32_t capacity) : buffer_(buffer), capacity_(capacity) { reset(); }

  uint8_t* data() { return buffer_ + offset_; }
  const uint8_t* data() const { return buffer_ + offset_; }
  uint32_t length() const { return length_; }
  uint32_t headroom() const { return offset_; }
  uint32_t tailroom() const { return capacity_ - offset_ - length_; }
  // Room a receive call may fill, starting at data(), after reset().
  uint32_t max_length() const { return capacity_ - offset_; }

  // Grows the front by n bytes and returns the new start, or nullptr without headroom.
  uint8_t* prepend(uint32_t n) {
    if (n > offset_) return nullptr;
    offset_ -= n;
    length_ += n;
    return data();
  }
  // Drops n bytes from the front (decapsulation). False if the packet is shorter.
  bool pull(uint32_t n) {
    if (n > length_) return false;
    offset_ += n;
    length_ -= n;
    return true;
  }
  // Sets the length of the data (after a receive into data()). False if too long.
  bool set_length(uint32_t n) {
    if (n > capacity_ - offset_) return false;
    length_ = n;
    return true;
  }
  // Back to an empty buffer with the standard headroom and cleared metadata.
  void reset() {
    offset_ = kHeadroom;
    length_ = 0;
    meta = Metadata{};
  }
  // Copies another packet's bytes and metadata (head-end replication needs real copies).
  bool copy_from(const Packet& other) {
    if (other.length_ > capacity_ - kHeadroom) return false;
    offset_ = kHeadroom;
    length_ = other.length_;
    std::memcpy(data(), other.data(), length_);
    meta = other.meta;
    return true;
  }

  // Per-packet facts the stages hand to each other.
  struct Metadata {
    PortSlot in_port = kNoPort;   // VM port it came from, kNoPort if from the tunnel
    PortSlot out_port = kNoPort;  // local VM port to deliver to
    uint32_t vni = 0;             // virtual network it belongs to
    uint32_t remote_vtep = 0;     // IPv4 (host order): tunnel source on rx, destination on tx
    uint16_t outer_src_port = 0;  // UDP source port for the tunnel (flow entropy)
    uint32_t flow_hash = 0;
    // Bytes of tunnel header in front of the inner frame (encap sets it; tunnel tx
    // replicates them in front of every segment of a GSO frame).
    uint16_t tunnel_header = 0;
    // Tunnel rx with UDP GRO: the buffer holds datagrams of this size back to back
    // (the last may be shorter). 0: one datagram.
    uint16_t gro_size = 0;
    // A flood copy (not the original): a frame answered with an ICMP error is answered
    // once, for the original, however many VTEPs it is replicated to.
    bool replica = false;
    // Handed to another worker for a router's external gateway (its NAT state lives on
    // the worker polling the external uplink), not for a local port's ingress.
    bool for_gateway = false;
    OffloadInfo offload;
  } meta;

 private:
  uint8_t* buffer_;
  uint32_t capacity_;
  uint32_t offset_ = kHeadroom;
  uint32_t length_ = 0;
};

}  // namespace overcast::dataplane

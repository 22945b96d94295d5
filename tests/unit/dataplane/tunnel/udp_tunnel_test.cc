// The tunnel sockets over loopback: receive gives the sender as remote_vtep,
// transmit sends each packet to its own VTEP from a pool port chosen by flow,
// and the send-only sockets never deliver what arrives on their ports.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "dataplane/tunnel/udp_tunnel_rx.h"
#include "dataplane/tunnel/udp_tunnel_tx.h"

namespace overcast::dataplane {
namespace {

constexpr uint32_t kLocal = 0x7f000015;   // 127.0.0.21
constexpr uint32_t kPeer = 0x7f000016;    // 127.0.0.22

struct Socket {
  int fd = -1;
  uint16_t port = 0;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

void bind_any_port(Socket& s, uint32_t ip) {
  s.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(s.fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip);
  ASSERT_EQ(::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &len);
  s.port = ntohs(a.sin_port);
}

void send_to(int fd, uint32_t ip, uint16_t port, const std::vector<uint8_t>& bytes) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(ip);
  to.sin_port = htons(port);
  ASSERT_EQ(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(bytes.size()));
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1;
}

TEST(UdpTunnelSockets, BindDistinctPortsInTheRfcRange) {
  std::string error;
  auto sockets = UdpTunnelSockets::open(kLocal, 8, error);
  ASSERT_TRUE(sockets) << error;
  ASSERT_EQ(sockets->count(), 8u);
  std::set<uint16_t> ports;
  for (size_t i = 0; i < sockets->count(); ++i) {
    EXPECT_GE(sockets->source_port(i), 49152);
    ports.insert(sockets->source_port(i));
  }
  EXPECT_EQ(ports.size(), 8u);
  // A second pool on the same address skips the ports the first one holds.
  auto second = UdpTunnelSockets::open(kLocal, 8, error);
  ASSERT_TRUE(second) << error;
  for (size_t i = 0; i < second->count(); ++i) EXPECT_FALSE(ports.contains(second->source_port(i)));
}

TEST(UdpTunnelSockets, WhatArrivesOnASendPortNeverReachesAnyone) {
  std::string error;
  auto sockets = UdpTunnelSockets::open(kLocal, 1, error);
  ASSERT_TRUE(sockets) << error;
  Socket control, sender;
  bind_any_port(control, kLocal);
  bind_any_port(sender, kPeer);
  send_to(sender.fd, kLocal, sockets->source_port(0), {0x08, 0, 0, 0, 0, 0, 100, 0});
  send_to(sender.fd, kLocal, control.port, {1});
  // The control datagram, sent second on the same path, has arrived...
  ASSERT_TRUE(readable(control.fd, 5000));
  // ...and the one for the send-only socket was filtered by the kernel.
  EXPECT_FALSE(readable(sockets->fd(0), 0));
}

TEST(UdpTunnelTx, SendsEachPacketToItsVtepFromThePortOfItsFlow) {
  std::string error;
  Socket peer;
  bind_any_port(peer, kPeer);
  auto sockets = UdpTunnelSockets::open(kLocal, 4, error);
  ASSERT_TRUE(sockets) << error;
  UdpTunnelTx tx(sockets, peer.port);
  PacketPool pool(64, 2048 + Packet::kHeadroom);
  TunnelCounters counters;

  Batch out;
  for (uint16_t i = 0; i < 10; ++i) {
    Packet* p = pool.alloc();
    p->set_length(20u + i);
    std::memset(p->data(), i, p->length());
    p->meta.remote_vtep = kPeer;
    p->meta.outer_src_port = static_cast<uint16_t>(49152 + i);
    out.push(p);
  }
  tx.tx_burst(pool, out, counters);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pool.available(), pool.capacity());
  EXPECT_EQ(counters.tx_packets.value(), 10u);
  EXPECT_EQ(counters.tx_bytes.value(), 245u);  // 20 + ... + 29

  for (int n = 0; n < 10; ++n) {
    ASSERT_TRUE(readable(peer.fd, 5000));
    uint8_t buf[64];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t got = ::recvfrom(peer.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
    ASSERT_GE(got, 20);
    const size_t i = static_cast<size_t>(got - 20);  // the length says which packet it was
    EXPECT_EQ(buf[0], i);
    EXPECT_EQ(ntohl(from.sin_addr.s_addr), kLocal);
    EXPECT_EQ(ntohs(from.sin_port), sockets->source_port((49152 + i) % 4)) << i;
  }
}

TEST(UdpTunnelRx, ReceivesBatchesWithTheSenderAsRemoteVtep) {
  std::string error;
  Socket probe;
  bind_any_port(probe, kLocal);
  const uint16_t port = probe.port;
  ::close(probe.fd);
  probe.fd = -1;
  auto rx = UdpTunnelRx::open(kLocal, port, false, error);
  ASSERT_TRUE(rx) << error;
  Socket sender;
  bind_any_port(sender, kPeer);
  for (uint8_t i = 0; i < 40; ++i) send_to(sender.fd, kLocal, port, std::vector<uint8_t>(10u + i, i));

  PacketPool pool(64, 2048 + Packet::kHeadroom);
  TunnelCounters counters;
  Batch in;
  size_t got = 0;
  std::set<uint32_t> lengths;
  for (int round = 0; round < 100 && got < 40; ++round) {
    if (!readable(rx->fd(), 5000)) break;
    const size_t n = rx->rx_burst(pool, in, counters);
    EXPECT_LE(n, Batch::kCapacity);
    got += n;
    for (Packet* p : in) {
      EXPECT_EQ(p->meta.remote_vtep, kPeer);
      EXPECT_EQ(p->meta.in_port, kNoPort);
      EXPECT_EQ(p->data()[0], p->length() - 10);
      lengths.insert(p->length());
    }
    pool.free_batch(in);
  }
  EXPECT_EQ(got, 40u);
  EXPECT_EQ(lengths.size(), 40u);
  EXPECT_EQ(counters.rx_packets.value(), 40u);
  EXPECT_EQ(pool.available(), pool.capacity());
}

TEST(UdpTunnelRx, OversizeDatagramIsCountedNotForwarded) {
  std::string error;
  Socket probe;
  bind_any_port(probe, kLocal);
  const uint16_t port = probe.port;
  ::close(probe.fd);
  probe.fd = -1;
  auto rx = UdpTunnelRx::open(kLocal, port, false, error);
  ASSERT_TRUE(rx) << error;
  Socket sender;
  bind_any_port(sender, kPeer);
  PacketPool pool(4, 256 + Packet::kHeadroom);  // 256 bytes of room
  send_to(sender.fd, kLocal, port, std::vector<uint8_t>(300, 1));
  ASSERT_TRUE(readable(rx->fd(), 5000));
  TunnelCounters counters;
  Batch in;
  EXPECT_EQ(rx->rx_burst(pool, in, counters), 0u);
  EXPECT_EQ(counters.rx_errors.value(), 1u);
  EXPECT_EQ(pool.available(), pool.capacity());
}

}  // namespace
}  // namespace overcast::dataplane

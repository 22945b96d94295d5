#include "dataplane/tunnel/udp_tunnel_rx.h"

#include <arpa/inet.h>
#include <netinet/udp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace overcast::dataplane {
namespace {

// The datagram size of a GRO'd buffer, 0 for a single datagram.
uint16_t gro_size(msghdr& header) {
  for (cmsghdr* cm = CMSG_FIRSTHDR(&header); cm; cm = CMSG_NXTHDR(&header, cm)) {
    if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO && cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int size;
      std::memcpy(&size, CMSG_DATA(cm), sizeof size);
      return size > 0 && size < 65536 ? static_cast<uint16_t>(size) : 0;
    }
  }
  return 0;
}

}  // namespace

std::unique_ptr<UdpTunnelRx> UdpTunnelRx::open(uint32_t ip, uint16_t port, bool reuse_port, std::string& error) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("tunnel rx socket: ") + std::strerror(errno);
    return nullptr;
  }
  const int one = 1;
  if (reuse_port && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    error = std::string("tunnel rx SO_REUSEPORT: ") + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  // Best effort: a deeper queue absorbs bursts while the worker runs a batch.
  const int rcvbuf = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  // Best effort too: without it every datagram arrives on its own, as before.
  ::setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(ip);
  addr.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text);
    error = std::string("tunnel rx bind ") + text + ":" + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<UdpTunnelRx>(new UdpTunnelRx(fd));
}

UdpTunnelRx::~UdpTunnelRx() { ::close(fd_); }

size_t UdpTunnelRx::rx_burst(PacketPool& pool, Batch& out, TunnelCounters& counters) {
  size_t wanted = out.free_space();
  size_t n = 0;
  for (; n < wanted; ++n) {
    Packet* p = pool.alloc();
    if (!p) break;
    packets_[n] = p;
    iovecs_[n] = {p->data(), p->max_length()};
    messages_[n].msg_hdr = {};
    messages_[n].msg_hdr.msg_name = &senders_[n];
    messages_[n].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    messages_[n].msg_hdr.msg_iov = &iovecs_[n];
    messages_[n].msg_hdr.msg_iovlen = 1;
    messages_[n].msg_hdr.msg_control = controls_[n].data();
    messages_[n].msg_hdr.msg_controllen = kControlSize;
    messages_[n].msg_len = 0;
  }
  if (n == 0) return 0;
  int got = ::recvmmsg(fd_, messages_.data(), static_cast<unsigned>(n), MSG_DONTWAIT, nullptr);
  if (got < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) counters.rx_errors.add(1);
    got = 0;
  }
  size_t appended = 0;
  uint64_t bytes = 0, errors = 0;
  for (size_t i = 0; i < n; ++i) {
    Packet* p = packets_[i];
    const mmsghdr& m = messages_[i];
    if (i >= static_cast<size_t>(got)) {
      pool.free(p);
      continue;
    }
    // A datagram larger than our buffer is cut: it cannot be forwarded intact.
    if ((m.msg_hdr.msg_flags & MSG_TRUNC) || m.msg_hdr.msg_namelen < sizeof(sockaddr_in) ||
        senders_[i].sin_family != AF_INET) {
      ++errors;
      pool.free(p);
      continue;
    }
    p->set_length(m.msg_len);
    p->meta.gro_size = gro_size(messages_[i].msg_hdr);
    p->meta.remote_vtep = ntohl(senders_[i].sin_addr.s_addr);
    p->meta.in_port = kNoPort;
    bytes += m.msg_len;
    out.push(p);
    ++appended;
  }
  counters.rx_packets.add(appended);
  counters.rx_bytes.add(bytes);
  counters.rx_errors.add(errors);
  return appended;
}

}  // namespace overcast::dataplane

#include "dataplane/tunnel/udp_tunnel_tx.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/udp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/flow_hash.h"

namespace overcast::dataplane {
namespace {

// Makes a send-only socket: the kernel drops whatever arrives for it.
bool refuse_input(int fd) {
  sock_filter reject_all[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
  sock_fprog program{1, reject_all};
  return ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) == 0;
}

}  // namespace

std::shared_ptr<UdpTunnelSockets> UdpTunnelSockets::open(uint32_t ip, size_t count, std::string& error) {
  std::shared_ptr<UdpTunnelSockets> pool(new UdpTunnelSockets());
  if (count == 0) count = 1;
  if (count > kMaxCount) count = kMaxCount;
  // Spread the first candidate by address so VTEPs sharing a host (tests, labs)
  // do not all probe the same ports.
  const uint32_t range = net::kTunnelSourcePortCount;
  uint32_t candidate = (ip * 2654435761u) % range;
  for (uint32_t tried = 0; tried < range && pool->fds_.size() < count; ++tried, candidate = (candidate + 1) % range) {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = std::string("tunnel tx socket: ") + std::strerror(errno);
      return nullptr;
    }
    // A 64 KB GSO send takes that much send buffer until the underlay has it.
    const int sndbuf = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (!refuse_input(fd)) {
      error = std::string("tunnel tx SO_ATTACH_FILTER: ") + std::strerror(errno);
      ::close(fd);
      return nullptr;
    }
    const uint16_t port = static_cast<uint16_t>(net::kTunnelSourcePortMin + candidate);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(ip);
    addr.sin_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const int e = errno;
      ::close(fd);
      if (e == EADDRINUSE || e == EACCES) continue;
      error = "tunnel tx bind port " + std::to_string(port) + ": " + std::strerror(e);
      return nullptr;
    }
    pool->fds_.push_back(fd);
    pool->ports_.push_back(port);
  }
  if (pool->fds_.empty()) {
    error = "tunnel tx: no free UDP source port in 49152-65535";
    return nullptr;
  }
  return pool;
}

UdpTunnelSockets::~UdpTunnelSockets() {
  for (int fd : fds_) ::close(fd);
}

void UdpTunnelTx::tx_burst(PacketPool& pool, Batch& batch, TunnelCounters& counters) {
  // In order: a GSO packet flushes the plain ones before it, so a flow's packets
  // leave in the order they came.
  for (Packet* p : batch) {
    if (!p->meta.offload.is_gso()) {
      plain_.push(p);
      continue;
    }
    send_datagrams(pool, plain_, counters);
    send_segmented(pool, p, counters);
  }
  batch.clear();
  send_datagrams(pool, plain_, counters);
}

void UdpTunnelTx::send_segmented(PacketPool& pool, Packet* p, TunnelCounters& counters) {
  const size_t header = p->meta.tunnel_header;
  if (header >= p->length() ||
      !segmenter_.start(p->data(), header, p->data() + header, p->length() - header, p->meta.offload.gso_size)) {
    counters.tx_errors.add(1);
    pool.free(p);
    return;
  }
  const size_t socket = p->meta.outer_src_port % sockets_->count();
  sockaddr_in destination{};
  destination.sin_family = AF_INET;
  destination.sin_addr.s_addr = htonl(p->meta.remote_vtep);
  destination.sin_port = htons(dst_port_);
  const uint16_t segment_size = static_cast<uint16_t>(segmenter_.segment_size());
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};

  uint64_t sent = 0, bytes = 0, errors = 0;
  while (!segmenter_.done()) {
    const size_t count = segmenter_.next(kMaxGsoBytes);
    size_t total = 0;
    for (size_t i = 0; i < 2 * count; ++i) total += segmenter_.iov()[i].iov_len;
    msghdr message{};
    message.msg_name = &destination;
    message.msg_namelen = sizeof destination;
    message.msg_iov = const_cast<iovec*>(segmenter_.iov());
    message.msg_iovlen = 2 * count;
    if (count > 1) {
      message.msg_control = control;
      message.msg_controllen = sizeof control;
      cmsghdr* cm = CMSG_FIRSTHDR(&message);
      cm->cmsg_level = SOL_UDP;
      cm->cmsg_type = UDP_SEGMENT;
      cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
      std::memcpy(CMSG_DATA(cm), &segment_size, sizeof segment_size);
    }
    ssize_t r;
    do {
      r = ::sendmsg(sockets_->fd(socket), &message, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && count > 1 && (errno == EINVAL || errno == EIO || errno == EMSGSIZE)) {
      // The kernel refuses GSO here (path MTU below the segment size, no checksum
      // offload on the way out, IPsec): the same datagrams one by one, which it may
      // fragment. Failing instead would blackhole the flow, retransmission after
      // retransmission.
      const size_t ok = send_one_by_one(sockets_->fd(socket), destination, count);
      sent += ok;
      errors += count - ok;
      for (size_t i = 0; i < 2 * ok; ++i) bytes += segmenter_.iov()[i].iov_len;
      counters.gso_fallbacks.add(1);
      continue;
    }
    if (r < 0) {
      errors += count;  // full queue, no route...: the sender's TCP will retransmit
      continue;
    }
    sent += count;
    bytes += total;
  }
  pool.free(p);
  counters.tx_packets.add(sent);
  counters.tx_bytes.add(bytes);
  counters.tx_errors.add(errors);
}

size_t UdpTunnelTx::send_one_by_one(int fd, sockaddr_in& destination, size_t count) {
  std::array<mmsghdr, TcpSegmenter::kMaxSegments> messages{};
  for (size_t i = 0; i < count; ++i) {
    messages[i].msg_hdr.msg_name = &destination;
    messages[i].msg_hdr.msg_namelen = sizeof destination;
    messages[i].msg_hdr.msg_iov = const_cast<iovec*>(segmenter_.iov() + 2 * i);
    messages[i].msg_hdr.msg_iovlen = 2;
  }
  size_t done = 0;
  while (done < count) {
    const int r = ::sendmmsg(fd, messages.data() + done, static_cast<unsigned>(count - done), MSG_DONTWAIT);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

void UdpTunnelTx::send_datagrams(PacketPool& pool, Batch& batch, TunnelCounters& counters) {
  const size_t n = batch.size();
  if (n == 0) return;
  const size_t sockets = sockets_->count();

  // Counting sort by socket, so each socket gets one sendmmsg for its packets.
  std::array<uint16_t, Batch::kCapacity> socket_of{};
  std::array<uint32_t, UdpTunnelSockets::kMaxCount + 1> starts{};
  const size_t buckets = sockets;  // <= kMaxCount by construction
  for (size_t i = 0; i < n; ++i) {
    socket_of[i] = static_cast<uint16_t>(batch[i]->meta.outer_src_port % buckets);
    ++starts[socket_of[i] + 1];
  }
  for (size_t s = 1; s <= buckets; ++s) starts[s] += starts[s - 1];
  std::array<uint32_t, UdpTunnelSockets::kMaxCount + 1> fill = starts;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t at = fill[socket_of[i]]++;
    Packet* p = batch[i];
    p->meta.outer_src_port = sockets_->source_port(socket_of[i]);
    ordered_[at] = p;
    iovecs_[at] = {p->data(), p->length()};
    destinations_[at] = {};
    destinations_[at].sin_family = AF_INET;
    destinations_[at].sin_addr.s_addr = htonl(p->meta.remote_vtep);
    destinations_[at].sin_port = htons(dst_port_);
    messages_[at].msg_hdr = {};
    messages_[at].msg_hdr.msg_name = &destinations_[at];
    messages_[at].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    messages_[at].msg_hdr.msg_iov = &iovecs_[at];
    messages_[at].msg_hdr.msg_iovlen = 1;
  }

  uint64_t sent = 0, bytes = 0, errors = 0;
  for (size_t s = 0; s < buckets; ++s) {
    uint32_t at = starts[s];
    const uint32_t end = starts[s + 1];
    while (at < end) {
      int r = ::sendmmsg(sockets_->fd(s), &messages_[at], end - at, MSG_DONTWAIT);
      if (r < 0) {
        if (errno == EINTR) continue;
        // The datagram at `at` failed (no route, full queue...): count it, go on.
        ++errors;
        ++at;
        continue;
      }
      for (int k = 0; k < r; ++k) bytes += iovecs_[at + static_cast<uint32_t>(k)].iov_len;
      sent += static_cast<uint64_t>(r);
      at += static_cast<uint32_t>(r);
    }
  }
  for (size_t i = 0; i < n; ++i) pool.free(ordered_[i]);
  batch.clear();
  counters.tx_packets.add(sent);
  counters.tx_bytes.add(bytes);
  counters.tx_errors.add(errors);
}

}  // namespace overcast::dataplane

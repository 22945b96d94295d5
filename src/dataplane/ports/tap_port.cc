#include "dataplane/ports/tap_port.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dataplane/offload/checksum_completion.h"
#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/offload/virtio_header.h"

namespace overcast::dataplane {

namespace {

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

bool fill_ifname(const std::string& name, ifreq& ifr, std::string& error) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    error = "interface name '" + name + "' must be 1.." + std::to_string(IFNAMSIZ - 1) + " characters";
    return false;
  }
  std::memset(&ifr, 0, sizeof(ifr));
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  return true;
}

}  // namespace

std::unique_ptr<TapPort> TapPort::open(const std::string& name, OpenMode mode, std::string& error,
                                       bool offloads) {
  ifreq ifr;
  if (!fill_ifname(name, ifr, error)) return nullptr;
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (offloads) ifr.ifr_flags |= IFF_VNET_HDR;
  if (mode == OpenMode::kCreateOnly) ifr.ifr_flags |= IFF_TUN_EXCL;

  int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = errno_text("open /dev/net/tun", errno);
    return nullptr;
  }
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    ::close(fd);
    // EINVAL here usually means a device of that name exists but is not a TAP.
    error = errno_text(("TUNSETIFF " + name).c_str(), err);
    return nullptr;
  }
  // With offloads the netdev advertises checksum offload and TSO to the VM's stack: it
  // may send partial checksums and TCP super-frames, which the data plane finishes.
  // Without, they are switched off explicitly: a persistent TAP keeps the features an
  // earlier agent gave it, and would go on sending what this one cannot read.
  const int header_size = static_cast<int>(kVirtioHeaderSize);
  const unsigned long features = offloads ? (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) : 0;
  if ((offloads && ::ioctl(fd, TUNSETVNETHDRSZ, &header_size) < 0) || ::ioctl(fd, TUNSETOFFLOAD, features) < 0) {
    int err = errno;
    ::close(fd);
    error = errno_text(("TUNSETOFFLOAD " + name).c_str(), err);
    return nullptr;
  }
  return std::make_unique<TapPort>(fd, name, offloads);
}

TapPort::TapPort(int fd, std::string name, bool vnet_header)
    : fd_(fd), name_(std::move(name)), vnet_header_(vnet_header) {}

TapPort::~TapPort() {
  if (fd_ >= 0) ::close(fd_);
}

size_t TapPort::rx_burst(PacketPool& pool, Batch& out) {
  size_t received = 0;
  uint64_t bytes = 0;
  uint64_t errors = 0;
  const size_t header_size = vnet_header_ ? kVirtioHeaderSize : 0;
  while (!out.full()) {
    Packet* p = pool.alloc();
    if (p == nullptr) {
      // The frame stays queued in the kernel; the next burst picks it up.
      ++errors;
      break;
    }
    // tun's read returns min(frame, buffer) with no truncation flag: one spare byte
    // behind the buffer tells a frame that did not fit from one that filled it exactly.
    // With offloads the virtio-net header comes first, in its own iovec.
    virtio_net_hdr header{};
    uint8_t spill;
    iovec iov[3] = {{&header, header_size}, {p->data(), p->max_length()}, {&spill, 1}};
    const ssize_t n = vnet_header_ ? ::readv(fd_, iov, 3) : ::readv(fd_, iov + 1, 2);
    if (n < 0) {
      pool.free(p);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) ++errors;
      break;
    }
    const size_t frame = static_cast<size_t>(n) > header_size ? static_cast<size_t>(n) - header_size : 0;
    // Too large for our buffers (dropped whole, never cut), a runt, or a header that
    // does not fit its frame.
    if (frame > p->max_length() || frame < kMinFrame || !p->set_length(static_cast<uint32_t>(frame)) ||
        (vnet_header_ && !decode_virtio_header(header, frame, p->meta.offload))) {
      pool.free(p);
      ++errors;
      continue;
    }
    // A driver never sets DATA_VALID on transmit (virtio §5.1.6.2): one VM's word must
    // not make another skip checking bytes it wrote.
    p->meta.offload.data_valid = false;
    out.push(p);
    ++received;
    bytes += frame;
  }
  if (received > 0) {
    counters_.add(counters_.rx_packets, received);
    counters_.add(counters_.rx_bytes, bytes);
  }
  if (errors > 0) counters_.add(counters_.rx_errors, errors);
  return received;
}

void TapPort::tx_burst(PacketPool& pool, Batch& batch) {
  uint64_t sent = 0;
  uint64_t bytes = 0;
  uint64_t errors = 0;
  for (Packet* p : batch) {
    ssize_t n;
    if (vnet_header_) {
      virtio_net_hdr header = encode_virtio_header(p->meta.offload);
      iovec iov[2] = {{&header, kVirtioHeaderSize}, {p->data(), p->length()}};
      do {
        n = ::writev(fd_, iov, 2);
      } while (n < 0 && errno == EINTR);
      if (n >= 0) n -= static_cast<ssize_t>(kVirtioHeaderSize);
    } else if (p->meta.offload.is_gso() || p->meta.offload.needs_csum) {
      n = write_in_software(*p) ? static_cast<ssize_t>(p->length()) : -1;
    } else {
      do {
        n = ::write(fd_, p->data(), p->length());
      } while (n < 0 && errno == EINTR);
    }
    if (n == static_cast<ssize_t>(p->length())) {
      ++sent;
      bytes += p->length();
    } else {
      ++errors;
    }
    pool.free(p);
  }
  batch.clear();
  if (sent > 0) {
    counters_.add(counters_.tx_packets, sent);
    counters_.add(counters_.tx_bytes, bytes);
  }
  if (errors > 0) counters_.add(counters_.tx_errors, errors);
}

bool TapPort::write_in_software(Packet& p) {
  // A TAP without a vnet header takes only finished frames: do what the NIC would.
  if (!p.meta.offload.is_gso()) {
    if (!complete_partial_checksum(p.data(), p.length(), p.meta.offload)) return false;
    return ::write(fd_, p.data(), p.length()) == static_cast<ssize_t>(p.length());
  }
  if (!segmenter_) segmenter_ = std::make_unique<TcpSegmenter>();
  if (!segmenter_->start(nullptr, 0, p.data(), p.length(), p.meta.offload.gso_size)) return false;
  bool ok = true;
  while (!segmenter_->done()) {
    const size_t count = segmenter_->next(SIZE_MAX);
    for (size_t i = 0; i < count; ++i) {
      const iovec* iov = segmenter_->iov() + 2 * i;
      const ssize_t want = static_cast<ssize_t>(iov[0].iov_len + iov[1].iov_len);
      if (::writev(fd_, iov, 2) != want) ok = false;
    }
  }
  return ok;
}

bool TapPort::attached() const {
  ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  return ::ioctl(fd_, TUNGETIFF, &ifr) == 0;
}

bool TapPort::set_persistent(bool persistent, std::string& error) {
  if (::ioctl(fd_, TUNSETPERSIST, persistent ? 1L : 0L) < 0) {
    error = errno_text(("TUNSETPERSIST " + name_).c_str(), errno);
    return false;
  }
  return true;
}

bool TapPort::set_mac(const MacAddress& mac, std::string& error) {
  ifreq ifr;
  if (!fill_ifname(name_, ifr, error)) return false;
  ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
  std::memcpy(ifr.ifr_hwaddr.sa_data, mac.bytes.data(), mac.bytes.size());
  if (::ioctl(fd_, SIOCSIFHWADDR, &ifr) < 0) {
    error = errno_text(("set MAC of " + name_).c_str(), errno);
    return false;
  }
  return true;
}

bool TapPort::set_mtu(uint32_t mtu, std::string& error) {
  ifreq ifr;
  if (!fill_ifname(name_, ifr, error)) return false;
  ifr.ifr_mtu = static_cast<int>(mtu);
  int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    error = errno_text("socket", errno);
    return false;
  }
  bool ok = ::ioctl(sock, SIOCSIFMTU, &ifr) == 0;
  if (!ok) error = errno_text(("set MTU " + std::to_string(mtu) + " of " + name_).c_str(), errno);
  ::close(sock);
  return ok;
}

}  // namespace overcast::dataplane

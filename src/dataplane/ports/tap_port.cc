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

std::unique_ptr<TapPort> TapPort::open(const std::string& name, OpenMode mode, std::string& error) {
  ifreq ifr;
  if (!fill_ifname(name, ifr, error)) return nullptr;
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
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
  return std::make_unique<TapPort>(fd, name);
}

TapPort::TapPort(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

TapPort::~TapPort() {
  if (fd_ >= 0) ::close(fd_);
}

size_t TapPort::rx_burst(PacketPool& pool, Batch& out) {
  size_t received = 0;
  uint64_t bytes = 0;
  uint64_t errors = 0;
  while (!out.full()) {
    Packet* p = pool.alloc();
    if (p == nullptr) {
      // The frame stays queued in the kernel; the next burst picks it up.
      ++errors;
      break;
    }
    // tun's read returns min(frame, buffer) with no truncation flag: one spare byte
    // behind the buffer tells a frame that did not fit from one that filled it exactly.
    uint8_t spill;
    iovec iov[2] = {{p->data(), p->max_length()}, {&spill, 1}};
    ssize_t n = ::readv(fd_, iov, 2);
    if (n > static_cast<ssize_t>(p->max_length())) {
      pool.free(p);
      ++errors;  // larger than this data plane's buffers: dropped whole, never cut
      continue;
    }
    if (n < 0) {
      pool.free(p);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) ++errors;
      break;
    }
    if (static_cast<uint32_t>(n) < kMinFrame || !p->set_length(static_cast<uint32_t>(n))) {
      pool.free(p);
      ++errors;
      continue;
    }
    out.push(p);
    ++received;
    bytes += static_cast<uint64_t>(n);
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
    do {
      n = ::write(fd_, p->data(), p->length());
    } while (n < 0 && errno == EINTR);
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

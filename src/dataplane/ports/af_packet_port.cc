#include "dataplane/ports/af_packet_port.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "dataplane/offload/checksum_completion.h"
#include "dataplane/offload/frame_layout.h"

namespace overcast::dataplane {

namespace {

std::string errno_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

constexpr uint32_t kTagBytes = 4;
constexpr uint32_t kAddressBytes = 12;

// Puts back a tag the kernel moved into metadata (rx VLAN offload): TPID and TCI after
// the addresses, in the packet's headroom.
bool reinsert_tag(Packet& p, uint16_t tpid, uint16_t tci) {
  if (p.length() < kAddressBytes || p.headroom() < kTagBytes) return false;
  uint8_t* frame = p.prepend(kTagBytes);
  std::memmove(frame, frame + kTagBytes, kAddressBytes);
  const uint16_t tag[2] = {htons(tpid), htons(tci)};
  std::memcpy(frame + kAddressBytes, tag, sizeof tag);
  return true;
}

// A frame a local sender on the segment left with its L4 checksum unfinished (a veth or
// bridge port passes CHECKSUM_PARTIAL through; the kernel says so with
// TP_STATUS_CSUMNOTREADY): finished here, as the NIC would have, so NAT's incremental
// updates and the VMs see a true checksum. IPv4/IPv6 without extension headers, TCP or
// UDP; anything else the kernel would not have left partial. False: a frame cut short.
bool finish_checksum(Packet& p) {
  const auto ip = parse_ip_frame(p.data(), p.length());
  if (!ip) return true;
  const uint8_t* l3 = p.data() + ip->l3_offset;
  const size_t l3_room = p.length() - ip->l3_offset;
  size_t l4_offset = 0;
  uint8_t protocol = 0;
  if (!ip->ipv6 && l3_room >= 20) {
    l4_offset = ip->l3_offset + size_t{l3[0] & 0x0fu} * 4;
    protocol = l3[9];
  } else if (ip->ipv6 && l3_room >= 40) {
    l4_offset = ip->l3_offset + 40;
    protocol = l3[6];
  } else {
    return false;
  }
  OffloadInfo offload;
  offload.needs_csum = true;
  offload.csum_start = static_cast<uint16_t>(l4_offset);
  if (protocol == 6) {
    offload.csum_offset = 16;
  } else if (protocol == 17) {
    offload.csum_offset = 6;
  } else {
    return true;
  }
  return complete_partial_checksum(p.data(), p.length(), offload);
}

}  // namespace

std::unique_ptr<AfPacketPort> AfPacketPort::open(const std::string& interface, std::string& error) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) {
    error = "interface name '" + interface + "' must be 1.." + std::to_string(IFNAMSIZ - 1) + " characters";
    return nullptr;
  }
  const unsigned ifindex = ::if_nametoindex(interface.c_str());
  if (ifindex == 0) {
    error = errno_text("uplink interface " + interface, errno);
    return nullptr;
  }
  int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd < 0) {
    error = errno_text("AF_PACKET socket for " + interface, errno);
    return nullptr;
  }
  auto fail = [&](const std::string& what) {
    error = errno_text(what + " " + interface, errno);
    ::close(fd);
    return nullptr;
  };
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, interface.data(), interface.size());
  if (::ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) return fail("SIOCGIFFLAGS");
  if (!(ifr.ifr_flags & IFF_UP)) {
    ::close(fd);
    error = "uplink interface " + interface + " is down (ip link set " + interface + " up)";
    return nullptr;
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = static_cast<int>(ifindex);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) return fail("bind AF_PACKET to");
  packet_mreq promiscuous{};
  promiscuous.mr_ifindex = static_cast<int>(ifindex);
  promiscuous.mr_type = PACKET_MR_PROMISC;
  if (::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promiscuous, sizeof promiscuous) < 0) {
    return fail("promiscuous mode on");
  }
  const int on = 1;
  if (::setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) < 0) return fail("PACKET_AUXDATA on");
  // Linux >= 4.20; older kernels: rx_burst skips PACKET_OUTGOING itself.
  (void)::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on);
  return std::unique_ptr<AfPacketPort>(new AfPacketPort(fd, interface));
}

AfPacketPort::~AfPacketPort() {
  if (fd_ >= 0) ::close(fd_);
}

size_t AfPacketPort::rx_burst(PacketPool& pool, Batch& out) {
  constexpr size_t kMax = Batch::kCapacity;
  std::array<Packet*, kMax> packets{};
  std::array<mmsghdr, kMax> messages{};
  std::array<iovec, kMax> iov{};
  std::array<sockaddr_ll, kMax> from{};
  // One tpacket_auxdata control message per frame.
  alignas(cmsghdr) std::array<std::array<uint8_t, CMSG_SPACE(sizeof(tpacket_auxdata))>, kMax> control{};
  size_t want = std::min(out.free_space(), kMax);
  size_t have = 0;
  for (; have < want; ++have) {
    Packet* p = pool.alloc();
    if (!p) break;
    packets[have] = p;
    iov[have] = {p->data(), p->max_length()};
    messages[have].msg_hdr = {};
    messages[have].msg_hdr.msg_iov = &iov[have];
    messages[have].msg_hdr.msg_iovlen = 1;
    messages[have].msg_hdr.msg_name = &from[have];
    messages[have].msg_hdr.msg_namelen = sizeof(sockaddr_ll);
    messages[have].msg_hdr.msg_control = control[have].data();
    messages[have].msg_hdr.msg_controllen = control[have].size();
  }
  if (have == 0) {
    if (want > 0) counters_.add(counters_.rx_errors, 1);  // pool exhausted
    return 0;
  }
  int got;
  do {
    got = ::recvmmsg(fd_, messages.data(), static_cast<unsigned>(have), MSG_DONTWAIT, nullptr);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) counters_.add(counters_.rx_errors, 1);
    got = 0;
  }
  size_t received = 0, bytes = 0, errors = 0;
  for (size_t i = 0; i < have; ++i) {
    Packet* p = packets[i];
    if (i >= static_cast<size_t>(got)) {
      pool.free(p);
      continue;
    }
    const msghdr& header = messages[i].msg_hdr;
    if (from[i].sll_pkttype == PACKET_OUTGOING) {  // our host's own, not the segment's
      pool.free(p);
      continue;
    }
    if ((header.msg_flags & MSG_TRUNC) || !p->set_length(messages[i].msg_len)) {
      ++errors;
      pool.free(p);
      continue;
    }
    bool ok = true;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&header), c)) {
      if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
      tpacket_auxdata aux;
      std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
      if (aux.tp_status & TP_STATUS_VLAN_VALID) {
        const uint16_t tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : ETH_P_8021Q;
        ok = reinsert_tag(*p, tpid, aux.tp_vlan_tci);
      }
      if (ok && (aux.tp_status & TP_STATUS_CSUMNOTREADY)) ok = finish_checksum(*p);
    }
    if (!ok) {
      ++errors;
      pool.free(p);
      continue;
    }
    bytes += p->length();
    out.push(p);
    ++received;
  }
  if (received > 0) {
    counters_.add(counters_.rx_packets, received);
    counters_.add(counters_.rx_bytes, bytes);
  }
  if (errors > 0) counters_.add(counters_.rx_errors, errors);
  return received;
}

bool AfPacketPort::send_in_software(Packet& p) {
  if (!p.meta.offload.is_gso()) {
    if (!complete_partial_checksum(p.data(), p.length(), p.meta.offload)) return false;
    return ::send(fd_, p.data(), p.length(), MSG_DONTWAIT) == static_cast<ssize_t>(p.length());
  }
  if (!segmenter_) segmenter_ = std::make_unique<TcpSegmenter>();
  if (!segmenter_->start(nullptr, 0, p.data(), p.length(), p.meta.offload.gso_size)) return false;
  bool ok = true;
  while (!segmenter_->done()) {
    const size_t count = segmenter_->next(SIZE_MAX);
    std::array<mmsghdr, TcpSegmenter::kMaxSegments> messages{};
    for (size_t i = 0; i < count; ++i) {
      messages[i].msg_hdr.msg_iov = const_cast<iovec*>(segmenter_->iov() + 2 * i);
      messages[i].msg_hdr.msg_iovlen = 2;
    }
    const int sent = ::sendmmsg(fd_, messages.data(), static_cast<unsigned>(count), MSG_DONTWAIT);
    if (sent != static_cast<int>(count)) ok = false;
  }
  return ok;
}

void AfPacketPort::tx_burst(PacketPool& pool, Batch& batch) {
  std::array<mmsghdr, Batch::kCapacity> messages{};
  std::array<iovec, Batch::kCapacity> iov{};
  size_t plain = 0, sent = 0, bytes = 0, errors = 0;
  // Finished frames go out together; the others one by one, in software.
  for (Packet* p : batch) {
    if (p->meta.offload.needs_csum || p->meta.offload.is_gso()) {
      if (send_in_software(*p)) {
        ++sent;
        bytes += p->length();
      } else {
        ++errors;
      }
      continue;
    }
    iov[plain] = {p->data(), p->length()};
    messages[plain].msg_hdr.msg_iov = &iov[plain];
    messages[plain].msg_hdr.msg_iovlen = 1;
    ++plain;
  }
  size_t done = 0;
  while (done < plain) {
    int n = ::sendmmsg(fd_, messages.data() + done, static_cast<unsigned>(plain - done), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the frame at `done` failed (too big, queue full): count it, go on
      ++errors;
      ++done;
      continue;
    }
    for (int i = 0; i < n; ++i) bytes += messages[done + i].msg_len;
    sent += static_cast<size_t>(n);
    done += static_cast<size_t>(n);
  }
  for (Packet* p : batch) pool.free(p);
  batch.clear();
  if (sent > 0) {
    counters_.add(counters_.tx_packets, sent);
    counters_.add(counters_.tx_bytes, bytes);
  }
  if (errors > 0) counters_.add(counters_.tx_errors, errors);
}

}  // namespace overcast::dataplane

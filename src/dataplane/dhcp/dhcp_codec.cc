#include "dataplane/dhcp/dhcp_codec.h"

#include <cstring>

#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/udp.h"

namespace overcast::dataplane::dhcp {
namespace {

uint32_t read32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Appends options to a buffer, refusing (and remembering) anything past the end.
class OptionWriter {
 public:
  OptionWriter(uint8_t* at, size_t room) : at_(at), room_(room) {}
  void bytes(uint8_t code, const uint8_t* data, size_t n) {
    if (n > 255 || used_ + 2 + n > room_) {
      overflow_ = true;
      return;
    }
    at_[used_++] = code;
    at_[used_++] = static_cast<uint8_t>(n);
    std::memcpy(at_ + used_, data, n);
    used_ += n;
  }
  void u8(uint8_t code, uint8_t v) { bytes(code, &v, 1); }
  void u16(uint8_t code, uint16_t v) {
    const uint8_t b[2] = {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    bytes(code, b, 2);
  }
  void addresses(uint8_t code, const std::vector<uint32_t>& list) {
    std::vector<uint8_t> b;
    for (uint32_t a : list) append32(b, a);
    bytes(code, b.data(), b.size());
  }
  void u32(uint8_t code, uint32_t v) { addresses(code, {v}); }
  void end() {
    if (used_ + 1 > room_) {
      overflow_ = true;
      return;
    }
    at_[used_++] = option::kEnd;
  }
  static void append32(std::vector<uint8_t>& b, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
  }
  size_t used() const { return used_; }
  bool overflow() const { return overflow_; }

 private:
  uint8_t* at_;
  size_t room_;
  size_t used_ = 0;
  bool overflow_ = false;
};

uint32_t mask_of(uint8_t prefix_length) {
  return prefix_length == 0 ? 0 : ~uint32_t{0} << (32 - std::min<uint8_t>(prefix_length, 32));
}

// RFC 3442: width, then only the significant octets of the destination, then the router.
std::vector<uint8_t> classless_routes(const Lease& lease) {
  std::vector<uint8_t> b;
  auto add = [&](uint32_t destination, uint8_t length, uint32_t next_hop) {
    b.push_back(length);
    for (int i = 0; i < (length + 7) / 8; ++i) b.push_back(static_cast<uint8_t>(destination >> (24 - 8 * i)));
    OptionWriter::append32(b, next_hop);
  };
  bool has_default = false;
  for (const StaticRoute& r : lease.host_routes) {
    add(r.destination & mask_of(r.prefix_length), std::min<uint8_t>(r.prefix_length, 32), r.next_hop);
    has_default |= r.prefix_length == 0;
  }
  if (lease.router && !has_default) add(0, 0, *lease.router);
  return b;
}

}  // namespace

ParseError parse_request(const uint8_t* p, size_t length, Request& out) {
  out = Request{};
  if (length < sizeof(DhcpHeader)) return ParseError::kTruncated;
  const auto* h = net::header_at<DhcpHeader>(p);
  if (h->op != 1) return ParseError::kNotRequest;
  if (h->htype != 1 || h->hlen != 6) return ParseError::kBadHardware;
  if (h->magic.host() != kMagicCookie) return ParseError::kBadMagic;
  out.xid = h->xid.host();
  out.flags = h->flags.host();
  out.ciaddr = h->ciaddr.host();
  out.giaddr = h->giaddr.host();
  out.chaddr = MacAddress::from_bytes(h->chaddr);

  bool have_type = false, ended = false;
  size_t i = sizeof(DhcpHeader);
  while (i < length) {
    const uint8_t code = p[i];
    if (code == option::kPad) {
      ++i;
      continue;
    }
    if (code == option::kEnd) {
      ended = true;
      break;
    }
    if (i + 2 > length || i + 2 + p[i + 1] > length) return ParseError::kBadOption;
    const uint8_t len = p[i + 1];
    const uint8_t* v = p + i + 2;
    switch (code) {
      case option::kMessageType:
        if (len != 1 || v[0] < 1 || v[0] > 8) return ParseError::kNoMessageType;
        out.type = static_cast<MessageType>(v[0]);
        have_type = true;
        break;
      case option::kRequestedIp:
        if (len != 4) return ParseError::kBadOption;
        out.requested_ip = read32(v);
        break;
      case option::kServerId:
        if (len != 4) return ParseError::kBadOption;
        out.server_id = read32(v);
        break;
      case option::kParameterRequestList:
        out.has_parameter_list = true;
        for (uint8_t k = 0; k < len; ++k) out.requested[v[k]] = true;
        break;
      case option::kMaxMessageSize:
        if (len != 2) return ParseError::kBadOption;
        out.max_message_size = static_cast<uint16_t>((v[0] << 8) | v[1]);
        break;
      default:
        break;
    }
    i += 2 + size_t{len};
  }
  if (!ended) return ParseError::kBadOption;
  if (!have_type) return ParseError::kNoMessageType;
  if (out.type == MessageType::kOffer || out.type == MessageType::kAck || out.type == MessageType::kNak)
    return ParseError::kServerMessage;
  return ParseError::kOk;
}

ParseError parse_request_frame(const uint8_t* frame, size_t length, Request& out) {
  const auto eth = net::parse_ethernet(frame, length);
  if (!eth || eth->ethertype != net::ethertype::kIpv4) return ParseError::kNotDhcp;
  const auto ip = net::parse_ipv4(frame + eth->l3_offset, length - eth->l3_offset);
  if (!ip.header || ip.header->protocol != net::ip_proto::kUdp || ip.header->is_fragment())
    return ParseError::kNotDhcp;
  const uint8_t* l4 = frame + eth->l3_offset + ip.header_length;
  const auto* udp = net::parse_udp(l4, ip.total_length - ip.header_length);
  if (!udp || udp->dst_port.host() != kServerPort) return ParseError::kNotDhcp;
  return parse_request(l4 + sizeof(net::UdpHeader), udp->length.host() - sizeof(net::UdpHeader), out);
}

std::optional<MessageType> decide_reply(const Request& r, const Lease& lease, const Server& server) {
  switch (r.type) {
    case MessageType::kDiscover:
      return MessageType::kOffer;
    case MessageType::kRequest:
      if (r.server_id) {  // SELECTING: the client answers one server's OFFER
        if (*r.server_id != server.address) return std::nullopt;
        return r.requested_ip == lease.address ? MessageType::kAck : MessageType::kNak;
      }
      if (r.requested_ip)  // INIT-REBOOT: checking a remembered address
        return *r.requested_ip == lease.address && r.ciaddr == 0 ? MessageType::kAck : MessageType::kNak;
      // RENEWING / REBINDING
      return r.ciaddr == lease.address ? MessageType::kAck : MessageType::kNak;
    case MessageType::kInform:
      return MessageType::kAck;
    default:
      return std::nullopt;
  }
}

size_t build_reply(const Request& r, MessageType type, const Lease& lease, const Server& server, uint8_t* out,
                   size_t capacity) {
  if (capacity < sizeof(DhcpHeader) + 1) return 0;
  std::memset(out, 0, sizeof(DhcpHeader));
  auto* h = net::header_at<DhcpHeader>(out);
  h->op = 2;
  h->htype = 1;
  h->hlen = 6;
  h->xid = net::be32::from_host(r.xid);
  h->flags = net::be16::from_host(r.flags & kBroadcastFlag);
  h->giaddr = net::be32::from_host(r.giaddr);
  std::memcpy(h->chaddr, r.chaddr.bytes.data(), 6);
  h->magic = net::be32::from_host(kMagicCookie);
  const bool inform = r.type == MessageType::kInform;
  if (type != MessageType::kNak) {
    h->ciaddr = net::be32::from_host(r.ciaddr);
    if (!inform) h->yiaddr = net::be32::from_host(lease.address);
  }

  OptionWriter w(out + sizeof(DhcpHeader), capacity - sizeof(DhcpHeader));
  w.u8(option::kMessageType, static_cast<uint8_t>(type));
  w.u32(option::kServerId, server.address);
  if (type == MessageType::kNak) {
    static constexpr char kText[] = "address not valid for this client";
    w.bytes(option::kMessage, reinterpret_cast<const uint8_t*>(kText), sizeof(kText) - 1);
  } else {
    if (!inform) {
      w.u32(option::kLeaseTime, lease.lease_seconds);
      w.u32(option::kRenewalTime, lease.lease_seconds / 2);
      w.u32(option::kRebindingTime, static_cast<uint32_t>(uint64_t{lease.lease_seconds} * 7 / 8));
    }
    w.u32(option::kSubnetMask, mask_of(lease.prefix_length));
    if (r.asks_for(option::kBroadcastAddress))
      w.u32(option::kBroadcastAddress, (lease.address & mask_of(lease.prefix_length)) | ~mask_of(lease.prefix_length));
    if (lease.router && r.asks_for(option::kRouter)) w.u32(option::kRouter, *lease.router);
    if (!lease.dns_servers.empty() && r.asks_for(option::kDnsServers))
      w.addresses(option::kDnsServers, lease.dns_servers);
    if (!lease.domain_name.empty() && r.asks_for(option::kDomainName))
      w.bytes(option::kDomainName, reinterpret_cast<const uint8_t*>(lease.domain_name.data()),
              lease.domain_name.size());
    if (lease.mtu && r.asks_for(option::kInterfaceMtu)) w.u16(option::kInterfaceMtu, lease.mtu);
    // Routes only to a client that asked: a client that did not know 121 would miss them.
    if (!lease.host_routes.empty() && r.has_parameter_list && r.requested[option::kClasslessStaticRoutes]) {
      const auto routes = classless_routes(lease);
      w.bytes(option::kClasslessStaticRoutes, routes.data(), routes.size());
    }
  }
  w.end();
  if (w.overflow()) return 0;
  size_t length = sizeof(DhcpHeader) + w.used();
  if (length < kMinMessageSize) {
    if (capacity < kMinMessageSize) return 0;
    std::memset(out + length, 0, kMinMessageSize - length);
    length = kMinMessageSize;
  }
  return length;
}

size_t build_reply_frame(const Request& r, MessageType type, const Lease& lease, const Server& server, uint8_t* out,
                         size_t capacity) {
  constexpr size_t kHeaders = sizeof(net::EthernetHeader) + sizeof(net::Ipv4Header) + sizeof(net::UdpHeader);
  if (capacity <= kHeaders) return 0;
  const size_t payload = build_reply(r, type, lease, server, out + kHeaders, capacity - kHeaders);
  if (payload == 0) return 0;

  const bool broadcast = type == MessageType::kNak || (r.ciaddr == 0 && (r.flags & kBroadcastFlag));
  uint32_t dst_ip = 0xffffffff;
  MacAddress dst_mac = MacAddress::broadcast();
  if (type != MessageType::kNak && r.ciaddr != 0) {
    dst_ip = r.ciaddr;
    dst_mac = r.chaddr;
  } else if (!broadcast) {
    dst_ip = lease.address;
    dst_mac = r.chaddr;
  }

  auto* eth = net::header_at<net::EthernetHeader>(out);
  std::memcpy(eth->dst, dst_mac.bytes.data(), 6);
  std::memcpy(eth->src, server.mac.bytes.data(), 6);
  eth->ethertype = net::be16::from_host(net::ethertype::kIpv4);
  auto* ip = net::header_at<net::Ipv4Header>(out + sizeof(net::EthernetHeader));
  const size_t ip_length = sizeof(net::Ipv4Header) + sizeof(net::UdpHeader) + payload;
  std::memset(ip, 0, sizeof(net::Ipv4Header));
  ip->version_ihl = 0x45;
  ip->total_length = net::be16::from_host(static_cast<uint16_t>(ip_length));
  ip->ttl = 64;
  ip->protocol = net::ip_proto::kUdp;
  ip->src = net::be32::from_host(server.address);
  ip->dst = net::be32::from_host(dst_ip);
  net::set_ipv4_checksum(ip);
  auto* udp = net::header_at<net::UdpHeader>(out + sizeof(net::EthernetHeader) + sizeof(net::Ipv4Header));
  udp->src_port = net::be16::from_host(kServerPort);
  udp->dst_port = net::be16::from_host(kClientPort);
  udp->length = net::be16::from_host(static_cast<uint16_t>(sizeof(net::UdpHeader) + payload));
  udp->checksum = net::be16::from_host(0);
  // UDP checksum over the pseudo-header and the datagram (computed in full: DHCP is rare).
  std::vector<uint8_t> pseudo(12 + sizeof(net::UdpHeader) + payload);
  for (int i = 0; i < 4; ++i) {
    pseudo[i] = static_cast<uint8_t>(server.address >> (24 - 8 * i));
    pseudo[4 + i] = static_cast<uint8_t>(dst_ip >> (24 - 8 * i));
  }
  pseudo[9] = net::ip_proto::kUdp;
  pseudo[10] = static_cast<uint8_t>((sizeof(net::UdpHeader) + payload) >> 8);
  pseudo[11] = static_cast<uint8_t>(sizeof(net::UdpHeader) + payload);
  std::memcpy(pseudo.data() + 12, udp, sizeof(net::UdpHeader) + payload);
  const uint16_t sum = net::internet_checksum(pseudo.data(), pseudo.size());
  udp->checksum = net::be16::from_host(sum == 0 ? 0xffff : sum);
  return kHeaders + payload;
}

}  // namespace overcast::dataplane::dhcp

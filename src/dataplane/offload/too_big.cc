#include "dataplane/offload/too_big.h"

#include <algorithm>
#include <cstring>

#include "dataplane/offload/frame_layout.h"
#include "net/checksum.h"
#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace overcast::dataplane {
namespace {

constexpr uint16_t kDontFragment = 0x4000;
constexpr uint16_t kMoreFragments = 0x2000;
constexpr size_t kIcmpHeader = 8;
constexpr size_t kIpv4ReplyMax = 576;   // RFC 1812 §4.3.2.3
constexpr size_t kIpv6ReplyMax = 1280;  // RFC 4443 §2.4 (c)

bool is_icmpv4_error(uint8_t type) { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }

}  // namespace

TooBigAction too_big_action(const uint8_t* frame, size_t length) {
  auto ip = parse_ip_frame(frame, length);
  if (!ip) return TooBigAction::kDrop;
  // Sent to a group of stations: no one of them answers for it (and the reply's
  // source MAC would be the group's).
  const bool group_mac = frame[0] & 0x01;
  const uint8_t* l3 = frame + ip->l3_offset;
  const size_t l3_length = length - ip->l3_offset;
  if (!ip->ipv6) {
    auto v4 = net::parse_ipv4(l3, l3_length);
    if (!v4.header) return TooBigAction::kDrop;
    const uint8_t src_first = l3[12];
    if (src_first == 0 || src_first >= 224) return TooBigAction::kDrop;  // unspecified, multicast, class E
    const uint16_t flags_fragment = v4.header->flags_fragment.host();
    const bool first_piece = (flags_fragment & 0x1fff) == 0;
    if (flags_fragment & kDontFragment) {
      // No ICMP error about an ICMP error, a non-initial fragment, or a packet to a
      // multicast/broadcast address (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7).
      const uint8_t dst_first = l3[16];
      const bool broadcast = std::memcmp(l3 + 16, "\xff\xff\xff\xff", 4) == 0;
      if (!first_piece || dst_first >= 224 || broadcast || group_mac) return TooBigAction::kDrop;
      if (v4.header->protocol == net::ip_proto::kIcmp && l3_length > v4.header_length &&
          is_icmpv4_error(l3[v4.header_length])) {
        return TooBigAction::kDrop;
      }
      return TooBigAction::kReply;
    }
    return v4.header_length == sizeof(net::Ipv4Header) ? TooBigAction::kFragment : TooBigAction::kDrop;
  }
  const auto* v6 = net::parse_ipv6(l3, l3_length);
  if (!v6) return TooBigAction::kDrop;
  static const uint8_t kUnspecified[16] = {};
  if (v6->src[0] == 0xff || std::memcmp(v6->src, kUnspecified, 16) == 0) return TooBigAction::kDrop;
  // Packet Too Big may answer multicast (RFC 4443 §2.4 e.2), but never from a multicast
  // source address: we would have to pick a unicast one, and we have none of our own.
  if (v6->dst[0] == 0xff || group_mac) return TooBigAction::kDrop;
  // ICMPv6 errors have types < 128 (RFC 4443 §2.1).
  if (v6->next_header == net::ip_proto::kIcmpv6 && l3_length > sizeof(net::Ipv6Header) &&
      l3[sizeof(net::Ipv6Header)] < 128) {
    return TooBigAction::kDrop;
  }
  return TooBigAction::kReply;
}

size_t build_too_big_reply(const uint8_t* frame, size_t length, uint32_t mtu, uint8_t* out, size_t room) {
  if (too_big_action(frame, length) != TooBigAction::kReply) return 0;
  auto ip = parse_ip_frame(frame, length);
  const size_t l2 = ip->l3_offset;
  const uint8_t* l3 = frame + l2;
  const size_t l3_length = length - l2;
  // Ethernet (tags kept, so the reply stays in the same VLAN): addresses swapped.
  if (room < l2) return 0;
  std::memcpy(out, frame, l2);
  std::memcpy(out, frame + 6, 6);
  std::memcpy(out + 6, frame, 6);
  uint8_t* reply = out + l2;

  if (!ip->ipv6) {
    const size_t quoted = std::min(l3_length, kIpv4ReplyMax - sizeof(net::Ipv4Header) - kIcmpHeader);
    const size_t total = sizeof(net::Ipv4Header) + kIcmpHeader + quoted;
    if (room < l2 + total) return 0;
    const auto* orig = net::header_at<net::Ipv4Header>(l3);
    auto* h = net::header_at<net::Ipv4Header>(reply);
    std::memset(h, 0, sizeof *h);
    h->version_ihl = 0x45;
    h->total_length = net::be16::from_host(static_cast<uint16_t>(total));
    h->ttl = 64;
    h->protocol = net::ip_proto::kIcmp;
    h->src = orig->dst;
    h->dst = orig->src;
    net::set_ipv4_checksum(h);
    uint8_t* icmp = reply + sizeof(net::Ipv4Header);
    std::memset(icmp, 0, kIcmpHeader);
    icmp[0] = 3;  // destination unreachable
    icmp[1] = 4;  // fragmentation needed and DF set
    icmp[6] = static_cast<uint8_t>(mtu >> 8);
    icmp[7] = static_cast<uint8_t>(mtu);
    std::memcpy(icmp + kIcmpHeader, l3, quoted);
    const uint16_t sum = net::checksum_finish(net::checksum_partial(icmp, kIcmpHeader + quoted));
    icmp[2] = static_cast<uint8_t>(sum >> 8);
    icmp[3] = static_cast<uint8_t>(sum);
    return l2 + total;
  }

  const size_t quoted = std::min(l3_length, kIpv6ReplyMax - sizeof(net::Ipv6Header) - kIcmpHeader);
  const size_t payload = kIcmpHeader + quoted;
  if (room < l2 + sizeof(net::Ipv6Header) + payload) return 0;
  const auto* orig = net::header_at<net::Ipv6Header>(l3);
  auto* h = net::header_at<net::Ipv6Header>(reply);
  h->version_class_flow = net::be32::from_host(0x60000000u);
  h->payload_length = net::be16::from_host(static_cast<uint16_t>(payload));
  h->next_header = net::ip_proto::kIcmpv6;
  h->hop_limit = 64;
  std::memcpy(h->src, orig->dst, 16);
  std::memcpy(h->dst, orig->src, 16);
  uint8_t* icmp = reply + sizeof(net::Ipv6Header);
  std::memset(icmp, 0, kIcmpHeader);
  icmp[0] = 2;  // packet too big
  icmp[4] = static_cast<uint8_t>(mtu >> 24);
  icmp[5] = static_cast<uint8_t>(mtu >> 16);
  icmp[6] = static_cast<uint8_t>(mtu >> 8);
  icmp[7] = static_cast<uint8_t>(mtu);
  std::memcpy(icmp + kIcmpHeader, l3, quoted);
  uint64_t sum = net::pseudo_header_sum_v6(h->src, h->dst, net::ip_proto::kIcmpv6, static_cast<uint32_t>(payload));
  const uint16_t checksum = net::checksum_finish(net::checksum_partial(icmp, payload, sum));
  icmp[2] = static_cast<uint8_t>(checksum >> 8);
  icmp[3] = static_cast<uint8_t>(checksum);
  return l2 + sizeof(net::Ipv6Header) + payload;
}

size_t ipv4_fragment_count(const uint8_t* frame, size_t length, uint32_t mtu) {
  auto ip = parse_ip_frame(frame, length);
  if (!ip || ip->ipv6 || mtu < sizeof(net::Ipv4Header) + 8) return 0;
  auto v4 = net::parse_ipv4(frame + ip->l3_offset, length - ip->l3_offset);
  if (!v4.header || v4.header_length != sizeof(net::Ipv4Header)) return 0;
  const size_t chunk = (mtu - sizeof(net::Ipv4Header)) & ~size_t{7};
  const size_t data = v4.total_length - v4.header_length;
  // The last fragment's offset must fit the header's 13 bits (in 8-byte units).
  const size_t base = v4.header->flags_fragment.host() & 0x1fff;
  if (data == 0 || base + (data - 1) / 8 > 0x1fff) return 0;
  return (data + chunk - 1) / chunk;
}

size_t build_ipv4_fragment(const uint8_t* frame, size_t length, uint32_t mtu, size_t index, uint8_t* out,
                           size_t room) {
  const size_t count = ipv4_fragment_count(frame, length, mtu);
  if (index >= count) return 0;
  auto ip = parse_ip_frame(frame, length);
  const size_t l2 = ip->l3_offset;
  const uint8_t* l3 = frame + l2;
  auto v4 = net::parse_ipv4(l3, length - l2);
  const size_t chunk = (mtu - sizeof(net::Ipv4Header)) & ~size_t{7};
  const size_t data = v4.total_length - sizeof(net::Ipv4Header);
  const size_t start = index * chunk;
  const size_t size = std::min(chunk, data - start);
  const size_t total = l2 + sizeof(net::Ipv4Header) + size;
  if (room < total) return 0;
  std::memcpy(out, frame, l2 + sizeof(net::Ipv4Header));
  std::memcpy(out + l2 + sizeof(net::Ipv4Header), l3 + sizeof(net::Ipv4Header) + start, size);
  auto* h = net::header_at<net::Ipv4Header>(out + l2);
  // A fragment of a fragment keeps its place in the original datagram and its MF.
  const uint16_t original = v4.header->flags_fragment.host();
  const uint16_t base = original & 0x1fff;
  const bool more = index + 1 < count || (original & kMoreFragments);
  h->flags_fragment = net::be16::from_host(static_cast<uint16_t>((base + start / 8) | (more ? kMoreFragments : 0)));
  h->total_length = net::be16::from_host(static_cast<uint16_t>(sizeof(net::Ipv4Header) + size));
  net::set_ipv4_checksum(h);
  return total;
}

}  // namespace overcast::dataplane

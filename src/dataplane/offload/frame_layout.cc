#include "dataplane/offload/frame_layout.h"

#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"

namespace overcast::dataplane {

std::optional<IpFrameLayout> parse_ip_frame(const uint8_t* frame, size_t length) {
  auto eth = net::parse_ethernet(frame, length);
  if (!eth) return std::nullopt;
  if (eth->ethertype == net::ethertype::kIpv4) return IpFrameLayout{static_cast<uint16_t>(eth->l3_offset), false};
  if (eth->ethertype == net::ethertype::kIpv6) return IpFrameLayout{static_cast<uint16_t>(eth->l3_offset), true};
  return std::nullopt;
}

std::optional<TcpFrameLayout> parse_tcp_frame(const uint8_t* frame, size_t length) {
  auto ip = parse_ip_frame(frame, length);
  if (!ip) return std::nullopt;
  TcpFrameLayout out;
  out.l3_offset = ip->l3_offset;
  out.ipv6 = ip->ipv6;
  const uint8_t* l3 = frame + ip->l3_offset;
  const size_t l3_room = length - ip->l3_offset;
  size_t l3_header = 0;
  if (!ip->ipv6) {
    if (l3_room < sizeof(net::Ipv4Header)) return std::nullopt;
    const auto* h = net::header_at<net::Ipv4Header>(l3);
    l3_header = h->header_length();
    if (h->version() != 4 || l3_header < sizeof(net::Ipv4Header) || l3_header > l3_room) return std::nullopt;
    if (h->protocol != net::ip_proto::kTcp || h->is_fragment()) return std::nullopt;
  } else {
    if (l3_room < sizeof(net::Ipv6Header)) return std::nullopt;
    const auto* h = net::header_at<net::Ipv6Header>(l3);
    if (h->version() != 6 || h->next_header != net::ip_proto::kTcp) return std::nullopt;
    l3_header = sizeof(net::Ipv6Header);
  }
  out.l4_offset = static_cast<uint16_t>(ip->l3_offset + l3_header);
  const auto* tcp = net::parse_tcp(frame + out.l4_offset, length - out.l4_offset);
  if (!tcp) return std::nullopt;
  out.payload_offset = static_cast<uint16_t>(out.l4_offset + tcp->header_length());
  return out;
}

}  // namespace overcast::dataplane

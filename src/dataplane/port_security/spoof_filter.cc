#include "dataplane/port_security/spoof_filter.h"

#include "net/arp.h"
#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace overcast::dataplane::port_security {
namespace {

route::Uint128 to_u128(const conntrack::IpBytes& b) {
  route::Uint128 v = 0;
  for (uint8_t x : b) v = v << 8 | x;
  return v;
}

route::Uint128 to_u128(const uint8_t* p) {
  route::Uint128 v = 0;
  for (int i = 0; i < 16; ++i) v = v << 8 | p[i];
  return v;
}

// fe80::/64 with the modified EUI-64 interface id of `mac` (RFC 4291 appendix A).
route::Uint128 link_local_of(const MacAddress& mac) {
  const auto& m = mac.bytes;
  const uint8_t iid[8] = {static_cast<uint8_t>(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]};
  route::Uint128 v = route::Uint128{0xfe80} << 112;
  for (int i = 0; i < 8; ++i) v |= route::Uint128{iid[i]} << (56 - 8 * i);
  return v;
}

}  // namespace

std::shared_ptr<const SpoofFilter> SpoofFilter::compile(const PortSecurityConfig& config) {
  auto filter = std::make_shared<SpoofFilter>();
  auto entry = [&](const MacAddress& mac) -> MacEntry& {
    for (auto& m : filter->macs_)
      if (m.mac == mac.to_u64()) return m;
    filter->macs_.emplace_back();
    filter->macs_.back().mac = mac.to_u64();
    filter->macs_.back().v6.insert(link_local_of(mac), 128, true);
    return filter->macs_.back();
  };
  auto add = [&](MacEntry& m, const AddressPrefix& p) {
    if (p.family == 4) m.v4.insert(conntrack::ipv4_of(p.address), std::min<int>(p.length, 32), true);
    else m.v6.insert(to_u128(p.address), std::min<int>(p.length, 128), true);
  };
  MacEntry& own = entry(config.mac);
  for (const auto& ip : config.fixed_ips) add(own, ip);
  for (const auto& pair : config.allowed_address_pairs) add(entry(pair.mac), pair.prefix);
  return filter;
}

const SpoofFilter::MacEntry* SpoofFilter::find_mac(uint64_t mac) const {
  for (const auto& m : macs_)
    if (m.mac == mac) return &m;
  return nullptr;
}

SpoofVerdict SpoofFilter::check(const uint8_t* frame, size_t length) const {
  const auto eth = net::parse_ethernet(frame, length);
  if (!eth) return SpoofVerdict::kMalformed;
  const uint64_t src = eth->header->src_mac().to_u64();
  const MacEntry* m = find_mac(src);
  if (!m) return SpoofVerdict::kSpoofedMac;
  const uint8_t* l3 = frame + eth->l3_offset;
  const size_t l3_length = length - eth->l3_offset;
  switch (eth->ethertype) {
    case net::ethertype::kIpv4: return check_ipv4(*m, l3, l3_length);
    case net::ethertype::kIpv6: return check_ipv6(*m, l3, l3_length);
    case net::ethertype::kArp: return check_arp(*m, src, l3, l3_length);
    default: return SpoofVerdict::kPass;
  }
}

SpoofVerdict SpoofFilter::check_ipv4(const MacEntry& m, const uint8_t* l3, size_t length) const {
  const auto ip = net::parse_ipv4(l3, length);
  if (!ip.header) return SpoofVerdict::kMalformed;
  const uint32_t src = ip.header->src.host();
  uint16_t sport = 0, dport = 0;
  const bool udp = ip.header->protocol == net::ip_proto::kUdp && !ip.header->is_fragment();
  if (udp) {
    if (ip.total_length < ip.header_length + 8) return SpoofVerdict::kMalformed;
    const uint8_t* u = l3 + ip.header_length;
    sport = static_cast<uint16_t>(u[0] << 8 | u[1]);
    dport = static_cast<uint16_t>(u[2] << 8 | u[3]);
    if (sport == 67 && dport == 68) return SpoofVerdict::kDhcpServer;
  }
  if (m.v4.lookup(src)) return SpoofVerdict::kPass;
  // A DHCP client has no address yet.
  if (src == 0 && udp && sport == 68 && dport == 67) return SpoofVerdict::kPass;
  return SpoofVerdict::kSpoofedIp;
}

SpoofVerdict SpoofFilter::check_ipv6(const MacEntry& m, const uint8_t* l3, size_t length) const {
  const auto* ip = net::parse_ipv6(l3, length);
  if (!ip) return SpoofVerdict::kMalformed;
  const size_t payload = ip->payload_length.host();
  const uint8_t* l4 = l3 + sizeof(net::Ipv6Header);
  int icmp_type = -1;
  if (ip->next_header == net::ip_proto::kIcmpv6) {
    if (payload < 4) return SpoofVerdict::kMalformed;
    icmp_type = l4[0];
    if (icmp_type == 134) return SpoofVerdict::kRouterAdvert;
  } else if (ip->next_header == net::ip_proto::kUdp) {
    if (payload < 8) return SpoofVerdict::kMalformed;
    if ((l4[0] << 8 | l4[1]) == 547 && (l4[2] << 8 | l4[3]) == 546) return SpoofVerdict::kDhcpServer;
  }
  const route::Uint128 src = to_u128(ip->src);
  if (m.v6.lookup(src)) return SpoofVerdict::kPass;
  // Duplicate address detection: NS and MLDv2 reports from the unspecified address.
  if (src == 0 && (icmp_type == 135 || icmp_type == 143)) return SpoofVerdict::kPass;
  return SpoofVerdict::kSpoofedIp;
}

SpoofVerdict SpoofFilter::check_arp(const MacEntry& m, uint64_t eth_src, const uint8_t* l3, size_t length) const {
  const auto* arp = net::parse_arp_ethernet_ipv4(l3, length);
  if (!arp) return SpoofVerdict::kMalformed;
  if (MacAddress::from_bytes(arp->sender_mac).to_u64() != eth_src) return SpoofVerdict::kSpoofedArp;
  const uint32_t spa = arp->sender_ip.host();
  if (spa == 0 || m.v4.lookup(spa)) return SpoofVerdict::kPass;  // 0.0.0.0: an ARP probe (RFC 5227)
  return SpoofVerdict::kSpoofedArp;
}

}  // namespace overcast::dataplane::port_security

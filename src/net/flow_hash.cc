#include "net/flow_hash.h"

#include <cstring>

#include "net/ethernet.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace overcast::net {
namespace {

// A multiply-xorshift mixer: a few cycles per 64-bit word, good avalanche.
struct Mixer {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  void add(uint64_t word) {
    h ^= word;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  void add_bytes(const uint8_t* p, size_t n) {
    while (n >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      add(w);
      p += 8;
      n -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    add(tail ^ (uint64_t{n} << 56));
  }
  uint32_t finish() const {
    uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return static_cast<uint32_t>(x);
  }
};

// Source and destination port of a TCP/UDP header at `l4`, if both are held.
void add_ports(Mixer& m, uint8_t protocol, const uint8_t* l4, size_t l4_length) {
  if ((protocol != ip_proto::kTcp && protocol != ip_proto::kUdp) || l4_length < 4) return;
  uint32_t ports;
  std::memcpy(&ports, l4, 4);
  m.add(ports);
}

}  // namespace

uint32_t flow_hash(const uint8_t* frame, size_t length) {
  Mixer m;
  auto eth = parse_ethernet(frame, length);
  if (!eth) {
    m.add_bytes(frame, length < kEthernetHeaderSize ? length : kEthernetHeaderSize);
    return m.finish();
  }
  m.add_bytes(frame, 12);  // both MACs
  m.add(eth->ethertype);
  const uint8_t* l3 = frame + eth->l3_offset;
  const size_t l3_length = length - eth->l3_offset;
  if (eth->ethertype == ethertype::kIpv4) {
    ParsedIpv4 ip = parse_ipv4(l3, l3_length);
    if (ip.header) {
      m.add((uint64_t{ip.header->src.host()} << 32) | ip.header->dst.host());
      m.add(ip.header->protocol);
      if (!ip.header->is_fragment()) {
        add_ports(m, ip.header->protocol, l3 + ip.header_length, ip.total_length - ip.header_length);
      }
    }
  } else if (eth->ethertype == ethertype::kIpv6) {
    if (const Ipv6Header* ip = parse_ipv6(l3, l3_length)) {
      m.add_bytes(ip->src, 32);  // src and dst are adjacent
      m.add(ip->next_header);
      add_ports(m, ip->next_header, l3 + sizeof(Ipv6Header), ip->payload_length.host());
    }
  }
  return m.finish();
}

}  // namespace overcast::net

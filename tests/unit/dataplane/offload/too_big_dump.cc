// Writes ICMP too-big replies and IPv4 fragments made by dataplane/offload/too_big
// to a file, for too_big_scapy_check.py to decode with scapy: a second, independent
// reading of the bytes. One case a line:
//   reply <mtu> <original frame hex> <reply hex>
//   frag <mtu> <original frame hex> <fragment hex>,<fragment hex>,...
#include <cstdio>
#include <string>
#include <vector>

#include "dataplane/offload/offload_frames.h"
#include "dataplane/offload/too_big.h"

namespace {

using namespace overcast::dataplane;
using namespace overcast::dataplane::testing;

std::string hex(const std::vector<uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

IpSpec spec(bool ipv6, bool vlan, uint16_t flags_fragment, uint8_t protocol = 17) {
  IpSpec s;
  s.ipv6 = ipv6;
  s.vlan = vlan;
  s.flags_fragment = flags_fragment;
  s.protocol = protocol;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_FILE\n", argv[0]);
    return 2;
  }
  FILE* out = std::fopen(argv[1], "w");
  if (!out) {
    std::perror(argv[1]);
    return 1;
  }
  struct Reply {
    IpSpec spec;
    std::vector<uint8_t> l4;
    uint32_t mtu;
  };
  const std::vector<Reply> replies = {
      {spec(false, false, 0x4000), udp_l4(pattern_payload(2000, 1)), 1450},
      {spec(false, true, 0x4000), udp_l4(pattern_payload(1500, 2)), 1400},
      {spec(false, false, 0x4000), udp_l4(pattern_payload(101, 3)), 68},  // quoted whole
      {spec(false, false, 0x4000, 1), icmp_l4(8, 1600), 1450},            // echo request
      {spec(true, false, 0), udp_l4(pattern_payload(3000, 4)), 1450},
      {spec(true, true, 0), udp_l4(pattern_payload(1301, 5)), 1280},
      {spec(true, false, 0), udp_l4(pattern_payload(77, 6)), 9000},       // quoted whole
      {spec(true, false, 0, 58), icmp_l4(128, 1600), 1450},               // echo request
  };
  for (const auto& r : replies) {
    const auto frame = ip_frame(r.spec, r.l4);
    std::vector<uint8_t> reply(4096);
    reply.resize(build_too_big_reply(frame.data(), frame.size(), r.mtu, reply.data(), reply.size()));
    std::fprintf(out, "reply %u %s %s\n", r.mtu, hex(frame).c_str(), hex(reply).c_str());
  }
  struct Frag {
    IpSpec spec;
    size_t data;
    uint32_t mtu;
  };
  const std::vector<Frag> frags = {
      {spec(false, false, 0), 5000, 1450},
      {spec(false, true, 0), 3001, 1000},
      {spec(false, false, 0), 2848, 1444},            // two full chunks
      {spec(false, false, 0x2000 | 100), 3000, 576},  // a fragment of a fragment
  };
  for (const auto& f : frags) {
    const auto frame = ip_frame(f.spec, udp_l4(pattern_payload(f.data - 8, static_cast<uint8_t>(f.mtu))));
    std::string list;
    const size_t count = ipv4_fragment_count(frame.data(), frame.size(), f.mtu);
    for (size_t i = 0; i < count; ++i) {
      std::vector<uint8_t> piece(frame.size());
      piece.resize(build_ipv4_fragment(frame.data(), frame.size(), f.mtu, i, piece.data(), piece.size()));
      list += (i ? "," : "") + hex(piece);
    }
    std::fprintf(out, "frag %u %s %s\n", f.mtu, hex(frame).c_str(), list.c_str());
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

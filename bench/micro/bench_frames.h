// Frames and tables shared by the micro benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/mac_address.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::bench {

inline MacAddress bench_mac(uint32_t i) {
  return MacAddress{{0xfa, 0x16, 0x3e, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
                     static_cast<uint8_t>(i)}};
}

// Ethernet + IPv4 + UDP, `payload` bytes, to `dst` from bench_mac(0).
inline std::vector<uint8_t> bench_udp_frame(const MacAddress& dst, uint16_t sport, size_t payload = 64) {
  std::vector<uint8_t> f(dst.bytes.begin(), dst.bytes.end());
  const MacAddress src = bench_mac(0);
  f.insert(f.end(), src.bytes.begin(), src.bytes.end());
  const uint16_t total = static_cast<uint16_t>(28 + payload);
  const uint8_t rest[] = {0x08, 0x00, 0x45, 0, static_cast<uint8_t>(total >> 8), static_cast<uint8_t>(total), 0, 0,
                          0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                          static_cast<uint8_t>(sport >> 8), static_cast<uint8_t>(sport), 0, 80,
                          static_cast<uint8_t>((8 + payload) >> 8), static_cast<uint8_t>(8 + payload), 0, 0};
  f.insert(f.end(), rest, rest + sizeof rest);
  f.resize(f.size() + payload, 0xab);
  return f;
}

// VNI 100 with `macs` remote MACs behind one VTEP, and 127.0.0.2 known.
inline std::shared_ptr<dataplane::ForwardingTable> bench_table(uint32_t macs) {
  auto t = std::make_shared<dataplane::ForwardingTable>();
  auto& s = t->segments[100];
  s.vni = 100;
  for (uint32_t i = 1; i <= macs; ++i) {
    s.macs[bench_mac(i)] = {dataplane::L2Destination::Kind::kRemoteVtep, dataplane::kNoPort, 0x7f000002};
  }
  s.vteps.insert(0x7f000002);
  t->known_vteps.insert(0x7f000002);
  return t;
}

}  // namespace overcast::bench

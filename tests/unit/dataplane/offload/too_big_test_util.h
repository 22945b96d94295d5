// Shared by the too_big tests: frame specs, and the reply and fragment builders run
// with guards (nothing written past the room they are given).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "dataplane/offload/offload_frames.h"
#include "dataplane/offload/too_big.h"

namespace overcast::dataplane::testing {

inline constexpr uint16_t kDf = 0x4000, kMf = 0x2000;

inline TooBigAction action(const std::vector<uint8_t>& f) { return too_big_action(f.data(), f.size()); }

inline IpSpec v4(uint16_t flags_fragment = kDf) {
  IpSpec s;
  s.flags_fragment = flags_fragment;
  return s;
}
inline IpSpec v6() {
  IpSpec s;
  s.ipv6 = true;
  return s;
}

inline std::vector<uint8_t> reply(const std::vector<uint8_t>& f, uint32_t mtu, size_t room = 4096) {
  std::vector<uint8_t> out(room + 16, 0xee);
  const size_t n = build_too_big_reply(f.data(), f.size(), mtu, out.data(), room);
  EXPECT_TRUE(std::all_of(out.begin() + static_cast<long>(room), out.end(), [](uint8_t b) { return b == 0xee; }))
      << "wrote past room";
  out.resize(n);
  return out;
}

inline std::vector<std::vector<uint8_t>> fragments(const std::vector<uint8_t>& f, uint32_t mtu) {
  const size_t count = ipv4_fragment_count(f.data(), f.size(), mtu);
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < count; ++i) {
    std::vector<uint8_t> buffer(f.size() + 64);
    const size_t n = build_ipv4_fragment(f.data(), f.size(), mtu, i, buffer.data(), buffer.size());
    EXPECT_GT(n, 0u) << "fragment " << i;
    buffer.resize(n);
    out.push_back(buffer);
  }
  return out;
}

// ceil(data / largest multiple of 8 that fits after the header), the count RFC 791 gives.
inline size_t expected_count(size_t data, uint32_t mtu) {
  const size_t chunk = (mtu - 20) / 8 * 8;
  return (data + chunk - 1) / chunk;
}

}  // namespace overcast::dataplane::testing

// MAC addresses: a 6-byte value type with text conversion ("fa:16:3e:00:00:01").
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace overcast {

struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  static MacAddress from_bytes(const uint8_t* p) {
    MacAddress m;
    std::memcpy(m.bytes.data(), p, 6);
    return m;
  }
  // Accepts "aa:bb:cc:dd:ee:ff" (also '-' separated, any case); nullopt otherwise.
  static std::optional<MacAddress> parse(std::string_view text);
  static MacAddress broadcast() { return MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }

  std::string to_string() const;
  bool is_multicast() const { return bytes[0] & 0x01; }  // includes broadcast
  bool is_broadcast() const { return *this == broadcast(); }
  bool is_zero() const { return *this == MacAddress{}; }
  // Packs the six bytes into the low 48 bits: a cheap hash/map key.
  uint64_t to_u64() const {
    uint64_t v = 0;
    for (uint8_t b : bytes) v = (v << 8) | b;
    return v;
  }
  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace overcast

template <>
struct std::hash<overcast::MacAddress> {
  size_t operator()(const overcast::MacAddress& m) const noexcept {
    return std::hash<uint64_t>{}(m.to_u64());
  }
};

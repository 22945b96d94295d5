// Network-order integers for wire structs. They hold bytes, not integers, so a
// forgotten conversion does not compile (BESS's be16_t/be32_t habit) and their
// alignment is 1, so wire structs need no `packed` attribute.
#pragma once

#include <cstdint>

namespace overcast::net {

class be16 {
 public:
  be16() = default;
  static constexpr be16 from_host(uint16_t v) {
    be16 r;
    r.bytes_[0] = static_cast<uint8_t>(v >> 8);
    r.bytes_[1] = static_cast<uint8_t>(v);
    return r;
  }
  constexpr uint16_t host() const { return static_cast<uint16_t>((bytes_[0] << 8) | bytes_[1]); }
  constexpr bool operator==(const be16&) const = default;

 private:
  uint8_t bytes_[2];
};

class be32 {
 public:
  be32() = default;
  static constexpr be32 from_host(uint32_t v) {
    be32 r;
    r.bytes_[0] = static_cast<uint8_t>(v >> 24);
    r.bytes_[1] = static_cast<uint8_t>(v >> 16);
    r.bytes_[2] = static_cast<uint8_t>(v >> 8);
    r.bytes_[3] = static_cast<uint8_t>(v);
    return r;
  }
  constexpr uint32_t host() const {
    return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) | (uint32_t{bytes_[2]} << 8) | bytes_[3];
  }
  constexpr bool operator==(const be32&) const = default;

 private:
  uint8_t bytes_[4];
};

static_assert(sizeof(be16) == 2 && alignof(be16) == 1);
static_assert(sizeof(be32) == 4 && alignof(be32) == 1);

// Views `data` as a wire header. Wire structs are byte arrays with alignment 1 and
// are declared may_alias, so this is how OVS's packets.h reads headers in place.
template <class Header>
inline const Header* header_at(const uint8_t* data) {
  return reinterpret_cast<const Header*>(data);
}
template <class Header>
inline Header* header_at(uint8_t* data) {
  return reinterpret_cast<Header*>(data);
}

}  // namespace overcast::net

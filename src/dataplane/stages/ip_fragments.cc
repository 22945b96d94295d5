#include "dataplane/stages/ip_fragments.h"

#include <algorithm>
#include <cstring>

namespace overcast::dataplane {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr size_t kIpv6Header = 40;
constexpr size_t kIpv6FragmentHeader = 8;
constexpr uint8_t kIpv6Fragment = 44;
constexpr size_t kL4Bytes = 64;  // more than any L4 header the tracker reads
constexpr uint8_t kUdp = 17;

uint16_t read16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
void write16(uint8_t* p, size_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// A UDP header's length is the whole datagram's: make it what the copy holds, as the
// tracker checks it against the bytes it has.
void fit_udp_length(uint8_t protocol, uint8_t* l4, size_t l4_length) {
  if (protocol == kUdp && l4_length >= 8) write16(l4 + 4, l4_length);
}

FragmentKind classify_v4(const uint8_t* l3, size_t length, uint8_t* scratch, size_t& scratch_length) {
  if (length < 20) return FragmentKind::kWhole;  // the parser says what is wrong with it
  const size_t ihl = static_cast<size_t>(l3[0] & 0x0f) * 4;
  const uint16_t flags_fragment = read16(l3 + 6);
  const uint16_t offset = flags_fragment & 0x1fff;
  const bool more = flags_fragment & 0x2000;
  if (offset == 0 && !more) return FragmentKind::kWhole;
  if (offset == 1) return FragmentKind::kRefused;
  if (offset != 0) return FragmentKind::kLater;
  if (ihl < 20 || ihl > length) return FragmentKind::kWhole;  // malformed: the parser counts it
  const size_t copied = std::min(length, ihl + kL4Bytes);
  std::memcpy(scratch, l3, copied);
  write16(scratch + 2, copied);                            // total length: what is here
  write16(scratch + 6, flags_fragment & 0x4000);           // keep DF, no MF, offset 0
  fit_udp_length(l3[9], scratch + ihl, copied - ihl);
  scratch_length = copied;
  return FragmentKind::kFirst;
}

FragmentKind classify_v6(const uint8_t* l3, size_t length, uint8_t* scratch, size_t& scratch_length) {
  if (length < kIpv6Header || l3[6] != kIpv6Fragment) return FragmentKind::kWhole;  // other headers: the parser
  if (length < kIpv6Header + kIpv6FragmentHeader) return FragmentKind::kWhole;     // truncated: the parser
  const uint8_t* fragment = l3 + kIpv6Header;
  const uint16_t offset_flags = read16(fragment + 2);
  const bool more = offset_flags & 1;
  const uint16_t offset = offset_flags >> 3;
  if (offset == 0 && !more) return FragmentKind::kWhole;  // atomic fragment: the parser reads it
  if (offset != 0) return FragmentKind::kLater;
  if (fragment[0] == kIpv6Fragment) return FragmentKind::kRefused;
  const size_t l4 = std::min(length - kIpv6Header - kIpv6FragmentHeader, kL4Bytes);
  std::memcpy(scratch, l3, kIpv6Header);
  scratch[6] = fragment[0];  // the header after the fragment header
  write16(scratch + 4, l4);
  std::memcpy(scratch + kIpv6Header, fragment + kIpv6FragmentHeader, l4);
  fit_udp_length(fragment[0], scratch + kIpv6Header, l4);
  scratch_length = kIpv6Header + l4;
  return FragmentKind::kFirst;
}

}  // namespace

FragmentKind classify_fragment(const uint8_t* l3, size_t length, uint16_t ethertype,
                               uint8_t (&scratch)[kFirstFragmentScratch], size_t& scratch_length) {
  static_assert(60 + kL4Bytes <= kFirstFragmentScratch && kIpv6Header + kL4Bytes <= kFirstFragmentScratch);
  return ethertype == kEtherIpv4 ? classify_v4(l3, length, scratch, scratch_length)
                                 : classify_v6(l3, length, scratch, scratch_length);
}

}  // namespace overcast::dataplane

// What the security-group stage needs to know of IP fragments, which the tracker does not
// reassemble (conntrack/README.md): a later fragment carries no ports to judge, the first
// carries the L4 header that the whole datagram will be judged by.
//
// The stage judges the first fragment by its headers, as if it were the whole datagram,
// and lets later fragments through: without an allowed first fragment the receiver never
// reassembles them (RFC 1858, section 3). IPv4 fragments at offset 1 (8 bytes), which could
// rewrite a TCP header the first fragment showed, are refused (RFC 1858, section 3.2), as are
// IPv6 fragments behind other extension headers (the tracker could not read them either).
#pragma once

#include <cstddef>
#include <cstdint>

namespace overcast::dataplane {

enum class FragmentKind : uint8_t { kWhole, kFirst, kLater, kRefused };

// Room classify_fragment() needs for the headers of a first fragment.
inline constexpr size_t kFirstFragmentScratch = 128;

// `l3` at the IPv4/IPv6 header (`ethertype` says which), `length` bytes held. For kFirst,
// `scratch` holds the IP header without fragmentation (and a total length covering what was
// copied) followed by the start of the L4 header: what parse_ct_packet() reads instead.
FragmentKind classify_fragment(const uint8_t* l3, size_t length, uint16_t ethertype,
                               uint8_t (&scratch)[kFirstFragmentScratch], size_t& scratch_length);

}  // namespace overcast::dataplane

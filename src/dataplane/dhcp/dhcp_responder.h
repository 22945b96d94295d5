// DhcpResponder: what a pipeline stage does with a VM's DHCP request, given the leases
// the view holds for this host's ports (keyed by the port's MAC, the frame's source,
// which port security has already checked).
//   not DHCP, or the port's subnet has enable_dhcp false  -> kPass (forward as usual)
//   from a MAC with no lease                              -> kDrop, "unknown_mac"
//   malformed                                             -> kDrop, by ParseError name
//   RFC 2131 says stay silent (DECLINE, RELEASE, REQUEST for another server)
//                                                         -> kDrop, "silent"
//   otherwise                                             -> kReply, the reply frame in `out`
//
// The table is an immutable snapshot (publish it with the forwarding table); respond()
// only reads it. Counters: requests, replies, unknown_mac, silent, no_room, plus one per
// ParseError (kParseErrorNames).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "dataplane/core/counters.h"
#include "dataplane/dhcp/dhcp_codec.h"

namespace overcast::dataplane::dhcp {

struct PortLease {
  bool enabled = true;  // the subnet's enable_dhcp
  Lease lease;
  Server server;
};

using LeaseTable = std::unordered_map<uint64_t, PortLease>;  // key: MacAddress::to_u64()

class DhcpResponder {
 public:
  enum class Outcome : uint8_t { kPass, kReply, kDrop };
  enum Count : size_t { kRequests, kReplies, kUnknownMac, kSilent, kNoRoom, kParseErrorBase };

  Outcome respond(const LeaseTable& leases, const uint8_t* frame, size_t length, uint8_t* out, size_t capacity,
                  size_t& out_length);

  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"requests", "replies", "unknown_mac", "silent", "no_room",
                       "ok", "truncated", "not_request", "bad_hardware", "bad_magic", "bad_option",
                       "no_message_type", "server_message", "not_dhcp"};
};

}  // namespace overcast::dataplane::dhcp

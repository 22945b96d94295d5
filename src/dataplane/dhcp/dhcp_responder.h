// DhcpResponder: what a pipeline stage does with a VM's DHCP request, given the leases
// the view holds for this host's ports (keyed by the port's MAC). The lease answered is
// the asking port's own, found by the port's MAC (not by whatever the frame claims), and
// only a request whose Ethernet source and chaddr are both that MAC gets it: port security
// checks the source MAC of the ports that have it; for a port without, this keeps its VM
// from taking another port's lease by sending from that port's MAC or in its name.
//   not DHCP, or the port's subnet has enable_dhcp false  -> kPass (forward as usual)
//   from a port with no lease                             -> kDrop, "unknown_mac"
//   source MAC or chaddr not the port's MAC               -> kDrop, "not_port_mac"
//   malformed                                             -> kDrop, by ParseError name
//   RFC 2131 says stay silent (DECLINE, RELEASE, REQUEST for another server)
//                                                         -> kDrop, "silent"
//   otherwise                                             -> kReply, the reply frame in `out`
//
// The table is an immutable snapshot (publish it with the forwarding table); respond()
// only reads it. Counters: requests, replies, unknown_mac, silent, no_room, not_port_mac,
// plus one per ParseError (kParseErrorNames).
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
  enum Count : size_t { kRequests, kReplies, kUnknownMac, kSilent, kNoRoom, kNotPortMac, kParseErrorBase };

  // `port_mac`: the MAC of the port the frame came in on.
  Outcome respond(const LeaseTable& leases, const MacAddress& port_mac, const uint8_t* frame, size_t length,
                  uint8_t* out, size_t capacity, size_t& out_length);

  const CounterSet& counters() const { return counters_; }

 private:
  CounterSet counters_{"requests", "replies", "unknown_mac", "silent", "no_room", "not_port_mac",
                       "ok", "truncated", "not_request", "bad_hardware", "bad_magic", "bad_option",
                       "no_message_type", "server_message", "not_dhcp"};
};

}  // namespace overcast::dataplane::dhcp

// StatefulFirewall: security groups on top of the connection tracker, per packet of a
// VM port (one zone per port):
//   ESTABLISHED / RELATED   -> pass (return traffic needs no rule)
//   INVALID                 -> drop (counted "invalid")
//   NEW                     -> the port's CompiledPolicy decides; if allowed the
//                              connection is committed (drop "no_room" if the tracker
//                              or the zone is full), else drop "denied"
// The committed connection's mark remembers the direction and port key, so when a rule
// goes away end_disallowed() can ask the new policy about every connection of the zone
// and end those it no longer allows (what Neutron's firewall drivers do).
//
// Counters: established, related, allowed, denied, invalid, no_room.
#pragma once

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/core/counters.h"
#include "dataplane/firewall/compiled_policy.h"

namespace overcast::dataplane::firewall {

enum class Verdict : uint8_t { kPass, kDrop };

// The query a connection-opening packet puts to the policy.
FirewallQuery query_of(const conntrack::CtPacket& packet, Direction direction);

class StatefulFirewall {
 public:
  enum Count : size_t { kEstablished, kRelated, kAllowed, kDenied, kInvalid, kNoRoom };

  Verdict filter(conntrack::ConnTracker& tracker, const CompiledPolicy& policy, const RemoteGroupMembers& members,
                 const conntrack::CtPacket& packet, Direction direction, uint64_t now_ms);

  // filter() for a packet still in bytes (`l3` at its IP header): a packet the tracker
  // cannot parse is dropped and counted by reason (malformed_counters(), named as
  // conntrack::kParseResultNames).
  Verdict filter_l3(conntrack::ConnTracker& tracker, const CompiledPolicy& policy, const RemoteGroupMembers& members,
                    const uint8_t* l3, size_t length, uint16_t ethertype, conntrack::Zone zone, Direction direction,
                    uint64_t now_ms);

  // True if the firewall committed `c` and `policy` would not allow it now.
  static bool disallows(const conntrack::Connection& c, const CompiledPolicy& policy,
                        const RemoteGroupMembers& members);
  // For callers that parse first (parse_ct_packet) and filter() after.
  void count_malformed(conntrack::ParseResult r) { malformed_.add(static_cast<size_t>(r), 1); }

  // Ends the zone's firewall-committed connections that `policy` no longer allows.
  static size_t end_disallowed(conntrack::ConnTracker& tracker, conntrack::Zone zone, const CompiledPolicy& policy,
                               const RemoteGroupMembers& members);

  const CounterSet& counters() const { return counters_; }
  const CounterSet& malformed_counters() const { return malformed_; }

 private:
  CounterSet counters_{"established", "related", "allowed", "denied", "invalid", "no_room"};
  CounterSet malformed_{"ok", "truncated", "bad_header", "fragment", "bad_icmp_error"};
};

}  // namespace overcast::dataplane::firewall

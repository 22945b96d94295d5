// SnatTranslator: source NAT of a router's outbound connections to its external
// address, built from the tracker (state and binding), the port allocator and the
// rewrite helpers.
//   commit(packet, external_ip)  a NEW outbound connection gets its own port (or echo
//                                id) and is committed with the translated reply key
//   translate(l3, result)        rewrites a tracked packet: outbound to external:port,
//                                replies and RELATED ICMP errors back to the inside
// Ports return to the allocator when the tracker ends the connection (expiry, RST
// timeout, end_if): the translator owns the tracker's on_end callback.
//
// Both directions are tracked in one zone (one per router's gateway), so the outside's
// replies find the connection by the translated reply key. Counters: committed,
// exhausted, no_room, translated, rewrite_failed.
#pragma once

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/core/counters.h"
#include "dataplane/nat/nat_rewrite.h"
#include "dataplane/nat/snat_port_allocator.h"

namespace overcast::dataplane::nat {

class SnatTranslator {
 public:
  enum Count : size_t { kCommitted, kExhausted, kNoRoom, kTranslated, kRewriteFailed };

  SnatTranslator(conntrack::ConnTracker& tracker, SnatPortAllocator& ports);

  // For a packet the tracker called NEW (IPv4 only). INVALID when no port is free
  // (counted "exhausted") or the tracker has no room ("no_room"; the port goes back).
  conntrack::TrackResult commit(const conntrack::CtPacket& packet, uint32_t external_ip, uint64_t now_ms,
                                uint32_t mark = 0);

  // Rewrites the packet at `l3` as its connection's binding says (`result` from
  // process()/commit() of this packet).
  RewriteResult translate(uint8_t* l3, size_t length, const conntrack::CtPacket& packet,
                          const conntrack::TrackResult& result);

  const CounterSet& counters() const { return counters_; }

 private:
  conntrack::ConnTracker& tracker_;
  SnatPortAllocator& ports_;
  CounterSet counters_{"committed", "exhausted", "no_room", "translated", "rewrite_failed"};
};

}  // namespace overcast::dataplane::nat

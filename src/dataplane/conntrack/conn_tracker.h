// ConnTracker: a userspace connection tracker (what OVS's lib/conntrack.c does).
//
//   process(packet, now) -> NEW / ESTABLISHED / RELATED / INVALID, and the connection
//   commit(packet, now)  -> remembers a NEW packet's connection (the firewall said yes)
//   expire(now, budget)  -> ends connections whose state timed out, oldest first
//   end_if(predicate)    -> ends connections a removed rule had allowed
//
// Threading: one tracker per worker, single writer, no locks. The integration gives
// each zone (VM port) to the worker that polls that port and hands it the port's
// other-direction batches (core/batch_queue.h), so both directions meet here.
//
// Memory: `capacity` connections and the hash index are allocated up front; tracking
// a packet (new or existing connection) never allocates.
//
// Expiry: connections sit in one list per timeout class (a TCP state, UDP first/
// multiple, ICMP, other), sorted by the time they were queued plus the class timeout.
// A packet only moves its connection's expiry time (a state change moves it to its new
// class's tail); expire() looks at heads only: an entry past its time ends, a refreshed
// one goes back to the tail. O(expired + refreshed), never a scan; process() treats an
// entry past its time as gone whether or not expire() has run.
//
// Counters (counters()): new, established, related, invalid, committed, table_full,
// zone_limit, expired, ended, reopened.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "dataplane/conntrack/conn_key.h"
#include "dataplane/conntrack/conn_packet.h"
#include "dataplane/conntrack/tcp_state.h"
#include "dataplane/core/counters.h"

namespace overcast::dataplane::conntrack {

enum class CtState : uint8_t { kNew, kEstablished, kRelated, kInvalid };

using ConnId = uint32_t;
inline constexpr ConnId kNoConn = UINT32_MAX;

// What NAT translated for this connection (nat/ fills it; the tracker only carries it
// and hands it back, e.g. to release an SNAT port on expiry).
struct NatBinding {
  enum class Kind : uint8_t { kNone, kSnat, kDnat };
  Kind kind = Kind::kNone;
  uint8_t protocol = 0;
  IpBytes original_addr{};  // before translation
  IpBytes translated_addr{};
  uint16_t original_port = 0;
  uint16_t translated_port = 0;
};

struct Connection {
  ConnKey orig;   // as the first packet was seen
  ConnKey reply;  // what a reply looks like (orig reversed, or translated by NAT)
  uint64_t expires_ms = 0;
  uint64_t queued_expiry_ms = 0;  // its place in the expiry list (<= expires_ms until expire() looks)
  NatBinding nat;
  uint32_t mark = 0;  // the committer's own tag (the firewall records the direction)
  ConnId prev = kNoConn, next = kNoConn;  // expiry list
  TcpState tcp = TcpState::kNone;
  TimeoutClass timeout_class = TimeoutClass::kOther;
  uint8_t fin_seen = 0;  // bit 1: originator sent FIN, bit 2: replier did
  bool seen_reply = false;
  bool in_use = false;
};

struct TrackResult {
  CtState state = CtState::kInvalid;
  ConnId conn = kNoConn;  // set for ESTABLISHED/RELATED, and for NEW once committed
  bool is_reply = false;  // the packet went in the reply direction
};

class ConnTracker {
 public:
  enum Count : size_t {
    kNew, kEstablished, kRelated, kInvalid, kCommitted, kTableFull, kZoneLimit, kExpired, kEnded, kReopened,
  };

  struct Config {
    uint32_t capacity = 65536;
    uint32_t zone_limit = 0;  // per zone; 0 means the whole capacity
    Timeouts timeouts;
  };

  explicit ConnTracker(const Config& config);

  // Looks the packet's connection up and moves its state on. A packet that may open a
  // connection answers NEW without remembering anything (see commit()).
  TrackResult process(const CtPacket& packet, uint64_t now_ms);
  // process() for a batch, prefetching index slots and connections ahead: the same
  // results, packet by packet in order, with the cache misses of a large table overlapped.
  void process_burst(const CtPacket* packets, size_t n, uint64_t now_ms, TrackResult* results);

  // Remembers the connection a NEW packet opens. `reply` overrides the expected reply
  // key (NAT: replies come back to the translated address); `nat` and `mark` are
  // stored with it. INVALID (and counted) when the table or the zone is full.
  TrackResult commit(const CtPacket& packet, uint64_t now_ms, const ConnKey* reply = nullptr,
                     const NatBinding* nat = nullptr, uint32_t mark = 0);

  // Looks at up to `budget` list heads: ends those past their time, re-queues those
  // refreshed since. Returns how many ended.
  size_t expire(uint64_t now_ms, size_t budget);
  // Ends every connection the predicate selects (control work: walks the whole table).
  size_t end_if(const std::function<bool(const Connection&)>& predicate);

  // Per-zone cap on connections (a SYN flood in one zone cannot fill the table).
  void set_zone_limit(Zone zone, uint32_t limit) { zone_limit_[zone] = limit; }
  uint32_t zone_count(Zone zone) const { return zone_count_[zone]; }

  // Called for each connection as it ends (expiry, end_if, reopen): NAT releases ports.
  void set_on_end(std::function<void(const Connection&)> on_end) { on_end_ = std::move(on_end); }

  const Connection& connection(ConnId id) const { return connections_[id]; }
  size_t size() const { return size_; }
  uint32_t capacity() const { return capacity_; }
  const CounterSet& counters() const { return counters_; }

 private:
  struct Slot {
    uint32_t tag = 0;        // high hash bits, to skip most key compares
    uint32_t ref = kEmpty;   // conn id * 2 + direction (0 orig, 1 reply)
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;

  TrackResult process_icmp_error(const CtPacket& packet, uint64_t now_ms);
  TrackResult process_hashed(const CtPacket& packet, uint64_t hash, uint64_t now_ms);
  uint32_t find(const ConnKey& key, uint64_t hash) const;
  // find(), ending (and hiding) an entry past its time.
  uint32_t live_ref(const ConnKey& key, uint64_t now_ms);
  void index_insert(const ConnKey& key, uint32_t ref);
  void index_erase(const ConnKey& key, uint32_t ref);
  void list_push_tail(ConnId id);
  void list_unlink(ConnId id);
  void refresh(ConnId id, TimeoutClass cls, uint64_t now_ms);
  void end(ConnId id, Count reason);
  TrackResult update_existing(ConnId id, bool is_reply, const CtPacket& packet, uint64_t now_ms);

  uint32_t capacity_;
  Timeouts timeouts_;
  std::vector<Connection> connections_;
  std::vector<ConnId> free_;
  std::vector<Slot> slots_;
  uint64_t slot_mask_;
  std::array<ConnId, static_cast<size_t>(TimeoutClass::kCount)> list_head_;
  std::array<ConnId, static_cast<size_t>(TimeoutClass::kCount)> list_tail_;
  std::vector<uint32_t> zone_count_;
  std::vector<uint32_t> zone_limit_;
  size_t size_ = 0;
  std::function<void(const Connection&)> on_end_;
  CounterSet counters_{"new", "established", "related", "invalid", "committed", "table_full",
                       "zone_limit", "expired", "ended", "reopened"};
};

}  // namespace overcast::dataplane::conntrack

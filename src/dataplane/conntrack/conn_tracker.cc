#include "dataplane/conntrack/conn_tracker.h"

#include <algorithm>
#include <bit>

namespace overcast::dataplane::conntrack {
namespace {

size_t cls_index(TimeoutClass c) { return static_cast<size_t>(c); }

TimeoutClass first_class(const CtPacket& p) {
  if (p.key.protocol == 6 && p.kind == PacketKind::kPorts) return TimeoutClass::kTcpSynSent;
  if (p.kind == PacketKind::kIcmpEchoRequest) return TimeoutClass::kIcmp;
  if (p.kind == PacketKind::kPorts) return TimeoutClass::kUdpFirst;
  return TimeoutClass::kOther;
}

}  // namespace

ConnTracker::ConnTracker(const Config& config)
    : capacity_(config.capacity ? config.capacity : 1),
      timeouts_(config.timeouts),
      connections_(capacity_),
      zone_count_(65536, 0),
      zone_limit_(65536, config.zone_limit ? config.zone_limit : capacity_) {
  free_.reserve(capacity_);
  for (uint32_t i = capacity_; i-- > 0;) free_.push_back(i);
  // Two keys per connection; at most half the slots used keeps linear probes short.
  const uint64_t slots = std::bit_ceil(uint64_t{capacity_} * 4);
  slots_.resize(slots);
  slot_mask_ = slots - 1;
  list_head_.fill(kNoConn);
  list_tail_.fill(kNoConn);
}

uint32_t ConnTracker::find(const ConnKey& key, uint64_t hash) const {
  const uint32_t tag = static_cast<uint32_t>(hash >> 32);
  for (uint64_t i = hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const Slot& s = slots_[i];
    if (s.ref == kEmpty) return kEmpty;
    if (s.tag == tag) {
      const Connection& c = connections_[s.ref >> 1];
      if ((s.ref & 1 ? c.reply : c.orig) == key) return s.ref;
    }
  }
}

void ConnTracker::index_insert(const ConnKey& key, uint32_t ref) {
  const uint64_t hash = hash_key(key);
  uint64_t i = hash & slot_mask_;
  while (slots_[i].ref != kEmpty) i = (i + 1) & slot_mask_;
  slots_[i] = {static_cast<uint32_t>(hash >> 32), ref};
}

// Linear probing with backward-shift deletion: no tombstones, so probes stay short
// however many connections come and go.
void ConnTracker::index_erase(const ConnKey& key, uint32_t ref) {
  uint64_t i = hash_key(key) & slot_mask_;
  while (slots_[i].ref != ref) {
    if (slots_[i].ref == kEmpty) return;
    i = (i + 1) & slot_mask_;
  }
  for (uint64_t j = (i + 1) & slot_mask_;; j = (j + 1) & slot_mask_) {
    if (slots_[j].ref == kEmpty) break;
    const Connection& c = connections_[slots_[j].ref >> 1];
    const uint64_t home = hash_key(slots_[j].ref & 1 ? c.reply : c.orig) & slot_mask_;
    // Move j back to i unless its home lies cyclically in (i, j].
    const bool home_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!home_between) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
}

void ConnTracker::list_push_tail(ConnId id) {
  Connection& c = connections_[id];
  const size_t l = cls_index(c.timeout_class);
  c.prev = list_tail_[l];
  c.next = kNoConn;
  if (list_tail_[l] != kNoConn) connections_[list_tail_[l]].next = id;
  else list_head_[l] = id;
  list_tail_[l] = id;
}

void ConnTracker::list_unlink(ConnId id) {
  Connection& c = connections_[id];
  const size_t l = cls_index(c.timeout_class);
  if (c.prev != kNoConn) connections_[c.prev].next = c.next;
  else list_head_[l] = c.next;
  if (c.next != kNoConn) connections_[c.next].prev = c.prev;
  else list_tail_[l] = c.prev;
  c.prev = c.next = kNoConn;
}

void ConnTracker::refresh(ConnId id, TimeoutClass cls, uint64_t now_ms) {
  Connection& c = connections_[id];
  c.expires_ms = now_ms + timeouts_.of(cls);
  // Same class: only the time changes. Moving the entry to the list's tail here would
  // touch two unrelated connections (its neighbours) per packet, cache misses in a
  // large table; expire() moves it when it reaches the head instead.
  if (cls == c.timeout_class) return;
  list_unlink(id);
  c.timeout_class = cls;
  c.queued_expiry_ms = c.expires_ms;
  list_push_tail(id);
}

void ConnTracker::end(ConnId id, Count reason) {
  Connection& c = connections_[id];
  if (on_end_) on_end_(c);
  list_unlink(id);
  index_erase(c.orig, id * 2);
  index_erase(c.reply, id * 2 + 1);
  --zone_count_[c.orig.zone];
  c = Connection{};
  free_.push_back(id);
  --size_;
  counters_.add(reason, 1);
}

uint32_t ConnTracker::live_ref(const ConnKey& key, uint64_t now_ms) {
  const uint32_t ref = find(key, hash_key(key));
  if (ref == kEmpty || connections_[ref >> 1].expires_ms > now_ms) return ref;
  end(ref >> 1, kExpired);
  return kEmpty;
}

TrackResult ConnTracker::process(const CtPacket& p, uint64_t now_ms) {
  return process_hashed(p, hash_key(p.key), now_ms);
}

void ConnTracker::process_burst(const CtPacket* packets, size_t n, uint64_t now_ms, TrackResult* results) {
  // In a large table every packet costs a miss on its index slot and another on its
  // connection. Prefetching a chunk's slots, then its connections, overlaps those misses
  // (what VPP's graph nodes do with their vectors).
  constexpr size_t kChunk = 32;
  uint64_t hashes[kChunk];
  for (size_t base = 0; base < n; base += kChunk) {
    const size_t m = std::min(kChunk, n - base);
    for (size_t i = 0; i < m; ++i) {
      hashes[i] = hash_key(packets[base + i].key);
      __builtin_prefetch(&slots_[hashes[i] & slot_mask_]);
    }
    for (size_t i = 0; i < m; ++i) {
      const Slot& s = slots_[hashes[i] & slot_mask_];
      if (s.ref != kEmpty) __builtin_prefetch(&connections_[s.ref >> 1]);
    }
    for (size_t i = 0; i < m; ++i) results[base + i] = process_hashed(packets[base + i], hashes[i], now_ms);
  }
}

TrackResult ConnTracker::process_hashed(const CtPacket& p, uint64_t hash, uint64_t now_ms) {
  if (p.kind == PacketKind::kIcmpError) return process_icmp_error(p, now_ms);
  const uint32_t ref = find(p.key, hash);
  ConnId id = ref == kEmpty ? kNoConn : ref >> 1;
  if (id != kNoConn && connections_[id].expires_ms <= now_ms) {
    end(id, kExpired);  // lazy expiry: never trust an entry past its time
    id = kNoConn;
  }

  if (id != kNoConn) return update_existing(id, ref & 1, p, now_ms);

  // No connection: only a packet that can open one is NEW.
  const bool opens = p.key.protocol == 6 && p.kind == PacketKind::kPorts ? tcp_opens(p.tcp_flags)
                                                                          : p.kind != PacketKind::kIcmpEchoReply;
  counters_.add(opens ? kNew : kInvalid, 1);
  return opens ? TrackResult{CtState::kNew, kNoConn, false} : TrackResult{};
}

// The quoted packet went the other way from the error. Its key reversed is the key of
// the error's own direction, as with any packet, and stays right when NAT has translated
// the quoted packet: quoted (external:port -> server) reversed is the SNAT reply key.
// An error about an untranslated packet may also match the quoted key directly.
TrackResult ConnTracker::process_icmp_error(const CtPacket& p, uint64_t now_ms) {
  const ConnKey reversed = p.key.reversed();
  uint32_t ref = find(reversed, hash_key(reversed));
  bool flip = false;
  if (ref == kEmpty) {
    ref = find(p.key, hash_key(p.key));
    flip = true;
  }
  if (ref == kEmpty || connections_[ref >> 1].expires_ms <= now_ms) {
    counters_.add(kInvalid, 1);
    return {};
  }
  counters_.add(kRelated, 1);
  return {CtState::kRelated, ref >> 1, ((ref & 1) != 0) != flip};
}

TrackResult ConnTracker::update_existing(ConnId id, bool is_reply, const CtPacket& p, uint64_t now_ms) {
  Connection& c = connections_[id];
  if (c.tcp != TcpState::kNone) {
    // A new SYN on a closed tuple reuses it: the old connection ends, the new one is NEW.
    if (!is_reply && tcp_opens(p.tcp_flags) && (c.tcp == TcpState::kTimeWait || c.tcp == TcpState::kClosed)) {
      end(id, kReopened);
      counters_.add(kNew, 1);
      return {CtState::kNew, kNoConn, false};
    }
    const TcpStep step = tcp_step(c.tcp, is_reply, p.tcp_flags, c.fin_seen);
    if (!step.valid) {
      counters_.add(kInvalid, 1);
      return {CtState::kInvalid, id, is_reply};
    }
    c.tcp = step.next;
    if (is_reply) c.seen_reply = true;
    refresh(id, timeout_class_of(c.tcp), now_ms);
  } else {
    // Requests go one way, replies the other.
    if ((is_reply && p.kind == PacketKind::kIcmpEchoRequest) || (!is_reply && p.kind == PacketKind::kIcmpEchoReply)) {
      counters_.add(kInvalid, 1);
      return {CtState::kInvalid, id, is_reply};
    }
    if (is_reply) c.seen_reply = true;
    TimeoutClass cls = c.timeout_class;
    if (cls == TimeoutClass::kUdpFirst && c.seen_reply) cls = TimeoutClass::kUdpMultiple;
    refresh(id, cls, now_ms);
  }
  // As Linux and OVS do: the originator's packets stay NEW until the other side answers.
  const CtState state = c.seen_reply ? CtState::kEstablished : CtState::kNew;
  counters_.add(state == CtState::kEstablished ? kEstablished : kNew, 1);
  return {state, id, is_reply};
}

TrackResult ConnTracker::commit(const CtPacket& p, uint64_t now_ms, const ConnKey* reply, const NatBinding* nat,
                                uint32_t mark) {
  if (p.kind == PacketKind::kIcmpError || p.kind == PacketKind::kIcmpEchoReply) return {};
  if (p.key.protocol == 6 && p.kind == PacketKind::kPorts && !tcp_opens(p.tcp_flags)) return {};
  const uint32_t existing = live_ref(p.key, now_ms);
  if (existing != kEmpty) return {CtState::kNew, existing >> 1, (existing & 1) != 0};
  const ConnKey reply_key = reply ? *reply : p.key.reversed();
  if (live_ref(reply_key, now_ms) != kEmpty) return {};  // another connection owns that reply

  const Zone zone = p.key.zone;
  // Reclaim the dead before refusing the living.
  if (free_.empty() || zone_count_[zone] >= zone_limit_[zone]) expire(now_ms, 16);
  if (free_.empty()) {
    counters_.add(kTableFull, 1);
    return {};
  }
  if (zone_count_[zone] >= zone_limit_[zone]) {
    counters_.add(kZoneLimit, 1);
    return {};
  }
  const ConnId id = free_.back();
  free_.pop_back();
  Connection& c = connections_[id];
  c = Connection{};
  c.orig = p.key;
  c.reply = reply_key;
  c.in_use = true;
  c.mark = mark;
  if (nat) c.nat = *nat;
  c.tcp = p.key.protocol == 6 && p.kind == PacketKind::kPorts ? TcpState::kSynSent : TcpState::kNone;
  c.timeout_class = first_class(p);
  c.expires_ms = now_ms + timeouts_.of(c.timeout_class);
  c.queued_expiry_ms = c.expires_ms;
  list_push_tail(id);
  index_insert(c.orig, id * 2);
  index_insert(c.reply, id * 2 + 1);
  ++zone_count_[zone];
  ++size_;
  counters_.add(kCommitted, 1);
  return {CtState::kNew, id, false};
}

size_t ConnTracker::expire(uint64_t now_ms, size_t budget) {
  size_t ended = 0, work = 0;
  for (size_t l = 0; l < list_head_.size(); ++l) {
    while (work < budget && list_head_[l] != kNoConn && connections_[list_head_[l]].queued_expiry_ms <= now_ms) {
      const ConnId id = list_head_[l];
      ++work;
      if (connections_[id].expires_ms <= now_ms) {
        end(id, kExpired);
        ++ended;
        continue;
      }
      // Refreshed since it was queued: back to the tail. Its queue time may not go
      // below the tail's (the list stays sorted), so it may be reclaimed up to one
      // timeout late; process() never trusts an entry past expires_ms regardless.
      Connection& c = connections_[id];
      list_unlink(id);
      const ConnId tail = list_tail_[l];
      c.queued_expiry_ms = tail == kNoConn ? c.expires_ms : std::max(c.expires_ms, connections_[tail].queued_expiry_ms);
      list_push_tail(id);
    }
  }
  return ended;
}

size_t ConnTracker::end_if(const std::function<bool(const Connection&)>& predicate) {
  size_t ended = 0;
  for (ConnId id = 0; id < capacity_; ++id) {
    if (connections_[id].in_use && predicate(connections_[id])) {
      end(id, kEnded);
      ++ended;
    }
  }
  return ended;
}

}  // namespace overcast::dataplane::conntrack

#include "dataplane/stages/security_group_stage.h"

#include <time.h>

#include <unordered_map>

#include "dataplane/core/counters_json.h"
#include "dataplane/stages/ip_fragments.h"

namespace overcast::dataplane {
namespace {

using conntrack::CtPacket;
using conntrack::PacketKind;
using conntrack::ParseResult;
using firewall::Direction;

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86dd;
constexpr uint16_t kEtherArp = 0x0806;
constexpr uint32_t kEthernetHeader = 14;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kIcmpv6 = 58;

// Traffic Neutron's drivers let through before the rules: DHCP client <-> server and
// IPv6 neighbour discovery / MLD (router solicitation/advertisement, neighbour
// solicitation/advertisement, redirect, MLD queries and reports). Without it a port in
// the default group could not get an address or resolve its gateway.
bool bypasses_rules(const CtPacket& p) {
  if (p.key.protocol == kUdp && p.kind == PacketKind::kPorts) {
    const uint16_t s = p.key.src_port, d = p.key.dst_port;
    if (p.key.family == 4) return (s == 68 && d == 67) || (s == 67 && d == 68);
    return (s == 546 && d == 547) || (s == 547 && d == 546);
  }
  if (p.key.family == 6 && p.key.protocol == kIcmpv6) {
    const uint8_t t = p.icmp_type;
    return (t >= 130 && t <= 137) || t == 143;
  }
  return false;
}

const firewall::RemoteGroupMembers& no_members() {
  static const firewall::RemoteGroupMembers empty;
  return empty;
}

}  // namespace

SecurityGroupStage::SecurityGroupStage(const SecurityGroupConfig& config)
    : config_(config),
      tracker_(conntrack::ConnTracker::Config{.capacity = config.conntrack_max, .zone_limit = config.zone_max,
                                              .timeouts = {}}) {}

uint64_t SecurityGroupStage::now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

void SecurityGroupStage::prepare(const ForwardingTable& table) {
  const bool members_changed = table.security_group_members != members_;
  members_ = table.security_group_members;
  const firewall::RemoteGroupMembers& members = members_ ? *members_ : no_members();
  if (zones_.size() < table.ports.size()) zones_.resize(table.ports.size());
  // Per zone: re-ask the new policy (recheck), or end everything (flush).
  std::unordered_map<conntrack::Zone, const firewall::CompiledPolicy*> recheck;
  std::vector<bool> flush(zones_.size(), false);
  bool any_flush = false;
  for (size_t slot = 0; slot < zones_.size(); ++slot) {
    ZoneState& zone = zones_[slot];
    const PortEntry* port = table.find_port(static_cast<PortSlot>(slot));
    const bool same_port = port != nullptr && port->port_id == zone.port_id;
    const auto& policy = port ? port->firewall : nullptr;
    if (!same_port || !policy) {
      // The slot's port went away or stopped being filtered: its connections are nobody's.
      if (zone.policy || !zone.port_id.empty()) {
        flush[slot] = true;
        any_flush = true;
      }
    } else if (policy != zone.policy || members_changed) {
      recheck[static_cast<conntrack::Zone>(slot)] = policy.get();
    }
    zone.port_id = port ? port->port_id : std::string();
    zone.policy = policy;
  }
  if (recheck.empty() && !any_flush) return;
  uint64_t cut = 0, flushed = 0;
  tracker_.end_if([&](const conntrack::Connection& c) {
    if (c.orig.zone < flush.size() && flush[c.orig.zone]) {
      ++flushed;
      return true;
    }
    auto it = recheck.find(c.orig.zone);
    if (it == recheck.end() || !firewall::StatefulFirewall::disallows(c, *it->second, members)) return false;
    ++cut;
    return true;
  });
  counters_.add(kCut, cut);
  counters_.add(kFlushed, flushed);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
}

template <Direction kDirection>
void SecurityGroupStage::process(StageContext& ctx, Batch& in, BatchQueue& passed) {
  const uint64_t now = now_ms();
  const firewall::RemoteGroupMembers& members = members_ ? *members_ : no_members();
  uint64_t n_unfiltered = 0, n_bypassed = 0, n_passed = 0, n_denied = 0, n_other = 0, n_handed = 0, n_fragments = 0;
  for (Packet* p : in) {
    const PortSlot slot = kDirection == Direction::kEgress ? p->meta.in_port : p->meta.out_port;
    const PortEntry* port = ctx.table->find_port(slot);
    if (!port || !port->firewall || slot > UINT16_MAX) {
      ++n_unfiltered;  // not ours to judge: port security off, or a slot later stages drop
      passed.push(p);
      continue;
    }
    if (kDirection == Direction::kIngress && config_.handoff != nullptr &&
        slot % config_.worker_count != config_.worker_index) {
      handoff_.push(p);  // the zone is another worker's: its tracker decides
      ++n_handed;
      continue;
    }
    if (p->length() < kEthernetHeader) {
      ctx.drop(p, DropReason::kRunt);
      continue;
    }
    const uint8_t* frame = p->data();
    const uint16_t ethertype = static_cast<uint16_t>(frame[12] << 8 | frame[13]);
    if (ethertype == kEtherArp) {
      ++n_bypassed;
      passed.push(p);
      continue;
    }
    if (ethertype != kEtherIpv4 && ethertype != kEtherIpv6) {
      ++n_other;
      ctx.drop(p, DropReason::kSecurityGroup);
      continue;
    }
    const uint8_t* l3 = frame + kEthernetHeader;
    size_t l3_length = p->length() - kEthernetHeader;
    uint8_t scratch[kFirstFragmentScratch];
    size_t scratch_length = 0;
    switch (classify_fragment(l3, l3_length, ethertype, scratch, scratch_length)) {
      case FragmentKind::kWhole:
        break;
      case FragmentKind::kFirst:  // judged by its headers, as the whole datagram
        l3 = scratch;
        l3_length = scratch_length;
        ++n_fragments;
        break;
      case FragmentKind::kLater:  // its first fragment was judged (ip_fragments.h)
        ++n_fragments;
        passed.push(p);
        continue;
      case FragmentKind::kRefused:
        ++n_fragments;
        ctx.drop(p, DropReason::kSecurityGroup);
        continue;
    }
    CtPacket packet;
    const ParseResult parsed =
        conntrack::parse_ct_packet(l3, l3_length, ethertype, static_cast<conntrack::Zone>(slot), packet);
    if (parsed != ParseResult::kOk) {
      firewall_.count_malformed(parsed);
      ctx.drop(p, DropReason::kSecurityGroup);
      continue;
    }
    if (bypasses_rules(packet)) {
      ++n_bypassed;
      passed.push(p);
      continue;
    }
    const uint64_t no_room_before = firewall_.counters().value(firewall::StatefulFirewall::kNoRoom);
    if (firewall_.filter(tracker_, *port->firewall, members, packet, kDirection, now) == firewall::Verdict::kPass) {
      ++n_passed;
      passed.push(p);
      continue;
    }
    const bool no_room = firewall_.counters().value(firewall::StatefulFirewall::kNoRoom) != no_room_before;
    if (!no_room) ++n_denied;
    ctx.drop(p, no_room ? DropReason::kConntrackFull : DropReason::kSecurityGroup);
  }
  counters_.add(kIn, in.size());
  counters_.add(kUnfiltered, n_unfiltered);
  counters_.add(kBypassed, n_bypassed);
  counters_.add(kPassed, n_passed);
  counters_.add(kDirection == Direction::kEgress ? kDeniedEgress : kDeniedIngress, n_denied);
  counters_.add(kOtherEthertype, n_other);
  counters_.add(kHandedOff, n_handed);
  counters_.add(kFragments, n_fragments);
  if (!handoff_.empty()) config_.handoff->hand_off(handoff_);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
  in.clear();
}

void SecurityGroupStage::process_egress(StageContext& ctx, Batch& in, BatchQueue& passed) {
  process<Direction::kEgress>(ctx, in, passed);
}

void SecurityGroupStage::process_ingress(StageContext& ctx, Batch& in, BatchQueue& passed) {
  process<Direction::kIngress>(ctx, in, passed);
}

void SecurityGroupStage::housekeeping(uint64_t now_ms) {
  if (now_ms < next_expiry_ms_) return;
  next_expiry_ms_ = now_ms + config_.expiry_interval_ms;
  if (tracker_.size() == 0) return;
  tracker_.expire(now_ms, config_.expiry_budget);
  connections_.store(tracker_.size(), std::memory_order_relaxed);
}

void SecurityGroupStage::add_counters(nlohmann::json& stages) const {
  add_counter_set(stages, kName, counters_);
  add_counter_set(stages, "firewall", firewall_.counters());
  add_counter_set(stages, "conntrack_parse", firewall_.malformed_counters());
  add_counter_set(stages, "conntrack", tracker_.counters());
  auto& gauge = stages["conntrack"]["connections"];
  const uint64_t other_workers = gauge.is_number_unsigned() ? gauge.get<uint64_t>() : 0;
  gauge = other_workers + connections_.load(std::memory_order_relaxed);
}

}  // namespace overcast::dataplane

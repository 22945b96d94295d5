// Per-packet cost of the data plane's services: the security-group lookup by rule
// count (10, 1,000, 10,000; beside a rule-by-rule scan for contrast), the connection
// tracker by table size (1 K, 1 M) and new connections per second, SNAT and LPM.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "dataplane/conntrack/conn_tracker.h"
#include "dataplane/firewall/compiled_policy.h"
#include "dataplane/nat/nat_rewrite.h"
#include "dataplane/nat/snat_port_allocator.h"
#include "dataplane/route/lpm_table.h"

namespace overcast::bench {
namespace {

using namespace dataplane;

// Rules as a large tenant writes them: TCP/UDP port ranges from prefixes of all sizes,
// some ICMP, some from the group itself.
std::vector<firewall::SgRule> bench_rules(size_t n, std::mt19937& rng) {
  std::vector<firewall::SgRule> rules;
  for (size_t i = 0; i < n; ++i) {
    firewall::SgRule r;
    r.direction = i % 4 == 3 ? firewall::Direction::kEgress : firewall::Direction::kIngress;
    const int kind = static_cast<int>(rng() % 10);
    r.protocol = kind < 5 ? 6 : kind < 8 ? 17 : 1;
    if (r.protocol != 1) {
      const uint16_t lo = static_cast<uint16_t>(1 + rng() % 60000);
      r.port_range_min = lo;
      r.port_range_max = static_cast<uint16_t>(lo + rng() % 100);
    }
    if (rng() % 10 == 0) {
      r.remote_group_id = "self";
    } else {
      r.remote_prefix = conntrack::ipv4_bytes(static_cast<uint32_t>(rng()));
      r.remote_prefix_length = static_cast<uint8_t>(16 + rng() % 17);
    }
    rules.push_back(r);
  }
  return rules;
}

std::vector<firewall::FirewallQuery> bench_queries(std::mt19937& rng) {
  std::vector<firewall::FirewallQuery> qs(1024);
  for (auto& q : qs) {
    q.direction = firewall::Direction::kIngress;
    q.protocol = rng() % 2 ? 6 : 17;
    q.remote = conntrack::ipv4_bytes(static_cast<uint32_t>(rng()));
    q.port_key = static_cast<uint16_t>(rng());
  }
  return qs;
}

void BM_FirewallLookup(benchmark::State& state) {
  std::mt19937 rng(42);
  firewall::GroupRegistry groups;
  auto policy = firewall::CompiledPolicy::compile(bench_rules(static_cast<size_t>(state.range(0)), rng), groups).policy;
  firewall::RemoteGroupMembers::Builder b;
  for (uint32_t i = 0; i < 64; ++i) b.add(groups.intern("self"), 4, conntrack::ipv4_bytes(0x0a000000 + i));
  const auto members = std::move(b).build();
  const auto queries = bench_queries(rng);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    allowed += policy->allows(queries[i++ & 1023], members);
  }
  benchmark::DoNotOptimize(allowed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FirewallLookup)->Arg(10)->Arg(1000)->Arg(10000);

// IPv6: the same rule mix with /48-/128 prefixes in one /32 (a tenant's space), so the trie
// walk is long.
void BM_FirewallLookupIpv6(benchmark::State& state) {
  std::mt19937 rng(43);
  auto v6 = [&](void) {
    conntrack::IpBytes a{};
    a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
    for (int i = 4; i < 16; ++i) a[i] = static_cast<uint8_t>(rng() % (i < 8 ? 4 : 256));
    return a;
  };
  auto rules = bench_rules(static_cast<size_t>(state.range(0)), rng);
  for (auto& r : rules) {
    r.family = 6;
    if (r.protocol == 1) r.protocol = 58;
    if (r.remote_prefix) {
      r.remote_prefix = v6();
      r.remote_prefix_length = static_cast<uint8_t>(48 + rng() % 81);
    }
  }
  firewall::GroupRegistry groups;
  auto policy = firewall::CompiledPolicy::compile(rules, groups).policy;
  const firewall::RemoteGroupMembers members;
  auto queries = bench_queries(rng);
  for (auto& q : queries) {
    q.family = 6;
    q.remote = v6();
  }
  size_t i = 0, allowed = 0;
  for (auto _ : state) allowed += policy->allows(queries[i++ & 1023], members);
  benchmark::DoNotOptimize(allowed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FirewallLookupIpv6)->Arg(10)->Arg(1000)->Arg(10000);

// For contrast: what checking the rules one by one costs (prefix and ports only).
void BM_FirewallRuleByRuleScan(benchmark::State& state) {
  std::mt19937 rng(42);
  const auto rules = bench_rules(static_cast<size_t>(state.range(0)), rng);
  const auto queries = bench_queries(rng);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    const auto& q = queries[i++ & 1023];
    const uint32_t remote = conntrack::ipv4_of(q.remote);
    bool ok = false;
    for (const auto& r : rules) {
      if (r.direction != q.direction || r.protocol != q.protocol || !r.remote_prefix) continue;
      if (q.port_key < r.port_range_min.value_or(0) || q.port_key > r.port_range_max.value_or(65535)) continue;
      const uint32_t mask = ~uint32_t{0} << (32 - r.remote_prefix_length);
      if ((remote & mask) == (conntrack::ipv4_of(*r.remote_prefix) & mask)) {
        ok = true;
        break;
      }
    }
    allowed += ok;
  }
  benchmark::DoNotOptimize(allowed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FirewallRuleByRuleScan)->Arg(10)->Arg(1000)->Arg(10000);

conntrack::CtPacket udp_packet(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport) {
  conntrack::CtPacket p;
  p.key.zone = 1;
  p.key.family = 4;
  p.key.protocol = 17;
  p.key.src = conntrack::ipv4_bytes(src);
  p.key.dst = conntrack::ipv4_bytes(dst);
  p.key.src_port = sport;
  p.key.dst_port = dport;
  p.kind = conntrack::PacketKind::kPorts;
  return p;
}

// Packets of established connections, in random order over the whole table (so the
// 1 M table shows its cache misses).
void BM_ConntrackLookupEstablished(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  conntrack::ConnTracker::Config config;
  config.capacity = n;
  conntrack::ConnTracker ct(config);
  for (uint32_t i = 0; i < n; ++i) {
    const auto p = udp_packet(0x0a000000 + (i >> 16), 0x08080808, static_cast<uint16_t>(i), 53);
    ct.commit(p, 0);
  }
  std::mt19937 rng(7);
  std::vector<conntrack::CtPacket> packets;
  for (int i = 0; i < 65536; ++i) {
    const uint32_t c = rng() % n;
    const auto p = udp_packet(0x0a000000 + (c >> 16), 0x08080808, static_cast<uint16_t>(c), 53);
    packets.push_back(i % 2 ? p : udp_packet(0x08080808, 0x0a000000 + (c >> 16), 53, static_cast<uint16_t>(c)));
  }
  size_t i = 0, established = 0;
  for (auto _ : state) {
    established += ct.process(packets[i++ & 65535], 1).state == conntrack::CtState::kEstablished;
  }
  benchmark::DoNotOptimize(established);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConntrackLookupEstablished)->Arg(1000)->Arg(1000000);

// The same packets as a 32-packet burst (process_burst prefetches ahead).
void BM_ConntrackLookupEstablishedBurst32(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  conntrack::ConnTracker::Config config;
  config.capacity = n;
  conntrack::ConnTracker ct(config);
  for (uint32_t i = 0; i < n; ++i) ct.commit(udp_packet(0x0a000000 + (i >> 16), 0x08080808, static_cast<uint16_t>(i), 53), 0);
  std::mt19937 rng(7);
  std::vector<conntrack::CtPacket> packets;
  for (int i = 0; i < 65536; ++i) {
    const uint32_t c = rng() % n;
    packets.push_back(udp_packet(0x0a000000 + (c >> 16), 0x08080808, static_cast<uint16_t>(c), 53));
  }
  conntrack::TrackResult results[32];
  size_t i = 0, established = 0;
  for (auto _ : state) {
    ct.process_burst(&packets[i & 65535], 32, 1, results);
    i += 32;
    established += results[31].state == conntrack::CtState::kEstablished || results[31].state == conntrack::CtState::kNew;
  }
  benchmark::DoNotOptimize(established);
  state.SetItemsProcessed(state.iterations() * 32);
}
BENCHMARK(BM_ConntrackLookupEstablishedBurst32)->Arg(1000)->Arg(1000000);

// New TCP connections: lookup (NEW) + commit, with the SYN_SENT timeout at 1 ms of a
// clock that advances 1 ms per 100 connections, so expiry runs as in steady state.
void BM_ConntrackNewConnections(benchmark::State& state) {
  conntrack::ConnTracker::Config config;
  config.capacity = 1 << 16;
  config.timeouts.ms[static_cast<size_t>(conntrack::TimeoutClass::kTcpSynSent)] = 1;
  conntrack::ConnTracker ct(config);
  uint64_t now = 0;
  uint32_t i = 0;
  for (auto _ : state) {
    conntrack::CtPacket p = udp_packet(0x0a000000 + (i >> 16), 0x08080808, static_cast<uint16_t>(i), 80);
    p.key.protocol = 6;
    p.tcp_flags = conntrack::tcp_flag::kSyn;
    if (++i % 100 == 0) ct.expire(++now, 256);
    if (ct.process(p, now).state == conntrack::CtState::kNew) ct.commit(p, now);
  }
  state.counters["table"] = static_cast<double>(ct.size());
  state.counters["refused"] = static_cast<double>(ct.counters().value(conntrack::ConnTracker::kTableFull));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConntrackNewConnections);

void BM_SnatAllocateRelease(benchmark::State& state) {
  nat::SnatPortAllocator alloc;
  std::vector<uint16_t> live;
  for (int i = 0; i < 30000; ++i) live.push_back(*alloc.allocate(1, 6));  // half full
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % live.size();
    alloc.release(1, 6, live[k]);
    live[k] = *alloc.allocate(1, 6);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SnatAllocateRelease);

void BM_NatRewriteTcpSource(benchmark::State& state) {
  std::vector<uint8_t> packet(20 + 20 + 64, 0);
  packet[0] = 0x45;
  packet[3] = static_cast<uint8_t>(packet.size());
  packet[9] = 6;
  packet[32] = 5 << 4;
  uint32_t addr = 0xcb007105;
  for (auto _ : state) {
    ++addr;
    nat::rewrite_ipv4(packet.data(), packet.size(), nat::Endpoint::kSource, addr, static_cast<uint16_t>(addr));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NatRewriteTcpSource);

void BM_LpmLookupIpv4(benchmark::State& state) {
  route::Ipv4RouteTable table;
  std::mt19937 rng(3);
  table.insert(0, 0, route::RouteTarget{0, false, 1});
  for (int i = 0; i < state.range(0); ++i)
    table.insert(static_cast<uint32_t>(rng()), i % 3 == 0 ? 16 : 24, route::RouteTarget{static_cast<uint32_t>(i), true, 0});
  std::vector<uint32_t> addrs(1024);
  for (auto& a : addrs) a = static_cast<uint32_t>(rng());
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(table.lookup(addrs[i++ & 1023]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LpmLookupIpv4)->Arg(4)->Arg(1000);

}  // namespace
}  // namespace overcast::bench

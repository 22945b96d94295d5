// Parsing, flow hashing and MAC lookup: the per-packet reads of the pipeline.
#include <benchmark/benchmark.h>

#include "bench_frames.h"
#include "net/ethernet.h"
#include "net/flow_hash.h"
#include "net/ipv4.h"

namespace overcast::bench {
namespace {

void BM_ParseEthernetIpv4(benchmark::State& state) {
  auto f = bench_udp_frame(bench_mac(1), 1000);
  for (auto _ : state) {
    auto eth = net::parse_ethernet(f.data(), f.size());
    auto ip = net::parse_ipv4(f.data() + eth->l3_offset, f.size() - eth->l3_offset);
    benchmark::DoNotOptimize(ip);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseEthernetIpv4);

void BM_ParseEthernetIpv4Batch32(benchmark::State& state) {
  std::vector<std::vector<uint8_t>> frames;
  for (uint16_t i = 0; i < 32; ++i) frames.push_back(bench_udp_frame(bench_mac(1 + i), static_cast<uint16_t>(1000 + i)));
  for (auto _ : state) {
    for (const auto& f : frames) {
      auto eth = net::parse_ethernet(f.data(), f.size());
      auto ip = net::parse_ipv4(f.data() + eth->l3_offset, f.size() - eth->l3_offset);
      benchmark::DoNotOptimize(ip);
    }
  }
  state.SetItemsProcessed(state.iterations() * 32);
}
BENCHMARK(BM_ParseEthernetIpv4Batch32);

void BM_FlowHash(benchmark::State& state) {
  auto f = bench_udp_frame(bench_mac(1), 1000);
  for (auto _ : state) benchmark::DoNotOptimize(net::flow_hash(f.data(), f.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlowHash);

// Lookup in a segment's MAC table of state.range(0) entries; one per packet, or 32 per batch.
void BM_MacLookup(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  auto table = bench_table(n);
  const auto* segment = table->find_segment(100);
  std::vector<MacAddress> keys;
  for (uint32_t i = 0; i < 32; ++i) keys.push_back(bench_mac(1 + (i * 7919) % n));
  size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(segment->macs.find(keys[k]));
    k = (k + 1) & 31;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MacLookup)->Arg(16)->Arg(1024)->Arg(65536);

void BM_MacLookupBatch32(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  auto table = bench_table(n);
  const auto* segment = table->find_segment(100);
  std::vector<MacAddress> keys;
  for (uint32_t i = 0; i < 32; ++i) keys.push_back(bench_mac(1 + (i * 7919) % n));
  for (auto _ : state) {
    for (const auto& key : keys) benchmark::DoNotOptimize(segment->macs.find(key));
  }
  state.SetItemsProcessed(state.iterations() * 32);
}
BENCHMARK(BM_MacLookupBatch32)->Arg(16)->Arg(1024)->Arg(65536);

}  // namespace
}  // namespace overcast::bench

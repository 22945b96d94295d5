// VXLAN encapsulation and decapsulation: the codec alone per packet, and the
// stages (checks, flow hash, counters) per packet and per batch of 32.
#include <benchmark/benchmark.h>

#include <cstring>

#include "bench_frames.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/encap/decap_stage.h"
#include "dataplane/encap/encap_stage.h"
#include "dataplane/encap/vxlan/vxlan_codec.h"

namespace overcast::bench {
namespace {

using dataplane::Batch;
using dataplane::BatchQueue;
using dataplane::Packet;
using dataplane::PacketPool;
using dataplane::VxlanCodec;

void load(Packet* p, const std::vector<uint8_t>& frame) {
  std::memcpy(p->data(), frame.data(), frame.size());
  p->set_length(static_cast<uint32_t>(frame.size()));
}

void BM_VxlanPushHeader(benchmark::State& state) {
  PacketPool pool(1, 2048 + Packet::kHeadroom);
  Packet* p = pool.alloc();
  load(p, bench_udp_frame(bench_mac(1), 1000));
  for (auto _ : state) {
    VxlanCodec::push_header(*p, 100);
    benchmark::DoNotOptimize(p->data());
    p->pull(VxlanCodec::kHeaderSize);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VxlanPushHeader);

void BM_VxlanPopHeader(benchmark::State& state) {
  PacketPool pool(1, 2048 + Packet::kHeadroom);
  Packet* p = pool.alloc();
  load(p, bench_udp_frame(bench_mac(1), 1000));
  VxlanCodec::push_header(*p, 100);
  uint32_t vni = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(VxlanCodec::pop_header(*p, vni));
    p->prepend(VxlanCodec::kHeaderSize);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VxlanPopHeader);

// The encap stage over state.range(0) frames (1: per packet, 32: a full batch) to
// remote MACs: flow hash, MTU check, header push. The output queue hands the
// batch back without freeing it.
void BM_VxlanEncapStage(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  auto table = bench_table(1024);
  PacketPool pool(64, 2048 + Packet::kHeadroom);
  dataplane::DropCounters drops;
  dataplane::StageContext ctx{table.get(), &pool, &drops};
  dataplane::EncapStage<VxlanCodec> stage;
  Batch in, out;
  std::vector<Packet*> packets;
  for (uint16_t i = 0; i < batch; ++i) {
    Packet* p = pool.alloc();
    load(p, bench_udp_frame(bench_mac(1 + i), static_cast<uint16_t>(1000 + i)));
    p->meta.vni = 100;
    packets.push_back(p);
  }
  BatchQueue tunnel([](void* o, Batch& b) {
                      auto* dst = static_cast<Batch*>(o);
                      for (Packet* p : b) dst->push(p);
                      b.clear();
                    }, &out);
  for (auto _ : state) {
    for (Packet* p : packets) in.push(p);
    stage.process(ctx, in, tunnel);
    tunnel.drain();
    for (Packet* p : out) p->pull(VxlanCodec::kHeaderSize);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_VxlanEncapStage)->Arg(1)->Arg(32);

// The decap stage over a batch of state.range(0) datagrams from a known VTEP to local MACs.
void BM_VxlanDecapStage(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  auto table = bench_table(0);
  auto& segment = table->segments[100];
  for (uint32_t i = 1; i <= 32; ++i) segment.macs[bench_mac(i)] = {dataplane::L2Destination::Kind::kLocalPort, i % 4, 0};
  PacketPool pool(64, 2048 + Packet::kHeadroom);
  dataplane::DropCounters drops;
  dataplane::StageContext ctx{table.get(), &pool, &drops};
  dataplane::DecapStage<VxlanCodec> stage;
  Batch in, out;
  std::vector<Packet*> packets;
  for (uint16_t i = 0; i < batch; ++i) {
    Packet* p = pool.alloc();
    load(p, bench_udp_frame(bench_mac(1 + i), 1000));
    VxlanCodec::push_header(*p, 100);
    packets.push_back(p);
  }
  auto collect = [](void* o, Batch& b) {
    auto* dst = static_cast<Batch*>(o);
    for (Packet* p : b) dst->push(p);
    b.clear();
  };
  BatchQueue local(collect, &out), flood(collect, &out);
  for (auto _ : state) {
    for (Packet* p : packets) {
      p->meta.remote_vtep = 0x7f000002;
      in.push(p);
    }
    stage.process(ctx, in, local, flood);
    local.drain();
    flood.drain();
    if (out.size() != batch) state.SkipWithError("decap dropped packets");
    for (Packet* p : out) p->prepend(VxlanCodec::kHeaderSize);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_VxlanDecapStage)->Arg(1)->Arg(32);

}  // namespace
}  // namespace overcast::bench

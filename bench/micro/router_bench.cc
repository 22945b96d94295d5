// The router stage per packet: frames that are not for a router (the cost every VM frame
// now pays: one MAC lookup when its segment has a router) and routed frames (LPM, TTL,
// MAC rewrite). Each iteration reloads the batch's frames, in both cases, so the TTL never
// runs out and the two figures differ only by the routing.
#include <benchmark/benchmark.h>

#include <cstring>

#include "bench_frames.h"
#include "dataplane/core/batch_queue.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/stages/router_stage.h"
#include "net/ipv4.h"

namespace overcast::bench {
namespace {

using dataplane::Batch;
using dataplane::BatchQueue;
using dataplane::Packet;
using dataplane::PacketPool;

const MacAddress kRouterIn = bench_mac(0xfff0);
const MacAddress kRouterOut = bench_mac(0xfff1);

// VNI 100 (ingress, router 10.9.0.1/24) and VNI 200 (10.0.0.254/24, 10.0.0.2 known).
std::shared_ptr<dataplane::ForwardingTable> routed_table() {
  auto t = bench_table(16);
  auto& out = t->segments[200];
  out.vni = 200;
  out.macs[bench_mac(2)] = {dataplane::L2Destination::Kind::kRemoteVtep, dataplane::kNoPort, 0x7f000002};
  out.arp[0x0a000002] = bench_mac(2);
  auto router = std::make_shared<dataplane::route::RouterInstance>();
  router->interfaces = {{"in", 100, kRouterIn, 0x0a090001, 24}, {"out", 200, kRouterOut, 0x0a0000fe, 24}};
  router->routes.insert(0x0a090000, 24, {0, true, 0});
  router->routes.insert(0x0a000000, 24, {1, true, 0});
  router->routes.insert(0, 0, {1, false, 0x0a000002});
  t->segments[100].router_ports[kRouterIn] = {router, 0};
  t->segments[200].router_ports[kRouterOut] = {router, 1};
  return t;
}

// state.range(0): 0 = frames to a VM MAC (passed), 1 = frames to the router (routed).
void BM_RouterStage(benchmark::State& state) {
  constexpr size_t kBatch = 32;
  const bool routed = state.range(0) != 0;
  auto table = routed_table();
  PacketPool pool(64, 2048 + Packet::kHeadroom);
  dataplane::DropCounters drops;
  dataplane::StageContext ctx{table.get(), &pool, &drops};
  dataplane::RouterStage stage;
  auto frame = bench_udp_frame(routed ? kRouterIn : bench_mac(1), 1000);
  net::set_ipv4_checksum(reinterpret_cast<net::Ipv4Header*>(frame.data() + 14));
  std::vector<Packet*> packets;
  for (size_t i = 0; i < kBatch; ++i) packets.push_back(pool.alloc());
  Batch in, out;
  BatchQueue l2([](void* o, Batch& b) {
                  auto* dst = static_cast<Batch*>(o);
                  for (Packet* p : b) dst->push(p);
                  b.clear();
                }, &out);
  BatchQueue replies([](void* o, Batch& b) {
                       auto* dst = static_cast<Batch*>(o);
                       for (Packet* p : b) dst->push(p);
                       b.clear();
                     }, &out);
  BatchQueue to_gateway([](void* o, Batch& b) {
                          auto* dst = static_cast<Batch*>(o);
                          for (Packet* p : b) dst->push(p);
                          b.clear();
                        }, &out);
  for (auto _ : state) {
    for (Packet* p : packets) {
      std::memcpy(p->data(), frame.data(), frame.size());
      p->set_length(static_cast<uint32_t>(frame.size()));
      p->meta.vni = 100;
      in.push(p);
    }
    stage.process(ctx, in, l2, replies, to_gateway, to_gateway);
    l2.drain();
    replies.drain();
    to_gateway.drain();
    if (out.size() != kBatch) state.SkipWithError("a frame was dropped");
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
  state.SetLabel(routed ? "routed" : "passed");
}
BENCHMARK(BM_RouterStage)->Arg(0)->Arg(1);

}  // namespace
}  // namespace overcast::bench

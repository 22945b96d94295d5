// The L3 gateway per packet (stages/gateway_stage.h), on the host serving a router's
// external gateway: what a tenant packet leaving through SNAT costs (TTL, tracker lookup
// in the router's zone, rewrite, neighbour lookup, MAC rewrite), and a floating IP's
// (stateless rewrite), beside the router stage's plain routed frame (router_bench.cc)
// for scale. Established flows only: every flow is committed before timing; each
// iteration reloads the batch's frames so the TTL never runs out.
#include <benchmark/benchmark.h>

#include <cstring>

#include "bench_frames.h"
#include "dataplane/core/batch_queue.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/gateway/arp_frames.h"
#include "dataplane/stages/gateway_stage.h"
#include "net/ipv4.h"

namespace overcast::bench {
namespace {

using dataplane::Batch;
using dataplane::BatchQueue;
using dataplane::Packet;
using dataplane::PacketPool;

constexpr uint32_t kTenantVni = 100;
constexpr uint32_t kExternalVni = 300;
constexpr uint32_t kExternalIp = 0xcb007102;  // 203.0.113.2
constexpr uint32_t kNextHop = 0xcb007101;     // 203.0.113.1
constexpr uint32_t kFloatingIp = 0xcb007132;  // 203.0.113.50
constexpr uint32_t kRemote = 0xc6336407;      // 198.51.100.7, behind the next hop
const MacAddress kRouterIn = bench_mac(0xfff0);
const MacAddress kRouterOut = bench_mac(0xfff1);
const MacAddress kNextHopMac = bench_mac(0xeee1);

// Tenant VNI 100 (router 10.0.0.254/24) and the external segment VNI 300 on an uplink,
// served here; 10.0.0.1 has the floating IP 203.0.113.50 when `floating`.
std::shared_ptr<dataplane::ForwardingTable> gateway_table(bool floating) {
  auto t = bench_table(4);
  auto& outside = t->segments[kExternalVni];
  outside.vni = kExternalVni;
  outside.uplink = 0;
  auto router = std::make_shared<dataplane::route::RouterInstance>();
  router->router_id = "r1";
  router->interfaces = {{"in", kTenantVni, kRouterIn, 0x0a0000fe, 24}};
  router->routes.insert(0x0a000000, 24, {0, true, 0});
  dataplane::route::ExternalGateway external;
  external.vni = kExternalVni;
  external.address = kExternalIp;
  external.prefix_length = 24;
  external.mac = kRouterOut;
  external.next_hop = kNextHop;
  external.served_here = true;
  router->external = external;
  dataplane::route::RouteTarget to_outside;
  to_outside.external = true;
  router->routes.insert(0, 0, to_outside);
  auto gateway = std::make_shared<dataplane::gateway::RouterGateway>();
  gateway->router = router;
  gateway->nat.external_ip = kExternalIp;
  if (floating) gateway->nat.add_floating_ip(kFloatingIp, 0x0a000001);
  outside.gateways[kRouterOut] = gateway;
  outside.gateway_addresses[kExternalIp] = kRouterOut;
  t->segments[kTenantVni].router_ports[kRouterIn] = {router, 0};
  return t;
}

std::vector<uint8_t> outbound_frame(uint16_t sport) {
  auto frame = bench_udp_frame(kRouterIn, sport);
  auto* ip = reinterpret_cast<net::Ipv4Header*>(frame.data() + 14);
  ip->dst = net::be32::from_host(kRemote);
  net::set_ipv4_checksum(ip);
  return frame;
}

uint64_t total_drops(const dataplane::DropCounters& drops) {
  uint64_t total = 0;
  for (size_t r = 0; r < static_cast<size_t>(dataplane::DropReason::kCount); ++r)
    total += drops.value(static_cast<dataplane::DropReason>(r));
  return total;
}

void collect_into(BatchQueue*& queue, Batch& out) {
  queue = new BatchQueue([](void* o, Batch& b) {
                           auto* dst = static_cast<Batch*>(o);
                           for (Packet* p : b) dst->push(p);
                           b.clear();
                         }, &out);
}

// state.range(0): flows (distinct source ports) cycled through; range(1): 1 = the source
// has a floating IP (stateless), 0 = SNAT (tracked).
void BM_GatewayOutbound(benchmark::State& state) {
  constexpr size_t kBatch = 32;
  const auto flows = static_cast<uint16_t>(state.range(0));
  const bool floating = state.range(1) != 0;
  auto table = gateway_table(floating);
  PacketPool pool(128, 2048 + Packet::kHeadroom);
  dataplane::DropCounters drops;
  dataplane::StageContext ctx{table.get(), &pool, &drops};
  dataplane::GatewayStage stage(dataplane::GatewayConfig{});
  stage.prepare(*table);
  Batch out, in;
  BatchQueue* uplink = nullptr;
  collect_into(uplink, out);
  auto free_out = [&] {
    uplink->drain();
    for (Packet* p : out) pool.free(p);
    out.clear();
  };
  std::vector<std::vector<uint8_t>> frames;
  for (uint16_t f = 0; f < flows; ++f) frames.push_back(outbound_frame(static_cast<uint16_t>(10000 + f)));
  auto run_flows = [&](uint16_t first, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      Packet* p = pool.alloc();
      const auto& frame = frames[(first + i) % flows];
      std::memcpy(p->data(), frame.data(), frame.size());
      p->set_length(static_cast<uint32_t>(frame.size()));
      p->meta.vni = kTenantVni;
      in.push(p);
    }
    stage.process_outbound(ctx, in, *uplink);
    free_out();
  };
  // Resolve the next hop: the first packet sends the ARP request, the reply is learned.
  run_flows(0, 1);
  Packet* reply = pool.alloc();
  reply->set_length(static_cast<uint32_t>(dataplane::gateway::build_arp_reply(
      reply->data(), reply->max_length(), kNextHopMac, kNextHop, kRouterOut, kExternalIp)));
  reply->meta.vni = kExternalVni;
  in.push(reply);
  Batch routed;
  BatchQueue *l2 = nullptr, *flood = nullptr;
  collect_into(l2, routed);
  collect_into(flood, routed);
  stage.process_inbound(ctx, in, *l2, *uplink, *flood);
  free_out();
  for (uint16_t f = 0; f < flows; f = static_cast<uint16_t>(f + kBatch)) run_flows(f, kBatch);  // commit every flow
  const uint64_t dropped_before = total_drops(drops);
  uint16_t next = 0;
  for (auto _ : state) {
    run_flows(next, kBatch);
    next = static_cast<uint16_t>((next + kBatch) % flows);
  }
  if (total_drops(drops) != dropped_before) state.SkipWithError("a packet was dropped");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
  delete uplink;
  delete l2;
  delete flood;
}
BENCHMARK(BM_GatewayOutbound)->Args({32, 0})->Args({1024, 0})->Args({16384, 0})->Args({32, 1});

}  // namespace
}  // namespace overcast::bench

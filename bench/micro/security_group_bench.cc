// Per-packet cost of the security-group stage as the pipeline runs it: batches of 32
// UDP frames from a VM port through SecurityGroupStage::process_egress (frame parse,
// tracker lookup of an established connection, verdict), beside the same batches on a
// port without security groups (the stage's overhead when it has nothing to do). The
// argument is the number of flows the batches cycle through (the tracker's working set).
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench_frames.h"
#include "dataplane/core/batch_queue.h"
#include "dataplane/stages/security_group_stage.h"

namespace overcast::bench {
namespace {

using namespace dataplane;

// A port the stage can find in the table; nothing is ever read from or sent to it here.
class IdlePort final : public PortIo {
 public:
  const std::string& name() const override { return name_; }
  int poll_fd() const override { return -1; }
  size_t rx_burst(PacketPool&, Batch&) override { return 0; }
  void tx_burst(PacketPool& pool, Batch& batch) override { pool.free_batch(batch); }

 private:
  std::string name_ = "idle";
};

class StageBench {
 public:
  StageBench(uint32_t flows, bool filtered)
      : pool_(flows, 512 + Packet::kHeadroom),
        stage_(SecurityGroupConfig{.conntrack_max = flows * 2 + 64}),
        out_([](void*, Batch& b) { b.clear(); }, nullptr) {  // the packets stay ours
    table_ = bench_table(1);
    PortEntry port;
    port.port_id = "vm";
    port.vni = 100;
    port.io = std::make_shared<IdlePort>();
    table_->ports.push_back(port);
    if (filtered) {
      firewall::SgRule egress;
      egress.direction = firewall::Direction::kEgress;
      firewall::GroupRegistry groups;
      table_->ports[0].firewall = firewall::CompiledPolicy::compile({egress}, groups).policy;
    }
    ctx_.table = table_.get();
    ctx_.pool = &pool_;
    ctx_.drops = &drops_;
    stage_.prepare(*table_);
    for (uint32_t i = 0; i < flows; ++i) {
      const auto f = bench_udp_frame(bench_mac(1), static_cast<uint16_t>(1024 + i));
      Packet* p = pool_.alloc();
      std::memcpy(p->data(), f.data(), f.size());
      p->set_length(static_cast<uint32_t>(f.size()));
      p->meta.in_port = 0;
      packets_.push_back(p);
    }
  }
  void run_batch() {
    Batch batch;
    for (size_t i = 0; i < Batch::kCapacity; ++i) batch.push(packets_[next_++ % packets_.size()]);
    stage_.process_egress(ctx_, batch, out_);
    out_.drain();
  }
  uint64_t dropped() const {
    uint64_t n = 0;
    for (size_t r = 0; r < static_cast<size_t>(DropReason::kCount); ++r) n += drops_.value(static_cast<DropReason>(r));
    return n;
  }

 private:
  std::shared_ptr<ForwardingTable> table_;
  PacketPool pool_;
  DropCounters drops_;
  StageContext ctx_;
  SecurityGroupStage stage_;
  BatchQueue out_;
  std::vector<Packet*> packets_;
  size_t next_ = 0;
};

void run(benchmark::State& state, bool filtered) {
  StageBench bench(static_cast<uint32_t>(state.range(0)), filtered);
  for (int i = 0; i < state.range(0) / 32 + 1; ++i) bench.run_batch();  // every flow committed
  for (auto _ : state) bench.run_batch();
  if (bench.dropped() != 0) state.SkipWithError("the stage dropped packets");
  state.SetItemsProcessed(state.iterations() * Batch::kCapacity);
}

void BM_SecurityGroupStageEstablished(benchmark::State& state) { run(state, true); }
BENCHMARK(BM_SecurityGroupStageEstablished)->Arg(32)->Arg(1024)->Arg(16384);

void BM_SecurityGroupStageUnfiltered(benchmark::State& state) { run(state, false); }
BENCHMARK(BM_SecurityGroupStageUnfiltered)->Arg(32);

}  // namespace
}  // namespace overcast::bench

// Offloads in user space: TSO (TcpSegmenter) of a 64 KB TCP super-frame into tunnel
// datagrams, GRO (TunnelGro) of one UDP GRO read of 44 segments back into one frame,
// and the Internet checksum against the plain RFC 1071 loop, in the same run.
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <vector>

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/offload/tcp_segmenter.h"
#include "dataplane/offload/tunnel_gro.h"
#include "net/checksum.h"

namespace overcast::bench {
namespace {

using dataplane::Batch;
using dataplane::BatchQueue;
using dataplane::Packet;
using dataplane::PacketPool;
using dataplane::TcpSegmenter;
using dataplane::TunnelGro;

// The lab's inner MTU is 1450: 1450 - 20 (IPv4) - 20 (TCP) bytes of payload per segment.
constexpr uint16_t kMss = 1410;
// The most one UDP GSO sendmsg carries (what the tunnel's tx asks of next()).
constexpr size_t kMaxGsoBytes = 65535 - 8 - 20;
const std::vector<uint8_t> kVxlanHeader = {0x08, 0, 0, 0, 0, 0, 100, 0};

void put16(std::vector<uint8_t>& f, uint16_t v) {
  f.push_back(static_cast<uint8_t>(v >> 8));
  f.push_back(static_cast<uint8_t>(v));
}

// Ethernet + IPv4 + TCP (ACK|PSH) with `payload` bytes. Checksums are left 0: the
// segmenter writes its own, and the GRO input is made by the segmenter.
std::vector<uint8_t> tcp_super_frame(size_t payload) {
  std::vector<uint8_t> f = {0xfa, 0x16, 0x3e, 0, 0, 2, 0xfa, 0x16, 0x3e, 0, 0, 1, 0x08, 0x00, 0x45, 0};
  put16(f, static_cast<uint16_t>(40 + payload));
  const uint8_t rest[] = {0x12, 0x34, 0x40, 0, 64, 6,    0, 0,   10, 0, 0, 1, 10, 0, 0, 2,     // IPv4
                          0x9c, 0x40, 0x14, 0x51, 0, 0, 0x03, 0xe8, 0, 0, 0x13, 0x88, 0x50, 0x18,  // TCP
                          0x20, 0, 0, 0, 0, 0};
  f.insert(f.end(), rest, rest + sizeof rest);
  for (size_t i = 0; i < payload; ++i) f.push_back(static_cast<uint8_t>(i * 7));
  return f;
}

// 64 KB: the largest payload an IPv4 super-frame's 16-bit total length allows.
constexpr size_t kSuperFramePayload = 65535 - 40;

void BM_SegmentSuperFrame(benchmark::State& state) {
  const auto frame = tcp_super_frame(kSuperFramePayload);
  auto seg = std::make_unique<TcpSegmenter>();
  size_t segments = 0;
  for (auto _ : state) {
    seg->start(kVxlanHeader.data(), kVxlanHeader.size(), frame.data(), frame.size(), kMss);
    segments = 0;
    while (!seg->done()) {
      segments += seg->next(kMaxGsoBytes);
      benchmark::DoNotOptimize(seg->iov());
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * frame.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * segments));
  state.counters["segments"] = static_cast<double>(segments);
  state.counters["per_segment"] = benchmark::Counter(static_cast<double>(segments),
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}
BENCHMARK(BM_SegmentSuperFrame);

// One UDP GRO read: `count` datagrams (VXLAN header + 1450-byte inner frame) of one
// flow, back to back, as TcpSegmenter lays them out for the sender.
std::vector<uint8_t> gro_buffer(size_t count, size_t& datagram_size) {
  const auto frame = tcp_super_frame(count * kMss);
  TcpSegmenter seg;
  seg.start(kVxlanHeader.data(), kVxlanHeader.size(), frame.data(), frame.size(), kMss);
  datagram_size = seg.segment_size();
  std::vector<uint8_t> buffer;
  while (!seg.done()) {
    const size_t n = seg.next(SIZE_MAX);
    for (size_t i = 0; i < 2 * n; ++i) {
      const auto* b = static_cast<const uint8_t*>(seg.iov()[i].iov_base);
      buffer.insert(buffer.end(), b, b + seg.iov()[i].iov_len);
    }
  }
  return buffer;
}

struct GroBench {
  PacketPool pool{4, Packet::kDefaultBufferSize};
  dataplane::DropCounters drops;
  dataplane::StageContext ctx{nullptr, &pool, &drops};
  TunnelGro gro{static_cast<uint32_t>(kVxlanHeader.size())};
  Batch done;
  static void collect(void* owner, Batch& batch) {
    auto* self = static_cast<GroBench*>(owner);
    for (Packet* p : batch) self->done.push(p);
    batch.clear();
  }
};

// GRO of 44 segments (the kernel's UDP GRO gives up to 64 datagrams, 64 KB in all).
// Each iteration copies the buffer back in first (GRO merges in place):
// BM_GroRestoreCopyOnly is that copy alone, to subtract.
constexpr size_t kGroSegments = 44;

void BM_GroMerge44Segments(benchmark::State& state) {
  size_t datagram_size = 0;
  const auto buffer = gro_buffer(kGroSegments, datagram_size);
  GroBench b;
  BatchQueue out(&GroBench::collect, &b);
  for (auto _ : state) {
    Packet* p = b.pool.alloc();
    std::memcpy(p->data(), buffer.data(), buffer.size());
    p->set_length(static_cast<uint32_t>(buffer.size()));
    p->meta.gro_size = static_cast<uint16_t>(datagram_size);
    Batch in;
    in.push(p);
    b.gro.process(b.ctx, in, out);
    out.drain();
    if (b.done.size() != 1) state.SkipWithError("GRO did not merge the run into one frame");
    b.pool.free_batch(b.done);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kGroSegments));
  state.counters["per_segment"] = benchmark::Counter(static_cast<double>(kGroSegments),
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}
BENCHMARK(BM_GroMerge44Segments);

void BM_GroRestoreCopyOnly(benchmark::State& state) {
  size_t datagram_size = 0;
  const auto buffer = gro_buffer(kGroSegments, datagram_size);
  PacketPool pool(1, Packet::kDefaultBufferSize);
  for (auto _ : state) {
    Packet* p = pool.alloc();
    std::memcpy(p->data(), buffer.data(), buffer.size());
    p->set_length(static_cast<uint32_t>(buffer.size()));
    benchmark::DoNotOptimize(p->data());
    benchmark::ClobberMemory();
    pool.free(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.size()));
}
BENCHMARK(BM_GroRestoreCopyOnly);

std::vector<uint8_t> checksum_input(size_t n) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 31 + (i >> 8));
  return b;
}

void BM_ChecksumPartial(benchmark::State& state) {
  const auto buf = checksum_input(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(net::checksum_fold(net::checksum_partial(buf.data(), buf.size())));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_ChecksumPartial)->Arg(1500)->Arg(65536);

// RFC 1071's reference loop, one 16-bit pair at a time: the baseline.
void BM_ChecksumNaiveLoop(benchmark::State& state) {
  const auto buf = checksum_input(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    const uint8_t* data = buf.data();
    benchmark::DoNotOptimize(data);
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 1 < buf.size(); i += 2) sum += static_cast<uint32_t>((data[i] << 8) | data[i + 1]);
    if (i < buf.size()) sum += static_cast<uint32_t>(data[i] << 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_ChecksumNaiveLoop)->Arg(1500)->Arg(65536);

}  // namespace
}  // namespace overcast::bench

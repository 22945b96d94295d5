// The PathMtuStage fixture: a segment of MTU 1450, a VM port, queues that collect what
// the stage passes on, and helpers to build and count frames. Shared by the tests of
// frames that fit (path_mtu_stage_test.cc) and of frames that do not (path_mtu_too_big_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dataplane/offload/offload_frames.h"
#include "dataplane/stages/path_mtu_stage.h"
#include "net/flow_hash.h"

namespace overcast::dataplane::testing {

inline constexpr uint32_t kMtu = 1450;
inline constexpr uint32_t kSegmentVni = 100;
inline constexpr PortSlot kVmPort = 3;
inline constexpr uint16_t kDf = 0x4000;

struct Out {
  std::vector<uint8_t> bytes;
  Packet::Metadata meta;
};

class PathMtuStageTest : public ::testing::Test {
 protected:
  explicit PathMtuStageTest(size_t pool_packets = 16) : pool_(pool_packets, Packet::kDefaultBufferSize) {
    Segment& s = table_.segments[kSegmentVni];
    s.vni = kSegmentVni;
    s.mtu = kMtu;
    ctx_.table = &table_;
    ctx_.pool = &pool_;
    ctx_.drops = &drops_;
  }
  ~PathMtuStageTest() override {
    for (Packet* p : held_) pool_.free(p);
    EXPECT_EQ(pool_.available(), pool_.capacity()) << "a buffer leaked";
  }

  Packet* make(const std::vector<uint8_t>& frame, PortSlot in_port = kVmPort, OffloadInfo offload = {}) {
    Packet* p = pool_.alloc();
    EXPECT_NE(p, nullptr) << "test bug: pool too small";
    if (!p) return nullptr;
    std::memcpy(p->data(), frame.data(), frame.size());
    p->set_length(static_cast<uint32_t>(frame.size()));
    p->meta.in_port = in_port;
    p->meta.vni = kSegmentVni;
    p->meta.remote_vtep = 0xc0a80002;
    p->meta.flow_hash = 0xabcd;
    p->meta.offload = offload;
    return p;
  }

  // Runs one batch of packets through the stage and collects both outputs.
  void run(const std::vector<Packet*>& packets) {
    Batch in;
    for (Packet* p : packets) in.push(p);
    BatchQueue fits(&PathMtuStageTest::collect_fits, this);
    BatchQueue local(&PathMtuStageTest::collect_local, this);
    stage_.process(ctx_, in, fits, local);
    EXPECT_TRUE(in.empty());
    fits.drain();
    local.drain();
  }
  void run_one(const std::vector<uint8_t>& frame, PortSlot in_port = kVmPort, OffloadInfo offload = {}) {
    run({make(frame, in_port, offload)});
  }

  static void collect(PathMtuStageTest* self, std::vector<Out>& into, Batch& batch) {
    for (Packet* p : batch) {
      into.push_back({std::vector<uint8_t>(p->data(), p->data() + p->length()), p->meta});
      self->held_.push_back(p);
    }
    batch.clear();
  }
  static void collect_fits(void* owner, Batch& b) {
    auto* self = static_cast<PathMtuStageTest*>(owner);
    collect(self, self->fits_, b);
  }
  static void collect_local(void* owner, Batch& b) {
    auto* self = static_cast<PathMtuStageTest*>(owner);
    collect(self, self->local_, b);
  }

  void free_outputs() {
    for (Packet* p : held_) pool_.free(p);
    held_.clear();
  }

  uint64_t counter(size_t index) const { return stage_.counters().value(index); }
  uint64_t drops(DropReason r) const { return drops_.value(r); }
  uint64_t total_drops() const {
    uint64_t n = 0;
    for (size_t i = 0; i < static_cast<size_t>(DropReason::kCount); ++i) n += drops_.value(static_cast<DropReason>(i));
    return n;
  }
  // Every frame in is either passed on as it is (fits) or ended (dropped).
  void expect_counters(uint64_t in, uint64_t fits, uint64_t fragmented, uint64_t replied, uint64_t dropped) {
    EXPECT_EQ(counter(PathMtuStage::kIn), in);
    EXPECT_EQ(counter(PathMtuStage::kFits), fits);
    EXPECT_EQ(counter(PathMtuStage::kFragmented), fragmented);
    EXPECT_EQ(counter(PathMtuStage::kReplied), replied);
    EXPECT_EQ(counter(PathMtuStage::kDropped), dropped);
    EXPECT_EQ(in, fits + dropped) << "test bug or stage bug: frames unaccounted";
  }

  ForwardingTable table_;
  PacketPool pool_;
  DropCounters drops_;
  StageContext ctx_;
  PathMtuStage stage_;
  std::vector<Out> fits_;
  std::vector<Out> local_;
  std::vector<Packet*> held_;
};

// A frame of exactly `frame_size` bytes (IPv4/IPv6 + UDP).
inline std::vector<uint8_t> udp_frame_of(size_t frame_size, IpSpec s = {}) {
  const size_t headers = ip_l3_offset(s) + ip_header_size(s) + 8;
  return ip_frame(s, udp_l4(pattern_payload(frame_size - headers, static_cast<uint8_t>(frame_size))));
}

inline IpSpec no_df() {
  IpSpec s;
  s.flags_fragment = 0;
  return s;
}
inline IpSpec ipv6() {
  IpSpec s;
  s.ipv6 = true;
  return s;
}

inline bool naive_l4_ok(const uint8_t* f, size_t length, size_t l3, size_t l4, bool v6, uint8_t proto) {
  const uint32_t l4_length = static_cast<uint32_t>(length - l4);
  const auto ph = v6 ? pseudo_header_v6(f + l3 + 8, f + l3 + 24, proto, l4_length)
                     : pseudo_header_v4(f + l3 + 12, f + l3 + 16, proto, static_cast<uint16_t>(l4_length));
  return naive_sum16(f + l4, l4_length, naive_sum16(ph)) == 0xffff;
}

inline OffloadInfo gso(GsoType type, uint16_t gso_size, const TcpSpec& s) {
  const TcpOffsets o = tcp_offsets(s);
  OffloadInfo info;
  info.gso_type = type;
  info.gso_size = gso_size;
  info.hdr_len = static_cast<uint16_t>(o.payload);
  info.needs_csum = true;
  info.csum_start = static_cast<uint16_t>(o.l4);
  info.csum_offset = 16;
  return info;
}

}  // namespace overcast::dataplane::testing

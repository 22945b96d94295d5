// The TunnelGro test world: a pool, a StageContext and a collecting BatchQueue
// around one TunnelGro, and a Flow that writes a TCP flow's tunnel datagrams and, as
// an independent oracle, the frame their GRO must give (tcp_frame() + naive sums).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dataplane/offload/offload_frames.h"
#include "dataplane/offload/tunnel_gro.h"

namespace overcast::dataplane::testing {

inline constexpr uint32_t kTunnelHeader = 8;
inline constexpr uint32_t kVni = 100;

struct Output {
  std::vector<uint8_t> bytes;
  OffloadInfo offload;
  Packet::Metadata meta;
};

class TunnelGroTest : public ::testing::Test {
 protected:
  explicit TunnelGroTest(size_t pool_packets = 8, uint32_t buffer_size = Packet::kDefaultBufferSize)
      : pool_(pool_packets, buffer_size) {
    ctx_.pool = &pool_;
    ctx_.drops = &drops_;
  }
  ~TunnelGroTest() override {
    for (Packet* p : held_) pool_.free(p);
    EXPECT_EQ(pool_.available(), pool_.capacity()) << "a buffer leaked";
  }

  // One GRO buffer made of `datagrams` (all but the last must be gro_size long,
  // as the kernel guarantees), through TunnelGro::process.
  std::vector<Output> run(const std::vector<std::vector<uint8_t>>& datagrams, int gro_size = -1) {
    std::vector<uint8_t> buffer;
    for (const auto& d : datagrams) buffer.insert(buffer.end(), d.begin(), d.end());
    const uint16_t size = static_cast<uint16_t>(gro_size >= 0 ? gro_size : datagrams.front().size());
    for (size_t i = 0; i + 1 < datagrams.size() && gro_size < 0; ++i) {
      EXPECT_EQ(datagrams[i].size(), size) << "test bug: datagram " << i << " is not gro_size long";
    }
    return run_buffer(buffer, size);
  }

  std::vector<Output> run_buffer(const std::vector<uint8_t>& buffer, uint16_t gro_size) {
    Packet* p = pool_.alloc();
    EXPECT_NE(p, nullptr);
    if (!p) return {};
    EXPECT_TRUE(buffer.size() <= p->max_length()) << "test bug: buffer too large";
    std::memcpy(p->data(), buffer.data(), buffer.size());
    p->set_length(static_cast<uint32_t>(buffer.size()));
    p->meta.gro_size = gro_size;
    p->meta.vni = kVni;
    p->meta.remote_vtep = 0xc0a80001;
    Batch in;
    in.push(p);
    BatchQueue out(&TunnelGroTest::collect, this);
    gro_.process(ctx_, in, out);
    EXPECT_TRUE(in.empty());
    out.drain();
    std::vector<Output> result;
    for (Packet* q : collected_) {
      result.push_back({std::vector<uint8_t>(q->data(), q->data() + q->length()), q->meta.offload, q->meta});
      held_.push_back(q);
    }
    collected_.clear();
    return result;
  }

  static void collect(void* owner, Batch& batch) {
    auto* self = static_cast<TunnelGroTest*>(owner);
    for (Packet* p : batch) self->collected_.push_back(p);
    batch.clear();
  }

  void free_outputs() {
    for (Packet* p : held_) pool_.free(p);
    held_.clear();
  }
  uint64_t counter(size_t index) const { return gro_.counters().value(index); }

  PacketPool pool_;
  DropCounters drops_;
  StageContext ctx_;
  TunnelGro gro_{kTunnelHeader};
  std::vector<Packet*> collected_;
  std::vector<Packet*> held_;
};

inline std::vector<uint8_t> with_prefix(uint32_t vni, const std::vector<uint8_t>& inner) {
  auto d = tunnel_prefix(vni);
  d.insert(d.end(), inner.begin(), inner.end());
  return d;
}

// A flow's segments: `count` segments of `mss` payload bytes (the last `last_payload`
// bytes when non-zero), consecutive sequence numbers and IP IDs.
struct Flow {
  TcpSpec spec;
  uint32_t vni = kVni;
  uint16_t mss = 1000;
  uint8_t seed = 0;

  std::vector<uint8_t> payload_of(size_t index, size_t bytes) const {
    auto p = pattern_payload(bytes, static_cast<uint8_t>(seed + index));
    return p;
  }
  TcpSpec spec_of(size_t index) const {
    TcpSpec s = spec;
    s.seq = spec.seq + static_cast<uint32_t>(index * mss);
    s.ip_id = static_cast<uint16_t>(spec.ip_id + index);
    return s;
  }
  std::vector<uint8_t> segment(size_t index, size_t bytes = 0, uint8_t extra_flags = 0) const {
    TcpSpec s = spec_of(index);
    s.flags |= extra_flags;
    return with_prefix(vni, tcp_frame(s, payload_of(index, bytes ? bytes : mss)));
  }
  // The GRO of segments [first, last] as TunnelGro must write it: the first one's
  // headers, lengths for the whole payload, PSH/FIN of the last, IPv4 checksum
  // recomputed, and the TCP field holding the folded pseudo-header sum.
  std::vector<uint8_t> merged(size_t first, size_t last, size_t last_bytes = 0, uint8_t last_flags = 0) const {
    std::vector<uint8_t> payload;
    for (size_t i = first; i <= last; ++i) {
      const auto p = payload_of(i, i == last && last_bytes ? last_bytes : mss);
      payload.insert(payload.end(), p.begin(), p.end());
    }
    TcpSpec s = spec_of(first);
    s.flags |= last_flags & (kPsh | kFin);
    auto f = tcp_frame(s, payload);
    const TcpOffsets o = tcp_offsets(s);
    const size_t l4_length = f.size() - o.l4;
    const auto ph = s.ipv6 ? pseudo_header_v6(&f[o.l3 + 8], &f[o.l3 + 24], 6, static_cast<uint32_t>(l4_length))
                           : pseudo_header_v4(&f[o.l3 + 12], &f[o.l3 + 16], 6, static_cast<uint16_t>(l4_length));
    const uint16_t partial = naive_sum16(ph);
    f[o.l4 + 16] = static_cast<uint8_t>(partial >> 8);
    f[o.l4 + 17] = static_cast<uint8_t>(partial);
    return with_prefix(vni, f);
  }
};

inline void expect_gso(const Output& out, const Flow& flow) {
  const TcpOffsets o = tcp_offsets(flow.spec);
  EXPECT_TRUE(out.offload.needs_csum);
  EXPECT_FALSE(out.offload.data_valid);
  EXPECT_EQ(out.offload.gso_type, flow.spec.ipv6 ? GsoType::kTcpV6 : GsoType::kTcpV4);
  EXPECT_EQ(out.offload.gso_size, flow.mss);
  EXPECT_EQ(out.offload.csum_start, o.l4);
  EXPECT_EQ(out.offload.csum_offset, 16);
  EXPECT_EQ(out.offload.hdr_len, o.payload);
  EXPECT_EQ(out.meta.gro_size, 0);
  EXPECT_EQ(out.meta.vni, kVni);
  EXPECT_EQ(out.meta.remote_vtep, 0xc0a80001u);
  // The partial checksum, completed by the naive oracle as the TAP's reader would,
  // verifies; and the IPv4 header checksum already does.
  std::vector<uint8_t> inner(out.bytes.begin() + kTunnelHeader, out.bytes.end());
  const uint16_t full = static_cast<uint16_t>(~naive_sum16(inner.data() + o.l4, inner.size() - o.l4));
  inner[o.l4 + 16] = static_cast<uint8_t>(full >> 8);
  inner[o.l4 + 17] = static_cast<uint8_t>(full);
  EXPECT_TRUE(naive_tcp_checksum_ok(inner.data(), inner.size(), o.l3, o.l4, flow.spec.ipv6));
  if (!flow.spec.ipv6) {
    EXPECT_TRUE(naive_ipv4_header_ok(inner.data(), o.l3));
  }
}

inline void expect_single(const Output& out, const std::vector<uint8_t>& datagram, bool verified_tcp) {
  EXPECT_EQ(out.bytes, datagram);
  EXPECT_FALSE(out.offload.needs_csum);
  EXPECT_FALSE(out.offload.is_gso());
  EXPECT_EQ(out.offload.data_valid, verified_tcp);
  EXPECT_EQ(out.meta.gro_size, 0);
}

// Rewrites the IPv4 header checksum and the TCP checksum of a datagram whose
// headers a test changed, so only the changed field can keep it out of a run.
inline void refresh_checksums(std::vector<uint8_t>& d, const TcpSpec& s) {
  uint8_t* f = d.data() + kTunnelHeader;
  const size_t length = d.size() - kTunnelHeader;
  const TcpOffsets o = tcp_offsets(s);
  if (!s.ipv6) {
    f[o.l3 + 10] = f[o.l3 + 11] = 0;
    const uint16_t ip = static_cast<uint16_t>(~naive_sum16(f + o.l3, 20));
    f[o.l3 + 10] = static_cast<uint8_t>(ip >> 8);
    f[o.l3 + 11] = static_cast<uint8_t>(ip);
  }
  f[o.l4 + 16] = f[o.l4 + 17] = 0;
  const size_t l4_length = length - o.l4;
  const auto ph = s.ipv6 ? pseudo_header_v6(f + o.l3 + 8, f + o.l3 + 24, 6, static_cast<uint32_t>(l4_length))
                         : pseudo_header_v4(f + o.l3 + 12, f + o.l3 + 16, 6, static_cast<uint16_t>(l4_length));
  const uint16_t tcp = static_cast<uint16_t>(~naive_sum16(f + o.l4, l4_length, naive_sum16(ph)));
  f[o.l4 + 16] = static_cast<uint8_t>(tcp >> 8);
  f[o.l4 + 17] = static_cast<uint8_t>(tcp);
  ASSERT_TRUE(naive_tcp_checksum_ok(f, length, o.l3, o.l4, s.ipv6));
}

// A non-TCP datagram of exactly `size` bytes: an inner UDP frame sized to fit.
inline std::vector<uint8_t> udp_datagram(size_t size, uint16_t sport = 1000) {
  return with_prefix(kVni, udp_frame(mac(2), mac(1), sport, size - kTunnelHeader - 42));
}
// An ARP request padded (as Ethernet pads) to a datagram of `size` bytes.
inline std::vector<uint8_t> arp_datagram(size_t size) {
  auto d = with_prefix(kVni, arp_request(mac(1), 0x0a000001, 0x0a000002));
  d.resize(size, 0);
  return d;
}

}  // namespace overcast::dataplane::testing

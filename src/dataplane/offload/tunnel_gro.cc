#include "dataplane/offload/tunnel_gro.h"

#include <cstring>

#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"

namespace overcast::dataplane {
namespace {

constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
constexpr uint8_t kUrg = 0x20;
constexpr uint8_t kCwr = 0x80;
constexpr uint32_t kMaxIpPayload = 65535;

bool same(const uint8_t* a, const uint8_t* b, size_t n) { return std::memcmp(a, b, n) == 0; }

}  // namespace

TunnelGro::TunnelGro(uint32_t tunnel_header) : tunnel_header_(tunnel_header) {
  datagrams_.reserve(kMaxDatagrams);
  runs_.reserve(kMaxDatagrams);
}

void TunnelGro::process(StageContext& ctx, Batch& in, BatchQueue& out) {
  for (Packet* p : in) {
    counters_.add(kBuffers, 1);
    const uint32_t size = p->meta.gro_size;
    if (size == 0 || size >= p->length()) {
      counters_.add(kDatagrams, 1);
      counters_.add(kFrames, 1);
      p->meta.gro_size = 0;
      out.push(p);
      continue;
    }
    split(ctx, p, out);
  }
  in.clear();
}

void TunnelGro::classify(const uint8_t* data, Datagram& d) const {
  d.tcp = false;
  if (d.length < tunnel_header_) return;
  const uint8_t* frame = data + d.offset + tunnel_header_;
  const size_t length = d.length - tunnel_header_;
  auto layout = parse_tcp_frame(frame, length);
  if (!layout || layout->payload_offset >= length) return;
  const uint8_t* l3 = frame + layout->l3_offset;
  const size_t l3_length = length - layout->l3_offset;
  const uint32_t l4_length = static_cast<uint32_t>(length - layout->l4_offset);
  uint64_t sum;
  if (!layout->ipv6) {
    const auto* ip = net::header_at<net::Ipv4Header>(l3);
    // Options would have to match too; Linux's GRO does not merge them either.
    if (ip->header_length() != sizeof(net::Ipv4Header) || ip->total_length.host() != l3_length ||
        !net::ipv4_checksum_ok(ip)) {
      return;
    }
    sum = net::pseudo_header_sum_v4(reinterpret_cast<const uint8_t*>(&ip->src),
                                    reinterpret_cast<const uint8_t*>(&ip->dst), net::ip_proto::kTcp, l4_length);
  } else {
    const auto* ip = net::header_at<net::Ipv6Header>(l3);
    if (ip->payload_length.host() + sizeof(net::Ipv6Header) != l3_length) return;
    sum = net::pseudo_header_sum_v6(ip->src, ip->dst, net::ip_proto::kTcp, l4_length);
  }
  const auto* tcp = net::header_at<net::TcpHeader>(frame + layout->l4_offset);
  if (!(tcp->flags & kAck) || (tcp->flags & (kSyn | kRst | kUrg))) return;
  if (net::checksum_fold(net::checksum_partial(frame + layout->l4_offset, l4_length, sum)) != 0xffff) return;
  d.tcp = true;
  d.layout = *layout;
  d.seq = tcp->sequence.host();
  d.payload = static_cast<uint32_t>(length - layout->payload_offset);
  d.flags = tcp->flags;
}

bool TunnelGro::follows(const uint8_t* data, const Datagram& head, const Datagram& tail, const Datagram& next,
                        size_t run_bytes) const {
  if (!next.tcp || (next.flags & kCwr) || (tail.flags & (kPsh | kFin))) return false;
  if (tail.payload != head.payload || next.payload > head.payload) return false;
  if (next.layout.l3_offset != head.layout.l3_offset || next.layout.payload_offset != head.layout.payload_offset) {
    return false;
  }
  if (next.seq != tail.seq + tail.payload) return false;
  const size_t tcp_header = head.layout.payload_offset - head.layout.l4_offset;
  const size_t ip_header = head.layout.ipv6 ? 0 : sizeof(net::Ipv4Header);
  if (ip_header + tcp_header + run_bytes + next.payload > kMaxIpPayload) return false;

  const uint8_t* a = data + head.offset;
  const uint8_t* b = data + next.offset;
  if (!same(a, b, tunnel_header_ + head.layout.l3_offset)) return false;  // tunnel header, Ethernet
  a += tunnel_header_ + head.layout.l3_offset;
  b += tunnel_header_ + next.layout.l3_offset;
  if (!head.layout.ipv6) {
    // version/IHL, TOS | (length, ID differ) | flags+fragment, TTL, protocol | (checksum) | addresses
    if (!same(a, b, 2) || !same(a + 6, b + 6, 4) || !same(a + 12, b + 12, 8)) return false;
    a += sizeof(net::Ipv4Header);
    b += sizeof(net::Ipv4Header);
  } else {
    // version/class/flow | (payload length) | next header, hop limit, addresses
    if (!same(a, b, 4) || !same(a + 6, b + 6, 34)) return false;
    a += sizeof(net::Ipv6Header);
    b += sizeof(net::Ipv6Header);
  }
  // TCP: ports | (sequence) | ACK, data offset | flags but PSH/FIN | window | (checksum,
  // urgent) | options. A window update ends a run, as in Linux, so none is lost.
  if (!same(a, b, 4) || !same(a + 8, b + 8, 5) || !same(a + 14, b + 14, 2)) return false;
  if ((a[13] & ~(kPsh | kFin)) != (b[13] & ~(kPsh | kFin))) return false;
  return same(a + sizeof(net::TcpHeader), b + sizeof(net::TcpHeader), tcp_header - sizeof(net::TcpHeader));
}

uint32_t TunnelGro::build(const uint8_t* src, const Run& run, uint8_t* dst, Packet& out) const {
  const Datagram& head = datagrams_[run.first];
  const uint32_t headers = tunnel_header_ + head.layout.payload_offset;
  if (dst != src + head.offset) std::memcpy(dst, src + head.offset, head.length);
  uint32_t length = head.length;
  for (uint32_t i = run.first + 1; i <= run.last; ++i) {
    const Datagram& d = datagrams_[i];
    // In place the source is always ahead of the write position: memmove is safe.
    std::memmove(dst + length, src + d.offset + headers, d.payload);
    length += d.payload;
  }
  out.meta.offload = OffloadInfo{};
  if (run.first == run.last) {
    // Verified above when it is TCP: the VM's stack need not check it again.
    out.meta.offload.data_valid = head.tcp;
    return length;
  }
  uint8_t* frame = dst + tunnel_header_;
  const uint32_t frame_length = length - tunnel_header_;
  const uint32_t l4_length = frame_length - head.layout.l4_offset;
  uint64_t pseudo;
  if (!head.layout.ipv6) {
    auto* ip = net::header_at<net::Ipv4Header>(frame + head.layout.l3_offset);
    ip->total_length = net::be16::from_host(static_cast<uint16_t>(frame_length - head.layout.l3_offset));
    net::set_ipv4_checksum(ip);
    pseudo = net::pseudo_header_sum_v4(reinterpret_cast<const uint8_t*>(&ip->src),
                                       reinterpret_cast<const uint8_t*>(&ip->dst), net::ip_proto::kTcp, l4_length);
  } else {
    auto* ip = net::header_at<net::Ipv6Header>(frame + head.layout.l3_offset);
    ip->payload_length = net::be16::from_host(static_cast<uint16_t>(l4_length));
    pseudo = net::pseudo_header_sum_v6(ip->src, ip->dst, net::ip_proto::kTcp, l4_length);
  }
  auto* tcp = net::header_at<net::TcpHeader>(frame + head.layout.l4_offset);
  tcp->flags = static_cast<uint8_t>(tcp->flags | (datagrams_[run.last].flags & (kPsh | kFin)));
  // NEEDS_CSUM: the field holds the pseudo-header sum, not complemented (virtio §5.1.6.2).
  tcp->checksum = net::be16::from_host(net::checksum_fold(pseudo));
  OffloadInfo& o = out.meta.offload;
  o.needs_csum = true;
  o.ecn = head.flags & kCwr;  // as tcp_gro_complete: the super-frame's segments carried CWR
  o.gso_type = head.layout.ipv6 ? GsoType::kTcpV6 : GsoType::kTcpV4;
  o.gso_size = static_cast<uint16_t>(head.payload);
  o.hdr_len = head.layout.payload_offset;
  o.csum_start = head.layout.l4_offset;
  o.csum_offset = 16;
  return length;
}

uint32_t TunnelGro::run_length(const Run& run) const {
  uint32_t length = datagrams_[run.first].length;
  for (uint32_t i = run.first + 1; i <= run.last; ++i) length += datagrams_[i].payload;
  return length;
}

void TunnelGro::split(StageContext& ctx, Packet* p, BatchQueue& out) {
  const uint32_t size = p->meta.gro_size;
  const uint32_t total = p->length();
  const size_t count = (total + size - 1) / size;
  if (count > kMaxDatagrams) {
    counters_.add(kDropped, 1);
    ctx.drop(p, DropReason::kBadOffload);
    return;
  }
  const uint8_t* data = p->data();
  datagrams_.clear();
  runs_.clear();
  for (uint32_t offset = 0; offset < total; offset += size) {
    Datagram d;
    d.offset = offset;
    d.length = std::min(size, total - offset);
    classify(data, d);
    datagrams_.push_back(d);
  }
  counters_.add(kDatagrams, datagrams_.size());

  // Pass 1: runs. Nothing is moved yet, so every datagram's bytes are still in place.
  size_t run_bytes = 0;
  for (uint32_t i = 0; i < datagrams_.size(); ++i) {
    Datagram& d = datagrams_[i];
    if (!runs_.empty()) {
      Run& run = runs_.back();
      const Datagram& head = datagrams_[run.first];
      if (head.tcp && follows(data, head, datagrams_[run.last], d, run_bytes)) {
        run.last = i;
        run_bytes += d.payload;
        continue;
      }
    }
    runs_.push_back(Run{i, i});
    run_bytes = d.payload;
  }

  // Pass 2: every run but the first into a buffer of its own, before the first is
  // merged in place over the bytes they are copied from.
  const Packet::Metadata meta = p->meta;
  Packet* outputs[kMaxDatagrams];
  for (size_t r = 1; r < runs_.size(); ++r) {
    Packet* q = ctx.pool->alloc();
    if (q && run_length(runs_[r]) > q->max_length()) {
      ctx.pool->free(q);
      q = nullptr;
    }
    if (q) {
      q->meta = meta;
      q->meta.gro_size = 0;
      q->set_length(build(data, runs_[r], q->data(), *q));
    } else {
      ctx.drops->count(DropReason::kNoBuffer);
      counters_.add(kDropped, 1);
    }
    outputs[r] = q;
  }
  p->meta.gro_size = 0;
  p->set_length(build(data, runs_[0], p->data(), *p));
  outputs[0] = p;

  uint64_t frames = 0;
  for (size_t r = 0; r < runs_.size(); ++r) {
    if (!outputs[r]) continue;
    out.push(outputs[r]);
    ++frames;
  }
  counters_.add(kFrames, frames);
  counters_.add(kMerged, datagrams_.size() - runs_.size());
}

}  // namespace overcast::dataplane

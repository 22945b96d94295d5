#include "dataplane/offload/tcp_segmenter.h"

#include <algorithm>
#include <cstring>

#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"

namespace overcast::dataplane {
namespace {

constexpr uint8_t kFin = 0x01;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kCwr = 0x80;

}  // namespace

bool TcpSegmenter::start(const uint8_t* prefix, size_t prefix_length, const uint8_t* frame, size_t length,
                         uint16_t mss) {
  auto layout = parse_tcp_frame(frame, length);
  if (!layout || mss == 0 || layout->payload_offset >= length) return false;
  if (prefix_length + layout->payload_offset > kMaxHeader) return false;
  // A segment's IP length field must hold its headers and payload (an mss from a VM's
  // virtio header is not to be trusted).
  const size_t ip_headers = layout->ipv6 ? layout->payload_offset - layout->l4_offset
                                         : layout->payload_offset - layout->l3_offset;
  if (ip_headers + std::min<size_t>(mss, length - layout->payload_offset) > 65535) return false;
  prefix_ = prefix;
  prefix_length_ = prefix_length;
  frame_ = frame;
  length_ = length;
  layout_ = *layout;
  mss_ = mss;
  header_bytes_ = prefix_length + layout->payload_offset;
  next_offset_ = layout->payload_offset;
  index_ = 0;
  return true;
}

size_t TcpSegmenter::next(size_t max_bytes) {
  const size_t frame_headers = layout_.payload_offset;
  const size_t l4 = layout_.l4_offset;
  const size_t tcp_header = frame_headers - l4;
  const auto* original_tcp = net::header_at<net::TcpHeader>(frame_ + l4);
  const uint32_t first_seq = original_tcp->sequence.host();
  const uint8_t flags = original_tcp->flags;

  size_t count = 0, bytes = 0;
  while (count < kMaxSegments && !done()) {
    const size_t payload = std::min<size_t>(mss_, length_ - next_offset_);
    const size_t datagram = header_bytes_ + payload;
    if (count > 0 && bytes + datagram > max_bytes) break;
    const bool first = next_offset_ == frame_headers;
    const bool last = next_offset_ + payload == length_;

    uint8_t* h = headers_[count].data();
    if (prefix_length_ > 0) std::memcpy(h, prefix_, prefix_length_);
    uint8_t* seg = h + prefix_length_;  // the segment's own frame headers
    std::memcpy(seg, frame_, frame_headers);
    const uint8_t* payload_bytes = frame_ + next_offset_;
    const uint32_t l4_length = static_cast<uint32_t>(tcp_header + payload);

    auto* tcp = net::header_at<net::TcpHeader>(seg + l4);
    tcp->sequence = net::be32::from_host(first_seq + static_cast<uint32_t>(next_offset_ - frame_headers));
    uint8_t seg_flags = flags;
    if (!last) seg_flags &= static_cast<uint8_t>(~(kFin | kPsh));
    if (!first) seg_flags &= static_cast<uint8_t>(~kCwr);
    tcp->flags = seg_flags;
    tcp->checksum = net::be16::from_host(0);

    uint64_t sum;
    if (!layout_.ipv6) {
      auto* ip = net::header_at<net::Ipv4Header>(seg + layout_.l3_offset);
      ip->total_length = net::be16::from_host(static_cast<uint16_t>(ip->header_length() + l4_length));
      ip->identification = net::be16::from_host(static_cast<uint16_t>(ip->identification.host() + index_));
      net::set_ipv4_checksum(ip);
      sum = net::pseudo_header_sum_v4(reinterpret_cast<const uint8_t*>(&ip->src),
                                      reinterpret_cast<const uint8_t*>(&ip->dst), net::ip_proto::kTcp, l4_length);
    } else {
      auto* ip = net::header_at<net::Ipv6Header>(seg + layout_.l3_offset);
      ip->payload_length = net::be16::from_host(static_cast<uint16_t>(l4_length));
      sum = net::pseudo_header_sum_v6(ip->src, ip->dst, net::ip_proto::kTcp, l4_length);
    }
    sum = net::checksum_partial(seg + l4, tcp_header, sum);
    sum = net::checksum_partial(payload_bytes, payload, sum);
    tcp->checksum = net::be16::from_host(net::checksum_finish(sum));

    iov_[2 * count] = {h, header_bytes_};
    iov_[2 * count + 1] = {const_cast<uint8_t*>(payload_bytes), payload};
    ++count;
    ++index_;
    bytes += datagram;
    next_offset_ += payload;
  }
  return count;
}

}  // namespace overcast::dataplane

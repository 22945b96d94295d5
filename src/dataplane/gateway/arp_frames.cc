#include "dataplane/gateway/arp_frames.h"

#include <cstring>

#include "net/arp.h"
#include "net/ethernet.h"

namespace overcast::dataplane::gateway {

namespace {

constexpr uint16_t kEthertypeArp = 0x0806;

size_t build_arp(uint8_t* out, size_t capacity, const MacAddress& sender_mac, uint32_t sender_ip,
                 uint32_t target_ip, uint16_t operation = net::arp::kOpRequest,
                 const MacAddress& target_mac = MacAddress::broadcast()) {
  if (capacity < kArpFrameSize) return 0;
  std::memset(out, 0, kArpFrameSize);
  auto* eth = net::header_at<net::EthernetHeader>(out);
  std::memcpy(eth->dst, target_mac.bytes.data(), 6);
  std::memcpy(eth->src, sender_mac.bytes.data(), 6);
  eth->ethertype = net::be16::from_host(kEthertypeArp);
  auto* a = net::header_at<net::ArpPacket>(out + net::kEthernetHeaderSize);
  a->hardware_type = net::be16::from_host(net::arp::kHardwareEthernet);
  a->protocol_type = net::be16::from_host(0x0800);
  a->hardware_length = 6;
  a->protocol_length = 4;
  a->operation = net::be16::from_host(operation);
  std::memcpy(a->sender_mac, sender_mac.bytes.data(), 6);
  a->sender_ip = net::be32::from_host(sender_ip);
  if (operation == net::arp::kOpReply) {
    std::memcpy(a->target_mac, target_mac.bytes.data(), 6);
  } else {
    std::memset(a->target_mac, 0, 6);
  }
  a->target_ip = net::be32::from_host(target_ip);
  return kArpFrameSize;
}

}  // namespace

size_t build_arp_request(uint8_t* out, size_t capacity, const MacAddress& sender_mac, uint32_t sender_ip,
                         uint32_t target_ip) {
  return build_arp(out, capacity, sender_mac, sender_ip, target_ip);
}

size_t build_gratuitous_arp(uint8_t* out, size_t capacity, const MacAddress& mac, uint32_t ip) {
  return build_arp(out, capacity, mac, ip, ip);
}

size_t build_arp_reply(uint8_t* out, size_t capacity, const MacAddress& our_mac, uint32_t our_ip,
                       const MacAddress& asker_mac, uint32_t asker_ip) {
  return build_arp(out, capacity, our_mac, our_ip, asker_ip, net::arp::kOpReply, asker_mac);
}

std::optional<ArpSender> parse_arp_sender(const uint8_t* frame, size_t length) {
  if (length < net::kEthernetHeaderSize) return std::nullopt;
  const auto* eth = net::header_at<net::EthernetHeader>(frame);
  if (eth->ethertype.host() != kEthertypeArp) return std::nullopt;
  const auto* a = net::parse_arp_ethernet_ipv4(frame + net::kEthernetHeaderSize, length - net::kEthernetHeaderSize);
  if (a == nullptr) return std::nullopt;
  const uint16_t op = a->operation.host();
  if (op != net::arp::kOpRequest && op != net::arp::kOpReply) return std::nullopt;
  ArpSender sender;
  sender.ip = a->sender_ip.host();
  sender.mac = MacAddress::from_bytes(a->sender_mac);
  sender.reply = op == net::arp::kOpReply;
  sender.target_ip = a->target_ip.host();
  return sender;
}

}  // namespace overcast::dataplane::gateway

#include "dataplane/provider/vlan_tag.h"

#include <cstring>

#include "net/ethernet.h"

namespace overcast::dataplane {

namespace {
constexpr uint32_t kAddresses = 12;  // destination + source MAC
constexpr uint32_t kTag = sizeof(net::VlanTag);

void shift_offload(OffloadInfo& offload, int delta) {
  if (offload.needs_csum) offload.csum_start = static_cast<uint16_t>(offload.csum_start + delta);
  if (offload.is_gso() || offload.hdr_len != 0) offload.hdr_len = static_cast<uint16_t>(offload.hdr_len + delta);
}
}  // namespace

bool push_vlan_tag(Packet& p, uint16_t vid) {
  if (p.length() < net::kEthernetHeaderSize || p.headroom() < kTag) return false;
  uint8_t* frame = p.prepend(kTag);
  std::memmove(frame, frame + kTag, kAddresses);
  const uint8_t tag[kTag] = {0x81, 0x00, static_cast<uint8_t>((vid >> 8) & 0x0f), static_cast<uint8_t>(vid & 0xff)};
  std::memcpy(frame + kAddresses, tag, kTag);
  shift_offload(p.meta.offload, static_cast<int>(kTag));
  return true;
}

bool pop_vlan_tag(Packet& p) {
  if (p.length() < net::kEthernetHeaderSize + kTag) return false;
  const auto* eth = net::header_at<net::EthernetHeader>(p.data());
  if (!net::is_vlan_tpid(eth->ethertype.host())) return false;
  uint8_t* frame = p.data();
  std::memmove(frame + kTag, frame, kAddresses);
  p.pull(kTag);
  shift_offload(p.meta.offload, -static_cast<int>(kTag));
  return true;
}

}  // namespace overcast::dataplane

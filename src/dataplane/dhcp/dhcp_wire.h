// DHCPv4 on the wire (RFC 2131 section 2, options RFC 2132): the fixed BOOTP part, the
// magic cookie, and the option codes we read or write.
#pragma once

#include <cstdint>

#include "net/byte_order.h"

namespace overcast::dataplane::dhcp {

struct [[gnu::may_alias]] DhcpHeader {
  uint8_t op;     // 1 BOOTREQUEST, 2 BOOTREPLY
  uint8_t htype;  // 1 Ethernet
  uint8_t hlen;   // 6
  uint8_t hops;
  net::be32 xid;
  net::be16 secs;
  net::be16 flags;  // bit 15: broadcast
  net::be32 ciaddr;
  net::be32 yiaddr;
  net::be32 siaddr;
  net::be32 giaddr;
  uint8_t chaddr[16];
  uint8_t sname[64];
  uint8_t file[128];
  net::be32 magic;
};
static_assert(sizeof(DhcpHeader) == 240);

inline constexpr uint32_t kMagicCookie = 0x63825363;
inline constexpr uint16_t kBroadcastFlag = 0x8000;
inline constexpr uint16_t kServerPort = 67;
inline constexpr uint16_t kClientPort = 68;
// RFC 951's minimum BOOTP message; some clients drop shorter replies.
inline constexpr size_t kMinMessageSize = 300;

enum class MessageType : uint8_t {
  kDiscover = 1, kOffer = 2, kRequest = 3, kDecline = 4, kAck = 5, kNak = 6, kRelease = 7, kInform = 8,
};

namespace option {
inline constexpr uint8_t kPad = 0;
inline constexpr uint8_t kSubnetMask = 1;
inline constexpr uint8_t kRouter = 3;
inline constexpr uint8_t kDnsServers = 6;
inline constexpr uint8_t kHostName = 12;
inline constexpr uint8_t kDomainName = 15;
inline constexpr uint8_t kInterfaceMtu = 26;
inline constexpr uint8_t kBroadcastAddress = 28;
inline constexpr uint8_t kRequestedIp = 50;
inline constexpr uint8_t kLeaseTime = 51;
inline constexpr uint8_t kMessageType = 53;
inline constexpr uint8_t kServerId = 54;
inline constexpr uint8_t kParameterRequestList = 55;
inline constexpr uint8_t kMessage = 56;
inline constexpr uint8_t kMaxMessageSize = 57;
inline constexpr uint8_t kRenewalTime = 58;
inline constexpr uint8_t kRebindingTime = 59;
inline constexpr uint8_t kClientId = 61;
inline constexpr uint8_t kClasslessStaticRoutes = 121;
inline constexpr uint8_t kEnd = 255;
}  // namespace option

}  // namespace overcast::dataplane::dhcp

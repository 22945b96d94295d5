// DHCPv4 server codec, as OVN's native DHCP: parse a client's message (every length
// checked against the bytes held; a malformed one gets a reason to count, never a
// crash), decide the answer from the port's lease, and build OFFER/ACK/NAK.
//
// Not handled: relays (giaddr is parsed, replies always go on-link), option overload
// (52: sname/file are not searched for options), DHCPv6.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mac_address.h"
#include "dataplane/dhcp/dhcp_wire.h"

namespace overcast::dataplane::dhcp {

enum class ParseError : uint8_t {
  kOk,
  kTruncated,       // shorter than the fixed part + cookie
  kNotRequest,      // op is not BOOTREQUEST
  kBadHardware,     // not Ethernet (htype 1, hlen 6)
  kBadMagic,        // no DHCP magic cookie: plain BOOTP
  kBadOption,       // an option runs past the end of the message, or no End
  kNoMessageType,   // option 53 missing or malformed
  kServerMessage,   // OFFER/ACK/NAK from a client: a rogue server
  kNotDhcp,         // frame is not IPv4/UDP to port 67
  kCount,
};
inline constexpr std::array<std::string_view, static_cast<size_t>(ParseError::kCount)> kParseErrorNames = {
    "ok", "truncated", "not_request", "bad_hardware", "bad_magic", "bad_option", "no_message_type",
    "server_message", "not_dhcp"};

struct Request {
  MessageType type = MessageType::kDiscover;
  uint32_t xid = 0;
  uint16_t flags = 0;
  uint32_t ciaddr = 0;  // IPv4 values in host order
  uint32_t giaddr = 0;
  MacAddress chaddr;
  std::optional<uint32_t> requested_ip;  // option 50
  std::optional<uint32_t> server_id;     // option 54
  bool has_parameter_list = false;       // option 55 present
  std::array<bool, 256> requested{};     // option codes in option 55
  uint16_t max_message_size = 0;         // option 57, 0 if absent

  bool asks_for(uint8_t code) const { return !has_parameter_list || requested[code]; }
};

// `payload` is the UDP payload (the BOOTP message).
ParseError parse_request(const uint8_t* payload, size_t length, Request& out);
// `frame` is an Ethernet frame; checks IPv4/UDP/port 67 then parses the payload.
ParseError parse_request_frame(const uint8_t* frame, size_t length, Request& out);

struct StaticRoute {
  uint32_t destination = 0;
  uint8_t prefix_length = 0;
  uint32_t next_hop = 0;
};

// What the view says about the port asking: its address and its subnet's settings.
struct Lease {
  uint32_t address = 0;
  uint8_t prefix_length = 24;
  std::optional<uint32_t> router;  // subnet gateway_ip
  std::vector<uint32_t> dns_servers;
  std::string domain_name;
  uint16_t mtu = 0;  // 0: do not send option 26
  std::vector<StaticRoute> host_routes;
  uint32_t lease_seconds = 43200;
};

struct Server {
  uint32_t address = 0;  // server identifier (54): the subnet's DHCP port or gateway address
  MacAddress mac;
};

// The answer RFC 2131 section 4.3 gives; nullopt when the server stays silent (a
// REQUEST for another server, DECLINE, RELEASE).
std::optional<MessageType> decide_reply(const Request& request, const Lease& lease, const Server& server);

// Builds the BOOTP message of an OFFER/ACK/NAK into `out`; returns its length, or 0
// if `capacity` is too small. Mandatory options (53, 54, and for OFFER/ACK 1, 51, 58,
// 59) always; router, DNS, domain, MTU and classless routes when the client asked for
// them (or sent no parameter request list). When routes (121) go out they include the
// default route too: RFC 3442 clients ignore option 3 when 121 is present.
size_t build_reply(const Request& request, MessageType type, const Lease& lease, const Server& server, uint8_t* out,
                   size_t capacity);

// The reply as an Ethernet frame from the server, addressed as RFC 2131 section 4.1
// says: unicast to ciaddr if set, broadcast if the client asked (or for a NAK), else
// unicast to yiaddr at chaddr. Returns the frame length, or 0 without room.
size_t build_reply_frame(const Request& request, MessageType type, const Lease& lease, const Server& server,
                         uint8_t* out, size_t capacity);

}  // namespace overcast::dataplane::dhcp

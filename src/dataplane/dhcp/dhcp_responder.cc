#include "dataplane/dhcp/dhcp_responder.h"

namespace overcast::dataplane::dhcp {

DhcpResponder::Outcome DhcpResponder::respond(const LeaseTable& leases, const MacAddress& port_mac,
                                              const uint8_t* frame, size_t length, uint8_t* out, size_t capacity,
                                              size_t& out_length) {
  out_length = 0;
  Request request;
  const ParseError e = parse_request_frame(frame, length, request);
  if (e == ParseError::kNotDhcp) return Outcome::kPass;
  // A DHCP frame from a port whose subnet has no DHCP here goes on, as Neutron would
  // let it reach a DHCP server of the tenant's own.
  const auto it = leases.find(port_mac.to_u64());
  if (it != leases.end() && !it->second.enabled) return Outcome::kPass;
  counters_.add(kRequests, 1);
  if (e != ParseError::kOk) {
    counters_.add(kParseErrorBase + static_cast<size_t>(e), 1);
    return Outcome::kDrop;
  }
  if (it == leases.end()) {
    counters_.add(kUnknownMac, 1);
    return Outcome::kDrop;
  }
  // parse_request_frame has checked that the frame holds its Ethernet header.
  if (MacAddress::from_bytes(frame + 6) != port_mac || request.chaddr != port_mac) {
    counters_.add(kNotPortMac, 1);
    return Outcome::kDrop;
  }
  const PortLease& port = it->second;
  const auto type = decide_reply(request, port.lease, port.server);
  if (!type) {
    counters_.add(kSilent, 1);
    return Outcome::kDrop;
  }
  out_length = build_reply_frame(request, *type, port.lease, port.server, out, capacity);
  if (out_length == 0) {
    counters_.add(kNoRoom, 1);
    return Outcome::kDrop;
  }
  counters_.add(kReplies, 1);
  return Outcome::kReply;
}

}  // namespace overcast::dataplane::dhcp

// DhcpStage: OVN-style native DHCPv4. A VM's DHCP request is answered here, from the
// lease its segment holds for the asking port's MAC (dhcp/dhcp_responder.h: the frame's
// source MAC and chaddr must be that MAC, with or without port security), and the reply
// goes back to the asking port; nothing of it reaches the network. A client's unicast
// renewal to the server identifier is caught here too, whatever its destination MAC.
//
// Runs after port security, before classify: a frame of a slot the table does not know,
// or of a port that is down, is passed on for classify to drop.
//
// Input:  frames from VM ports (meta.in_port set).
// Output: `replies` — a new packet, meta.out_port = meta.in_port, meta.vni = the port's;
//         `others`  — not DHCP, or DHCP of a subnet with enable_dhcp off.
// Drops:  dhcp (a request the responder takes and does not answer: unknown MAC, not
//         the port's MAC, malformed, or RFC 2131 silence; its counters say which), no_buffer (no packet
//         for the reply). An answered request is consumed (counted as "replied").
// Counters (stage "dhcp"): in, replied, passed, dropped; the responder's under "dhcp_responder".
#pragma once

#include <array>
#include <cstdint>

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/dhcp/dhcp_responder.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class DhcpStage {
 public:
  static constexpr const char* kName = "dhcp";
  static constexpr const char* kResponderName = "dhcp_responder";
  enum : size_t { kIn, kReplied, kPassed, kDropped };

  void process(StageContext& ctx, Batch& in, BatchQueue& replies, BatchQueue& others);
  const CounterSet& counters() const { return counters_; }
  const CounterSet& responder_counters() const { return responder_.counters(); }

 private:
  dhcp::DhcpResponder responder_;
  // Replies are built here before they get a buffer; an Ethernet frame of the default
  // MTU is the most a client takes (RFC 2131: 576 unless it says more).
  std::array<uint8_t, 1518> scratch_{};
  CounterSet counters_{"in", "replied", "passed", "dropped"};
};

}  // namespace overcast::dataplane

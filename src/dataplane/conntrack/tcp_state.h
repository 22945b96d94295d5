// TCP as the tracker follows it, and the timeout of every state.
//
// No sequence-window tracking (OVS does it; we do not yet): a state moves on flags and
// direction only. Flag combinations no stack sends (SYN+FIN, SYN+RST) and packets that
// do not fit the state (data before the handshake, a SYN inside an open connection) are
// INVALID and leave the state as it was.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace overcast::dataplane::conntrack {

enum class TcpState : uint8_t {
  kNone,         // not TCP
  kSynSent,      // SYN from the originator
  kSynRecv,      // SYN+ACK back
  kEstablished,  // originator ACKed the SYN+ACK
  kFinWait,      // one side sent FIN
  kCloseWait,    // both sides sent FIN, last ACK outstanding
  kTimeWait,     // last ACK seen; a new SYN may reuse the tuple
  kClosed,       // RST seen
};
inline constexpr std::array<std::string_view, 8> kTcpStateNames = {
    "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "TIME_WAIT", "CLOSED"};

enum class TimeoutClass : uint8_t {
  kTcpSynSent, kTcpSynRecv, kTcpEstablished, kTcpFinWait, kTcpCloseWait, kTcpTimeWait, kTcpClosed,
  kUdpFirst,     // UDP until a reply is seen
  kUdpMultiple,  // UDP with traffic both ways
  kIcmp,         // ICMP echo
  kOther,        // other protocols
  kCount,
};

// Milliseconds per class (defaults close to Linux nf_conntrack's, established shorter).
struct Timeouts {
  std::array<uint64_t, static_cast<size_t>(TimeoutClass::kCount)> ms = {
      30'000, 30'000, 86'400'000, 120'000, 60'000, 120'000, 10'000, 30'000, 180'000, 30'000, 600'000};
  uint64_t of(TimeoutClass c) const { return ms[static_cast<size_t>(c)]; }
};

TimeoutClass timeout_class_of(TcpState s);

struct TcpStep {
  TcpState next;
  bool valid;
};

// One packet's effect on a tracked connection. `fin_seen` holds a bit per direction
// (1 orig, 2 reply) and is updated. A SYN in TIME_WAIT/CLOSED is the tracker's to
// handle (reopen), not this function's.
TcpStep tcp_step(TcpState current, bool is_reply, uint8_t flags, uint8_t& fin_seen);

// True for a packet that may open a connection: SYN without ACK, FIN or RST.
bool tcp_opens(uint8_t flags);

}  // namespace overcast::dataplane::conntrack

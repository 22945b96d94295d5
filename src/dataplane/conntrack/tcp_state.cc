#include "dataplane/conntrack/tcp_state.h"

#include "dataplane/conntrack/conn_packet.h"

namespace overcast::dataplane::conntrack {

using namespace tcp_flag;

TimeoutClass timeout_class_of(TcpState s) {
  switch (s) {
    case TcpState::kSynSent: return TimeoutClass::kTcpSynSent;
    case TcpState::kSynRecv: return TimeoutClass::kTcpSynRecv;
    case TcpState::kEstablished: return TimeoutClass::kTcpEstablished;
    case TcpState::kFinWait: return TimeoutClass::kTcpFinWait;
    case TcpState::kCloseWait: return TimeoutClass::kTcpCloseWait;
    case TcpState::kTimeWait: return TimeoutClass::kTcpTimeWait;
    case TcpState::kClosed: return TimeoutClass::kTcpClosed;
    case TcpState::kNone: break;
  }
  return TimeoutClass::kOther;
}

bool tcp_opens(uint8_t flags) { return (flags & (kSyn | kAck | kFin | kRst)) == kSyn; }

TcpStep tcp_step(TcpState current, bool is_reply, uint8_t flags, uint8_t& fin_seen) {
  const bool syn = flags & kSyn, ack = flags & kAck, fin = flags & kFin, rst = flags & kRst;
  const TcpStep invalid{current, false};
  if ((syn && fin) || (syn && rst)) return invalid;
  if (rst) return {TcpState::kClosed, current != TcpState::kNone};
  const uint8_t dir_bit = is_reply ? 2 : 1;

  switch (current) {
    case TcpState::kSynSent:
      if (!is_reply) return syn && !ack ? TcpStep{current, true} : invalid;  // SYN retransmitted
      return syn ? TcpStep{TcpState::kSynRecv, true} : invalid;             // SYN+ACK (or simultaneous open)
    case TcpState::kSynRecv:
      if (is_reply) return syn && ack ? TcpStep{current, true} : invalid;   // SYN+ACK retransmitted
      if (syn) return ack ? invalid : TcpStep{current, true};
      if (!ack) return invalid;
      if (fin) {
        fin_seen |= dir_bit;
        return {TcpState::kFinWait, true};
      }
      return {TcpState::kEstablished, true};
    case TcpState::kEstablished:
      if (syn) return invalid;
      if (fin) {
        fin_seen |= dir_bit;
        return {TcpState::kFinWait, true};
      }
      return {current, true};
    case TcpState::kFinWait:
      if (syn) return invalid;
      if (fin) fin_seen |= dir_bit;
      return {fin_seen == 3 ? TcpState::kCloseWait : current, true};
    case TcpState::kCloseWait:
      if (syn) return invalid;
      return {ack && !fin ? TcpState::kTimeWait : current, true};
    case TcpState::kTimeWait:
      return syn ? invalid : TcpStep{current, true};
    case TcpState::kClosed:
    case TcpState::kNone:
      return invalid;
  }
  return invalid;
}

}  // namespace overcast::dataplane::conntrack

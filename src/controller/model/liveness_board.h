// Where a controller of a cluster learns which agents the other controllers serve.
//
// An agent holds one southbound session, with one controller: its heartbeats and port
// reports stay in that controller's memory. So that the others do not call it dead
// (and let an operator delete it, or give its underlay IP away), each controller
// publishes the hosts it serves and their up ports on a board that all of them read.
// The board must forget a controller that dies (etcd: a lease).
#pragma once

#include <set>
#include <string>

namespace overcast::controller {

struct LocalLiveness {
  std::set<std::string> hosts;     // agents connected here and heard from in time
  std::set<std::string> ports_up;  // ports those agents report up
  bool operator==(const LocalLiveness&) const = default;
};

class LivenessBoard {
 public:
  virtual ~LivenessBoard() = default;
  virtual bool served_elsewhere(const std::string& host) const = 0;
  virtual bool port_up_elsewhere(const std::string& port_id) const = 0;
};

}  // namespace overcast::controller

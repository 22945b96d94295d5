// Delivers ChangeSets to the TopologyListener in commit order without holding the
// model's lock during the call (the listener may be slow, or call back into the
// AgentRegistry from its own threads).
//
// Writers enqueue under the model lock (which fixes the order), release it, then call
// deliver(). Whichever thread finds nobody delivering drains the queue; the others
// return at once and their ChangeSets are delivered by that thread, still in order.
// No thread is created and no lock is held while the listener runs.
#pragma once

#include <deque>
#include <mutex>

#include "controller/topology/topology_listener.h"

namespace overcast::controller {

class ChangeDispatcher {
 public:
  explicit ChangeDispatcher(TopologyListener* listener) : listener_(listener) {}

  // Empty ChangeSets are dropped unless `even_if_empty` (the start-up one, which tells
  // the listener the model is loaded).
  void enqueue(ChangeSet changes, bool even_if_empty = false);
  void deliver();

 private:
  TopologyListener* listener_;  // may be null: changes are then dropped
  std::mutex mutex_;
  std::deque<ChangeSet> queue_;
  bool delivering_ = false;
};

}  // namespace overcast::controller

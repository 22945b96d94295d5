// What every stage of one worker shares while it processes a batch.
#pragma once

#include "dataplane/core/drop_reason.h"
#include "dataplane/core/packet_pool.h"
#include "dataplane/table/forwarding_table.h"

namespace overcast::dataplane {

struct StageContext {
  // The snapshot this batch is processed against; the worker loads it once per
  // batch after a quiescent point, so it stays valid for the whole batch.
  const ForwardingTable* table = nullptr;
  PacketPool* pool = nullptr;
  DropCounters* drops = nullptr;

  // The one way a stage ends a packet it does not pass on: freed and counted.
  void drop(Packet* p, DropReason reason) {
    drops->count(reason);
    pool->free(p);
  }
};

}  // namespace overcast::dataplane

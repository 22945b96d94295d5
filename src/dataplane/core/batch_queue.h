// An output of a stage: a batch that hands itself to the next step when full.
//
// Stages push packets into BatchQueues instead of plain Batches, so a stage that
// multiplies packets (flooding, head-end replication) never overflows a batch:
// when the batch is full it is drained into the next step first. The pipeline
// drains every queue at the end of a batch, in graph order.
#pragma once

#include "dataplane/core/batch.h"

namespace overcast::dataplane {

class BatchQueue {
 public:
  // `drain` must take every packet of the batch (pass on or drop) and leave it empty.
  using DrainFn = void (*)(void* owner, Batch& batch);

  BatchQueue(DrainFn drain, void* owner) : drain_(drain), owner_(owner) {}
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  void push(Packet* p) {
    if (batch_.full()) drain();
    batch_.push(p);
  }
  void drain() {
    if (!batch_.empty()) drain_(owner_, batch_);
  }
  size_t size() const { return batch_.size(); }
  Batch& batch() { return batch_; }

 private:
  DrainFn drain_;
  void* owner_;
  Batch batch_;
};

}  // namespace overcast::dataplane

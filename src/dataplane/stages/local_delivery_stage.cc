#include "dataplane/stages/local_delivery_stage.h"

namespace overcast::dataplane {

void LocalDeliveryStage::prepare(const ForwardingTable& table) {
  if (staged_.size() < table.ports.size()) staged_.resize(table.ports.size());
}

void LocalDeliveryStage::send(StageContext& ctx, const PortEntry& port, PortSlot slot) {
  Batch& batch = staged_[slot];
  if (tx_locks_) tx_locks_->lock(slot);
  port.io->tx_burst(*ctx.pool, batch);
  if (tx_locks_) tx_locks_->unlock(slot);
  batch.clear();  // tx_burst leaves it empty; this only guards a faulty port
}

void LocalDeliveryStage::process(StageContext& ctx, Batch& in) {
  if (staged_.size() < ctx.table->ports.size()) prepare(*ctx.table);  // a snapshot prepare() missed
  uint64_t n_delivered = 0, n_dropped = 0;
  for (Packet* p : in) {
    const PortSlot slot = p->meta.out_port;
    const PortEntry* port = ctx.table->find_port(slot);
    if (!port) {
      ctx.drop(p, DropReason::kPortGone);
      ++n_dropped;
      continue;
    }
    if (!port->admin_up) {
      ctx.drop(p, DropReason::kPortDown);
      ++n_dropped;
      continue;
    }
    Batch& staged = staged_[slot];
    if (staged.empty()) touched_.push_back(slot);
    staged.push(p);
    ++n_delivered;
    if (staged.full()) send(ctx, *port, slot);  // stays in touched_; an empty batch is skipped
  }
  for (PortSlot slot : touched_) {
    if (!staged_[slot].empty()) send(ctx, *ctx.table->find_port(slot), slot);
  }
  touched_.clear();
  counters_.add(kIn, in.size());
  counters_.add(kDelivered, n_delivered);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane

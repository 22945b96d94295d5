#include "dataplane/stages/dhcp_stage.h"

#include <cstring>

namespace overcast::dataplane {

using Outcome = dhcp::DhcpResponder::Outcome;

void DhcpStage::process(StageContext& ctx, Batch& in, BatchQueue& replies, BatchQueue& others) {
  uint64_t n_replied = 0, n_passed = 0, n_dropped = 0;
  for (Packet* p : in) {
    const PortEntry* port = ctx.table->find_port(p->meta.in_port);
    const Segment* segment = port ? ctx.table->find_segment(port->vni) : nullptr;
    if (!segment || !port->admin_up || segment->dhcp_leases.empty()) {
      others.push(p);
      ++n_passed;
      continue;
    }
    // Built in scratch first: most frames are not DHCP and must not cost a buffer.
    size_t length = 0;
    const Outcome outcome =
        responder_.respond(segment->dhcp_leases, port->mac, p->data(), p->length(), scratch_.data(), scratch_.size(), length);
    if (outcome == Outcome::kPass) {
      others.push(p);
      ++n_passed;
      continue;
    }
    if (outcome == Outcome::kDrop) {
      ctx.drop(p, DropReason::kDhcp);
      ++n_dropped;
      continue;
    }
    Packet* reply = ctx.pool->alloc();
    if (!reply || reply->max_length() < length) {
      if (reply) ctx.pool->free(reply);
      ctx.drop(p, DropReason::kNoBuffer);
      ++n_dropped;
      continue;
    }
    std::memcpy(reply->data(), scratch_.data(), length);
    reply->set_length(static_cast<uint32_t>(length));
    reply->meta.vni = port->vni;
    reply->meta.in_port = p->meta.in_port;
    reply->meta.out_port = p->meta.in_port;
    ctx.pool->free(p);  // answered: the request ends here
    replies.push(reply);
    ++n_replied;
  }
  counters_.add(kIn, in.size());
  counters_.add(kReplied, n_replied);
  counters_.add(kPassed, n_passed);
  counters_.add(kDropped, n_dropped);
  in.clear();
}

}  // namespace overcast::dataplane
